"""A legacy mail report is matched to its dispatch case and applied; a bad one is kept with a reason."""

import datetime

import pytest
from django.utils import timezone

from dispatch.models import State
from notifications.inbound import ingest, rules_for_year
from notifications.models import InboundMail
from tests.notifications.inbound_builders import (  # noqa: F401  (fixtures)
    build_mail, heic_bytes, inbound_media, jpeg_bytes, pasona, pdf_bytes, png_bytes, subject_for,
)
from tests.visits.builders import move_visit, scheduled_now, set_state
from visits.models import CasePhoto, PhotoConsent, TimeReport


def report(raw):
    return ingest(raw).as_dict()


def started(world, minutes_ago=3):
    return scheduled_now(world, started_minutes_ago=minutes_ago)


def ending(world):
    return scheduled_now(world, started_minutes_ago=118)  # ends in two minutes


def allow_any_sender(case):
    rules = rules_for_year(case.fiscal_year)
    rules.accept_any_sender = True
    rules.save(update_fields=["accept_any_sender"])


@pytest.mark.parametrize("charset", ["iso-2022-jp", "shift_jis", "utf-8"])
def test_a_start_report_from_the_registered_address_is_recorded(pasona, charset):
    case = started(pasona)

    result = report(build_mail(subject_for(case), sender=pasona.sme.email, charset=charset))

    assert (result["status"], result["case"], result["kind"]) == ("matched", case.pk, "start")
    time_report = TimeReport.objects.get(case=case)
    assert (time_report.source, time_report.kind, time_report.in_window) == ("mail", "start", True)


def test_the_seed_example_written_in_full_width_with_the_legal_form_mark_matches(pasona):
    case = started(pasona)
    start = timezone.localtime(case.starts_at)
    subject = f"㈱ぱそな建設／専門家次郎／{start.month}月{start.day}日　{start:%H:%M}".translate(
        str.maketrans("0123456789:", "０１２３４５６７８９："))

    result = report(build_mail(subject, sender=pasona.sme.email, charset="iso-2022-jp"))

    assert (result["status"], result["case"]) == ("matched", case.pk)


def test_a_slash_date_and_spaces_around_the_slashes_match(pasona):
    case = started(pasona)

    result = report(build_mail(subject_for(case, fmt="パソナ建設 / 専門家 次郎 / {month}/{day} {time}"), sender=pasona.sme.email))

    assert result["status"] == "matched"


def test_names_separated_by_spaces_only_still_match(pasona):
    case = started(pasona)

    result = report(build_mail(subject_for(case, fmt="パソナ建設 専門家次郎 {month}月{day}日 {time}"), sender=pasona.sme.email))

    assert result["status"] == "matched"


def test_the_sender_address_is_compared_without_case(pasona):
    case = started(pasona)

    result = report(build_mail(subject_for(case), sender=pasona.sme.email.upper()))

    assert result["status"] == "matched"


def test_an_end_report_closes_the_visit(pasona):
    case = ending(pasona)

    result = report(build_mail(subject_for(case, "end"), sender=pasona.sme.email))

    case.refresh_from_db()
    assert (result["kind"], case.state) == ("end", State.DONE)


def test_an_end_report_with_the_photo_attached_records_both(pasona):
    case = ending(pasona)

    result = report(build_mail(subject_for(case, "end"), sender=pasona.sme.email,
                               attachments=[("IMG_0001.JPG", jpeg_bytes(), "image/jpeg")]))

    assert result["kind"] == "end"
    assert CasePhoto.objects.filter(case=case, source="mail").count() == 1
    assert "写真1枚" in result["reason"]


@pytest.mark.parametrize("name,data,mimetype", [
    ("IMG_0001.JPG", jpeg_bytes(), "image/jpeg"),
    ("スクリーンショット.png", png_bytes(), "image/png"),
    ("IMG_0002.HEIC", heic_bytes(), "image/heic"),
])
def test_a_photo_mail_with_the_support_date_range_attaches_the_photo(pasona, name, data, mimetype):
    case = ending(pasona)
    subject = subject_for(case, fmt="{company}/{expert}/{month}月{day}日(水){start}～{end}")

    result = report(build_mail(subject, sender=pasona.sme.email, charset="shift_jis", attachments=[(name, data, mimetype)]))

    assert (result["status"], result["kind"], result["case"]) == ("matched", "photo", case.pk)
    assert CasePhoto.objects.get(case=case).original_filename == name


def test_a_consent_pdf_is_received_for_the_senders_company_and_fiscal_year(pasona):
    result = report(build_mail("パソナ建設/写真提出の同意書", sender=pasona.sme.email,
                               attachments=[("同意書.pdf", pdf_bytes(), "application/pdf")]))

    assert (result["status"], result["kind"], result["case"]) == ("matched", "consent", None)
    assert PhotoConsent.objects.filter(company=pasona.company, source="mail").exists()


def test_the_organisation_may_send_the_consent_for_the_sme(pasona):
    pasona.case_in(State.SCHEDULED)

    result = report(build_mail("パソナ建設 写真提出の同意書", sender=pasona.staff.email,
                               attachments=[("consent.pdf", pdf_bytes(), "application/pdf")]))

    assert (result["status"], result["kind"]) == ("matched", "consent")


def test_every_mail_is_stored_whole(pasona):
    case = started(pasona)
    raw = build_mail(subject_for(case), sender=pasona.sme.email)

    result = report(raw)

    mail = InboundMail.objects.get(pk=result["mail"])
    assert bytes(mail.raw) == raw
    assert (mail.subject, mail.from_address, mail.case_id, mail.kind) == (subject_for(case), pasona.sme.email, case.pk, "start")


# ---- bad input -----------------------------------------------------------------------------

def test_a_mail_without_subject_is_kept_unmatched(pasona):
    result = report(build_mail(None, sender=pasona.sme.email))

    assert (result["status"], result["case"]) == ("unmatched", None)
    assert "件名がありません" in result["reason"]
    assert InboundMail.objects.get(pk=result["mail"]).needs_review


def test_a_garbled_subject_is_kept_unmatched(pasona):
    mojibake = "ぱそな建設/専門家次郎".encode("utf-8").decode("latin-1")  # what a broken client sends

    result = report(build_mail(mojibake, sender=pasona.sme.email, charset="utf-8"))

    assert result["status"] == "unmatched"
    assert "読み取れません" in result["reason"]


def test_an_unknown_company_is_kept_unmatched_with_its_name(pasona):
    case = started(pasona)

    result = report(build_mail(subject_for(case, fmt="山田商店/{expert}/{month}月{day}日 {time}"), sender=pasona.sme.email))

    assert result["status"] == "unmatched"
    assert "事業者名「山田商店」" in result["reason"]


def test_an_unknown_expert_is_kept_unmatched_with_its_name(pasona):
    case = started(pasona)

    result = report(build_mail(subject_for(case, fmt="{company}/鈴木一郎/{month}月{day}日 {time}"), sender=pasona.sme.email))

    assert result["status"] == "unmatched"
    assert "専門家名「鈴木一郎」" in result["reason"]
    assert not TimeReport.objects.exists()


def test_a_date_without_any_visit_is_kept_unmatched(pasona):
    started(pasona)
    other_day = timezone.localdate() + datetime.timedelta(days=40)

    result = report(build_mail(f"パソナ建設/専門家次郎/{other_day.month}月{other_day.day}日 10:30", sender=pasona.sme.email))

    assert result["status"] == "unmatched"
    assert "派遣が見つかりません" in result["reason"]


def test_a_time_three_hours_off_is_kept_for_review(pasona):
    nine = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(9, 0)))
    case = move_visit(pasona.case_in(State.SCHEDULED), nine, hours=1)

    result = report(build_mail(f"パソナ建設/専門家次郎/{nine.month}月{nine.day}日 12:00", sender=pasona.sme.email))

    assert (result["status"], result["case"]) == ("unmatched", None)
    assert "予定の開始時刻（09:00）と3時間、終了時刻（10:00）と2時間ずれている" in result["reason"]
    assert not TimeReport.objects.exists()


def test_a_20_mb_attachment_is_rejected_and_kept(pasona):
    case = ending(pasona)
    big = jpeg_bytes() + b"\0" * (20 * 1024 * 1024)
    subject = subject_for(case, fmt="{company}/{expert}/{month}月{day}日 {start}～{end}")

    result = report(build_mail(subject, sender=pasona.sme.email, attachments=[("IMG_0003.JPG", big, "image/jpeg")]))

    assert result["status"] == "rejected"
    assert "上限の10MBを超えている" in result["reason"]
    assert not CasePhoto.objects.exists()
    assert InboundMail.objects.get(pk=result["mail"]).size > 20 * 1024 * 1024


def test_a_non_image_disguised_as_jpg_is_rejected(pasona):
    case = ending(pasona)
    subject = subject_for(case, fmt="{company}/{expert}/{month}月{day}日 {start}～{end}")

    result = report(build_mail(subject, sender=pasona.sme.email,
                               attachments=[("photo.jpg", b"MZ\x90\x00 this is a program", "image/jpeg")]))

    assert result["status"] == "rejected"
    assert "「photo.jpg」は画像ではありません" in result["reason"]
    assert not CasePhoto.objects.exists()


def test_a_time_report_still_counts_when_its_attachment_is_refused(pasona):
    case = ending(pasona)

    result = report(build_mail(subject_for(case, "end"), sender=pasona.sme.email,
                               attachments=[("photo.jpg", b"not an image", "image/jpeg")]))

    assert (result["status"], result["kind"]) == ("matched", "end")
    assert "画像ではありません" in result["reason"]
    assert InboundMail.objects.get(pk=result["mail"]).needs_review


def test_a_mail_from_an_unregistered_address_is_rejected(pasona):
    case = started(pasona)

    result = report(build_mail(subject_for(case), sender="someone@docomo.ne.jp"))

    assert result["status"] == "rejected"
    assert "登録アドレスではありません" in result["reason"]
    assert not TimeReport.objects.exists()


def test_a_report_from_the_expert_is_rejected(pasona):
    case = started(pasona)

    result = report(build_mail(subject_for(case), sender=pasona.expert.user.email))

    assert result["status"] == "rejected"
    assert "専門家や支援機関からのメール報告は受け付けられません" in result["reason"]


def test_a_phone_address_is_accepted_for_review_when_the_year_allows_it(pasona):
    case = started(pasona)
    allow_any_sender(case)

    result = report(build_mail(subject_for(case), sender="hanako-keitai@docomo.ne.jp"))

    assert result["status"] == "matched"
    assert TimeReport.objects.get(case=case).review == TimeReport.Review.PENDING
    assert InboundMail.objects.get(pk=result["mail"]).needs_review


def test_a_redelivered_mail_is_not_counted_twice(pasona):
    case = started(pasona)
    raw = build_mail(subject_for(case), sender=pasona.sme.email, message_id="<abc123@mail.example.jp>")

    first, second = report(raw), report(raw)

    assert (second["status"], second["case"], second["duplicate"]) == ("matched", case.pk, True)
    assert first["mail"] == second["mail"]
    assert TimeReport.objects.count() == 1
    assert InboundMail.objects.get().delivery_count == 2


def test_a_second_start_report_is_refused_and_kept(pasona):
    case = started(pasona)
    report(build_mail(subject_for(case), sender=pasona.sme.email))

    result = report(build_mail(subject_for(case), sender=pasona.sme.email))

    assert result["status"] == "rejected"
    assert "報告済み" in result["reason"]
    assert TimeReport.objects.count() == 1
    assert InboundMail.objects.count() == 2


def test_a_report_for_a_cancelled_case_is_rejected_with_the_state(pasona):
    case = started(pasona)
    set_state(case, State.CANCELLED)

    result = report(build_mail(subject_for(case), sender=pasona.sme.email))

    assert result["status"] == "rejected"
    assert "取消し" in result["reason"]


def test_a_consent_from_an_unknown_address_is_rejected(pasona):
    result = report(build_mail("パソナ建設/写真提出の同意書", sender="x@example.com",
                               attachments=[("consent.pdf", pdf_bytes(), "application/pdf")]))

    assert result["status"] == "rejected"
    assert not PhotoConsent.objects.exists()


def test_a_photo_mail_without_a_photo_is_kept_unmatched(pasona):
    case = ending(pasona)

    result = report(build_mail(subject_for(case, fmt="{company}/{expert}/{month}月{day}日 {start}～{end}"), sender=pasona.sme.email))

    assert result["status"] == "unmatched"
    assert "写真" in result["reason"]
