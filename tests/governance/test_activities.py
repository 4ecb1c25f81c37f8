"""During the year: network activities, HQ visits with follow-ups, trainings with attendance, staff qualifications."""

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import actions, dashboard
from governance.models import NetworkActivity, Training, TrainingAttendance, VisitFollowUp
from notifications.models import Outbox
from reference.models import Qualification


def test_staff_log_a_network_activity_and_it_counts_at_once(client, login, gov):
    login(gov.staff)
    today = timezone.localdate()
    response = client.post(reverse("governance:network", args=[gov.centre.pk]), {
        "held_on": today.isoformat(), "partner_kind": "shopping_street", "partner_name": "府中けやき並木商店街振興組合",
        "purpose": "pr", "note": "拠点のチラシを会報に同封してもらう"})
    assert response.status_code == 302
    assert NetworkActivity.objects.get().partner_name == "府中けやき並木商店街振興組合"
    from core.dates import fiscal_year

    data = dashboard.centre_dashboard(gov.centre, fiscal_year(today), today)
    assert data["actuals"]["network"] == 1


def test_a_network_activity_in_the_future_is_refused(client, login, gov):
    login(gov.staff)
    page = client.post(reverse("governance:network", args=[gov.centre.pk]), {
        "held_on": (timezone.localdate() + timezone.timedelta(days=2)).isoformat(), "partner_kind": "cci",
        "partner_name": "八王子商工会議所", "purpose": "visit"}, follow=True)
    assert "未来の日付" in page.content.decode()
    assert not NetworkActivity.objects.exists()


def test_another_centres_staff_cannot_log_for_this_centre(client, login, gov):
    other, other_staff = gov.other_centre()
    login(other_staff)
    assert client.get(reverse("governance:network", args=[gov.centre.pk])).status_code == 404


def test_hq_records_a_visit_and_the_centre_answers_the_follow_up(client, login, gov):
    login(gov.hq)
    client.post(reverse("governance:visit_new", args=[gov.centre.pk]), {
        "visited_on": timezone.localdate().isoformat(), "sat_in_consultations": "2",
        "observations": "相談記録に次の対応が書かれていないものがある。", "advice": "相談記録の「今後の対応」を必ず記入する。",
        "follow_ups": "相談記録の記入ルールを周知する\n継続相談の一覧を毎週確認する"})
    assert VisitFollowUp.objects.count() == 2
    assert gov.chief.email in Outbox.objects.get(template="governance_visit_recorded").to
    item = VisitFollowUp.objects.first()
    login(gov.chief)
    client.post(reverse("governance:follow_up_done", args=[item.pk]), {"result": "4月の職員会議で周知した"})
    item.refresh_from_db()
    assert item.status == "done" and item.done_by == gov.chief


def test_a_chief_cannot_record_an_hq_visit(client, login, gov):
    login(gov.chief)
    assert client.get(reverse("governance:visit_new", args=[gov.centre.pk])).status_code == 404


def test_chief_records_attendance_of_own_staff_only(gov):
    training = actions.create_training(gov.hq, {"kind": Training.Kind.NATIONAL, "title": "全国研修（事業承継）",
                                                "held_on": timezone.localdate(), "place": "中小企業大学校東京校"})
    assert actions.record_attendance(gov.chief, training.pk, gov.centre, [gov.staff, gov.chief]) == 2
    other, other_staff = gov.other_centre()
    with pytest.raises(actions.Refused, match="この拠点の職員"):
        actions.record_attendance(gov.chief, training.pk, gov.centre, [other_staff])
    assert TrainingAttendance.objects.count() == 2


def test_block_training_needs_its_block(gov):
    with pytest.raises(actions.Refused, match="ブロック"):
        actions.create_training(gov.hq, {"kind": Training.Kind.BLOCK, "title": "関東ブロック研修", "held_on": timezone.localdate()})


def test_staff_report_qualifications_and_the_table_counts_them_by_role(client, login, gov):
    login(gov.staff)
    names = ["中小企業診断士", "社会保険労務士"]
    ids = [str(q.pk) for q in Qualification.objects.filter(name__in=names)]
    client.post(reverse("governance:qualifications"), {"qualifications": ids})
    actions.set_staff_qualifications(gov.chief, list(Qualification.objects.filter(name="中小企業診断士")))
    table = dashboard.qualification_table([gov.centre.pk])
    rows = {r[0]: r[1:] for r in table.rows}
    assert rows["（職員数）"] == [1, 1]
    assert rows["中小企業診断士"] == [1, 1]
    assert rows["社会保険労務士"] == [0, 1]
    assert rows["税理士"] == [0, 0]
    assert "複数回答あり" in table.note


def test_an_sme_has_no_qualifications_page(client, login, gov):
    login(gov.sme)
    assert client.get(reverse("governance:qualifications")).status_code == 404
