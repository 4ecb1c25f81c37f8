"""Outcome follow-ups 3, 6 and 12 months after a solved consultation or a certified dispatch."""

import re

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation
from governance import dashboard, outreach
from governance.models import FollowUp
from governance.years import add_months
from notifications.models import Outbox
from tests.consultations.builders import consult
from tests.governance.builders import certify


def solved_months_ago(gov, months, company=0):
    held = add_months(timezone.localdate(), -months)
    return consult(gov.staff, gov.centre, gov.companies[company], photo=False, outcome=Consultation.Outcome.SOLVED, held_on=held)


def test_each_milestone_is_mailed_when_it_falls_due(gov):
    three, six, twelve = solved_months_ago(gov, 3), solved_months_ago(gov, 6, 1), solved_months_ago(gov, 12, 2)
    assert outreach.send_follow_ups() == 3
    assert set(FollowUp.objects.values_list("source_id", "months")) == {(three.pk, 3), (six.pk, 6), (twelve.pk, 12)}
    assert Outbox.objects.filter(template="governance_followup").count() == 3


def test_follow_ups_are_not_sent_twice(gov):
    solved_months_ago(gov, 3)
    call_command("send_followups")
    call_command("send_followups")
    assert FollowUp.objects.count() == 1 == Outbox.objects.filter(template="governance_followup").count()


def test_not_yet_due_and_unsolved_consultations_get_no_follow_up(gov):
    consult(gov.staff, gov.centre, gov.companies[0], photo=False, outcome=Consultation.Outcome.SOLVED,
            held_on=add_months(timezone.localdate(), -2))
    consult(gov.staff, gov.centre, gov.companies[1], photo=False, outcome=Consultation.Outcome.CONTINUE,
            held_on=add_months(timezone.localdate(), -3))
    assert outreach.send_follow_ups() == 0


def test_a_certified_dispatch_gets_its_three_month_follow_up(gov):
    case = gov.case_in("scheduled")
    when = timezone.make_aware(timezone.datetime.combine(add_months(timezone.localdate(), -3), timezone.datetime.min.time())) + \
        timezone.timedelta(hours=11)
    certify(gov, case, when)
    outreach.send_follow_ups()
    assert FollowUp.objects.filter(source_kind="dispatch", source_id=case.pk, months=3).exists()


def test_sme_answers_and_the_result_is_on_the_centres_dashboard(client, gov):
    solved_months_ago(gov, 6)
    outreach.send_follow_ups()
    token = re.search(r"/governance/outcome/(\S+)/", Outbox.objects.get(template="governance_followup").body_text).group(1)
    response = client.post(reverse("governance:follow_up", args=[token]), {
        "problem_solved": "yes", "sales_trend": "up", "annual_sales": "5200", "employees": "14", "new_customers": "8"})
    assert "ご回答ありがとうございました" in response.content.decode()
    row = FollowUp.objects.get()
    data = dashboard.centre_dashboard(gov.centre, row.fiscal_year, timezone.localdate())
    six = dashboard.find_table(data, "followups").rows[1]
    assert six[:5] == ["6か月後", 1, 1, 100.0, 100.0]
    assert six[6] == 100.0 and six[7] == 8 and six[8] == 14.0
    assert client.get(reverse("governance:follow_up", args=[token])).status_code == 410
