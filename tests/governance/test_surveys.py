"""Satisfaction surveys: sampled at the year's rate (reproducibly), mailed once, answered once, aggregated."""

import datetime
import re

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation
from governance import outreach, sampling
from governance.models import ActivityMonth, Survey
from governance.years import governance_year_for
from notifications.models import Outbox
from tests.governance.builders import certify
from tests.consultations.builders import consult


def closed_consultations(gov, n, outcome=Consultation.Outcome.SOLVED):
    return [consult(gov.staff, gov.centre, gov.companies[i % 4], photo=False, outcome=outcome,
                    held_on=timezone.localdate() - datetime.timedelta(days=i % 5)) for i in range(n)]


def set_rate(percent, seed="yorozu"):
    from core.dates import fiscal_year

    year = governance_year_for(fiscal_year())
    year.survey_sample_percent, year.sampling_seed = percent, seed
    year.save()


def test_sampling_is_reproducible_with_a_seed():
    first = [sampling.in_sample("seed-1", "consultation", pk, 30) for pk in range(2000)]
    again = [sampling.in_sample("seed-1", "consultation", pk, 30) for pk in range(2000)]
    other = [sampling.in_sample("seed-2", "consultation", pk, 30) for pk in range(2000)]
    assert first == again
    assert first != other
    assert 0.26 < sum(first) / 2000 < 0.34  # the rate holds


def test_every_closed_consultation_is_considered_once_and_the_sample_is_mailed(gov):
    set_rate(50)
    consultations = closed_consultations(gov, 12)
    considered, mailed = outreach.send_surveys()
    expected = [c.pk for c in consultations if sampling.in_sample("yorozu", "consultation", c.pk, 50)]
    assert considered == 13  # + the World's own consultation (dispatch proposed: closed too)
    assert set(Survey.objects.filter(sampled=True, source_kind="consultation").values_list("source_id", flat=True)) >= set(expected)
    assert Outbox.objects.filter(template="governance_survey").count() == mailed


def test_running_again_sends_nothing_twice(gov):
    set_rate(100)
    closed_consultations(gov, 5)
    call_command("send_surveys")
    sent = Outbox.objects.filter(template="governance_survey").count()
    call_command("send_surveys")
    assert Outbox.objects.filter(template="governance_survey").count() == sent == 6
    assert Survey.objects.count() == 6


def test_continuing_consultations_get_no_survey(gov):
    set_rate(100)
    closed_consultations(gov, 3, outcome=Consultation.Outcome.CONTINUE)
    considered, _ = outreach.send_surveys()
    assert considered == 1  # only the World's consultation


def test_a_certified_dispatch_is_surveyed(gov):
    set_rate(100)
    case = certify(gov, gov.case_in("scheduled"), timezone.now())
    outreach.send_surveys()
    assert Survey.objects.filter(source_kind="dispatch", source_id=case.pk, sampled=True).exists()


def test_sme_answers_through_the_mailed_link_once(client, gov, smtp_server, deliver_mail):
    set_rate(100)
    outreach.send_surveys()
    deliver_mail()
    received = smtp_server.messages[-1]
    assert received["to"] == [gov.sme.email]
    body = received["message"].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/governance/survey/\S+/", body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    response = client.post("/" + path, {"satisfaction": "5", "usefulness": "4", "would_recommend": "yes", "comment": "丁寧でした"})
    assert "ご回答ありがとうございました" in response.content.decode()
    survey = Survey.objects.get(responded_at__isnull=False)
    assert (survey.satisfaction, survey.usefulness, survey.would_recommend) == (5, 4, True)
    again = client.post("/" + path, {"satisfaction": "1", "usefulness": "1", "would_recommend": "no"})
    assert again.status_code == 410 and "すでに回答" in again.content.decode()
    survey.refresh_from_db()
    assert survey.satisfaction == 5


def test_an_unknown_or_expired_link_is_refused(client, gov):
    set_rate(100)
    outreach.send_surveys()
    assert client.get(reverse("governance:survey", args=["not-a-token"])).status_code == 410
    Survey.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    body = Outbox.objects.get(template="governance_survey").body_text
    token = re.search(r"/governance/survey/(\S+)/", body).group(1)
    response = client.get(reverse("governance:survey", args=[token]))
    assert response.status_code == 410 and "回答期限" in response.content.decode()


def test_answers_show_up_in_the_centres_figures(client, gov):
    set_rate(100)
    closed_consultations(gov, 2)
    outreach.send_surveys()
    tokens = re.findall(r"/governance/survey/(\S+)/", " ".join(Outbox.objects.values_list("body_text", flat=True)))
    for token, score in zip(tokens, (5, 3)):
        client.post(reverse("governance:survey", args=[token]), {"satisfaction": score, "usefulness": 4, "would_recommend": "yes"})
    month = timezone.localdate().replace(day=1)
    rows = ActivityMonth.objects.filter(organisation=gov.centre)
    assert sum(r.surveys_sent for r in rows) == 3
    assert sum(r.survey_responses for r in rows) == 2
    assert sum(r.satisfaction_sum for r in rows) == 8
    assert rows.filter(month__lte=month).exists()


def test_invalid_answer_shows_a_japanese_error_and_keeps_the_link(client, gov):
    set_rate(100)
    outreach.send_surveys()
    token = re.search(r"/governance/survey/(\S+)/", Outbox.objects.get().body_text).group(1)
    page = client.post(reverse("governance:survey", args=[token]), {"satisfaction": "9"})
    assert page.status_code == 200 and "正しく選択" in page.content.decode() or "必須" in page.content.decode()
    assert Survey.objects.get().responded_at is None
