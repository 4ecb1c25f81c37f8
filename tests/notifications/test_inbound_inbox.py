"""The secretariat's inbox: unmatched mail is shown whole, matched by hand, closed; nobody else sees it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from notifications.inbound import ingest, rules_for_year
from notifications.models import InboundMail
from tests import factories
from tests.notifications.inbound_builders import (  # noqa: F401  (fixtures)
    build_mail, inbound_media, jpeg_bytes, pasona, subject_for,
)
from tests.visits.builders import scheduled_now
from visits.models import CasePhoto, TimeReport


def unmatched(world, subject="お世話になっております", **kwargs):
    kwargs.setdefault("sender", world.sme.email)
    return ingest(build_mail(subject, **kwargs)).mail


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_an_sme_member_cannot_see_the_inbox(login, pasona):
    mail = unmatched(pasona)
    client = login(pasona.sme)

    assert client.get(reverse("notifications:inbox")).status_code == 404
    assert client.get(reverse("notifications:mail_detail", args=[mail.pk])).status_code == 404


def test_a_coordinator_cannot_open_an_attachment(login, pasona):
    mail = unmatched(pasona, attachments=[("IMG_0001.JPG", jpeg_bytes(), "image/jpeg")])

    response = login(pasona.staff).get(reverse("notifications:mail_attachment", args=[mail.pk, 0]))

    assert response.status_code == 404


def test_the_secretariat_sees_an_unmatched_mail_with_its_reason(login, pasona):
    unmatched(pasona, subject="パソナ建設/鈴木一郎/8月21日 10:30")

    response = login(pasona.secretariat).get(reverse("notifications:inbox"))

    page = response.content.decode()
    assert "パソナ建設/鈴木一郎/8月21日 10:30" in page
    assert "照合できず" in page


def test_the_inbox_lists_mail_in_a_constant_number_of_queries(login, pasona, django_assert_max_num_queries):
    client = login(pasona.secretariat)
    unmatched(pasona, subject="件名1")
    client.get(reverse("notifications:inbox"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notifications:inbox"))
    for n in range(8):
        unmatched(pasona, subject=f"件名{n + 2}", charset="shift_jis")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("notifications:inbox"))

    assert response.content.decode().count("件名") >= 9


def test_the_detail_shows_the_decoded_subject_body_and_attachments(login, pasona):
    mail = unmatched(pasona, subject="支援の写真です", charset="iso-2022-jp", body="本日の支援の様子を送ります。",
                     attachments=[("支援の様子.jpg", jpeg_bytes(), "image/jpeg")])

    page = login(pasona.secretariat).get(reverse("notifications:mail_detail", args=[mail.pk])).content.decode()

    assert "支援の写真です" in page
    assert "本日の支援の様子を送ります。" in page
    assert "支援の様子.jpg" in page


def test_a_rejected_attachment_shows_why(login, pasona):
    mail = unmatched(pasona, subject="写真", attachments=[("photo.jpg", b"not an image at all", "image/jpeg")])

    page = login(pasona.secretariat).get(reverse("notifications:mail_detail", args=[mail.pk])).content.decode()

    assert "「photo.jpg」は画像ではありません" in page


def test_opening_an_attachment_is_audited_and_the_image_is_re_encoded(login, pasona):
    mail = unmatched(pasona, attachments=[("IMG_0001.JPG", jpeg_bytes(), "image/jpeg")])

    response = login(pasona.secretariat).get(reverse("notifications:mail_attachment", args=[mail.pk, 0]))

    assert response["Content-Type"] == "image/jpeg"
    assert response.content.startswith(b"\xff\xd8\xff")
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="mail.attachment_viewed", object_id=str(mail.pk)).exists()


def test_a_disguised_attachment_is_only_offered_as_a_download(login, pasona):
    mail = unmatched(pasona, attachments=[("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")])

    response = login(pasona.secretariat).get(reverse("notifications:mail_attachment", args=[mail.pk, 0]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_raw_mail_downloads_exactly_as_received(login, pasona):
    raw = build_mail("件名", sender=pasona.sme.email)
    mail = ingest(raw).mail

    response = login(pasona.secretariat).get(reverse("notifications:mail_raw", args=[mail.pk]))

    assert response.content == raw


def test_the_secretariat_matches_an_unmatched_start_report_by_hand(login, pasona):
    case = scheduled_now(pasona, started_minutes_ago=2)
    mail = unmatched(pasona, subject="開始しました")
    stated = timezone.localtime(case.starts_at)

    response = login(pasona.secretariat).post(reverse("notifications:mail_match", args=[mail.pk]), {
        "case_number": case.pk, "kind": "start", "reported_at": f"{stated:%Y-%m-%dT%H:%M}",
    })

    assert response.status_code == 302
    mail.refresh_from_db()
    assert (mail.status, mail.case_id, mail.matched_by, mail.needs_review) == ("matched", case.pk, pasona.secretariat, False)
    assert TimeReport.objects.get(case=case).source == "mail"
    assert AuditEvent.objects.filter(action="mail.matched_manually", object_id=str(mail.pk)).exists()


def test_a_suggested_case_can_be_picked_for_a_photo(login, pasona):
    case = scheduled_now(pasona, started_minutes_ago=100)
    mail = unmatched(pasona, subject="写真を送ります", attachments=[("IMG_0001.JPG", jpeg_bytes(), "image/jpeg")])
    client = login(pasona.secretariat)
    assert f"#{case.pk} " in client.get(reverse("notifications:mail_detail", args=[mail.pk])).content.decode()

    client.post(reverse("notifications:mail_match", args=[mail.pk]), {"case": case.pk, "kind": "photo"})

    assert CasePhoto.objects.filter(case=case, source="mail").count() == 1


def test_a_manual_match_the_visit_refuses_changes_nothing_and_says_why(login, pasona):
    case = scheduled_now(pasona, started_minutes_ago=-3 * 24 * 60)  # three days ahead
    mail = unmatched(pasona, subject="開始しました")
    stated = timezone.localtime(case.starts_at)

    response = login(pasona.secretariat).post(reverse("notifications:mail_match", args=[mail.pk]), {
        "case_number": case.pk, "kind": "start", "reported_at": f"{stated:%Y-%m-%dT%H:%M}",
    })

    assert response.status_code == 200
    assert "より前には時刻を報告できません" in response.content.decode()
    mail.refresh_from_db()
    assert (mail.status, mail.case_id) == ("unmatched", None)
    assert not TimeReport.objects.exists()


def test_a_start_report_matched_by_hand_needs_a_time(login, pasona):
    case = scheduled_now(pasona, started_minutes_ago=2)
    mail = unmatched(pasona)

    response = login(pasona.secretariat).post(reverse("notifications:mail_match", args=[mail.pk]), {
        "case_number": case.pk, "kind": "start", "reported_at": "",
    })

    assert "報告された時刻を入力してください" in response.content.decode()
    assert not TimeReport.objects.exists()


def test_a_mail_from_an_address_registered_later_is_matched_when_re_run(login, pasona):
    case = scheduled_now(pasona, started_minutes_ago=2)
    mail = unmatched(pasona, subject=subject_for(case), sender="hanako.yamada@gmail.example")
    assert mail.status == "rejected"
    rules = rules_for_year(case.fiscal_year)
    rules.accept_any_sender = True
    rules.save()

    login(pasona.secretariat).post(reverse("notifications:mail_reprocess", args=[mail.pk]))

    mail.refresh_from_db()
    assert (mail.status, mail.case_id) == ("matched", case.pk)


def test_closing_a_mail_needs_a_note_and_takes_it_off_the_open_list(login, pasona):
    mail = unmatched(pasona, subject="広告メール")
    client = login(pasona.secretariat)

    client.post(reverse("notifications:mail_close", args=[mail.pk]), {"note": ""})
    assert InboundMail.objects.open().filter(pk=mail.pk).exists()
    client.post(reverse("notifications:mail_close", args=[mail.pk]), {"note": "広告のため対応不要"})

    assert not InboundMail.objects.open().filter(pk=mail.pk).exists()
    assert "広告メール" not in client.get(reverse("notifications:inbox")).content.decode()
    assert "広告メール" in client.get(reverse("notifications:inbox") + "?view=all").content.decode()


@pytest.mark.parametrize("name", ["mail_match", "mail_reprocess", "mail_close"])
def test_post_only_views_refuse_get(login, pasona, name):
    mail = unmatched(pasona)

    assert login(pasona.secretariat).get(reverse(f"notifications:{name}", args=[mail.pk])).status_code == 405


def test_an_unknown_mail_is_404(login, pasona):
    assert login(pasona.secretariat).get(reverse("notifications:mail_detail", args=[999999])).status_code == 404


def test_the_secretariat_allows_phone_addresses_for_the_year(login, pasona):
    admin = factories.grant(factories.UserFactory(), "admin")

    login(admin).post(reverse("notifications:rules"), {
        "accept_any_sender": "on", "match_tolerance_minutes": 60, "max_attachment_mb": 10,
    })

    rules = rules_for_year(__import__("core.dates", fromlist=["fiscal_year"]).fiscal_year())
    assert (rules.accept_any_sender, rules.match_tolerance_minutes) == (True, 60)
    assert AuditEvent.objects.filter(action="mail.rules_updated").exists()


def test_the_rules_page_is_for_the_secretariat_only(login, pasona):
    assert login(pasona.staff).get(reverse("notifications:rules")).status_code == 404


def test_an_old_mail_keeps_its_received_time(pasona):
    when = timezone.now() - datetime.timedelta(days=3)

    mail = ingest(build_mail("件名", sender=pasona.sme.email), received_at=when).mail

    assert mail.received_at == when
