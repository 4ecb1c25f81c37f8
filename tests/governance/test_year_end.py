"""Year end: checklist hearing, support organisations' evaluations, the rating, budget effect, flagging."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from consultations.models import Consultation
from directory.models import Organisation
from governance import actions, scoring
from governance.models import ChecklistItem, Rating, Survey
from governance.years import governance_year_for
from notifications.models import Outbox
from tests import factories
from tests.governance.builders import LAST_YEAR, record


def full_scores(fy, fraction):
    governance_year_for(fy)
    return {i.pk: (round(i.max_score * fraction), "") for i in ChecklistItem.objects.filter(fiscal_year=fy)}


@pytest.fixture
def year(gov):
    """Last year: targets 4 consultations / 2 visitors / 2 solved / 2 network; actual 4 / 2 / 1 / 0."""
    actions.save_plan(gov.chief, gov.centre, LAST_YEAR, {"needs_analysis": "", "plan_text": "", "target_consultations": 4,
                                                         "target_visitors": 2, "target_solved": 2, "target_network": 2})
    for i, (month, outcome) in enumerate([(4, Consultation.Outcome.SOLVED), (5, "continue"), (6, "continue"), (7, "continue")]):
        record(gov.staff, gov.centre, gov.companies[i % 2], month, outcome=outcome)
    return gov


def test_indicator_score_is_the_mean_of_capped_achievement():
    targets = {"consultations": 4, "visitors": 2, "solved": 2, "network": 2}
    actuals = {"consultations": 8, "visitors": 2, "solved": 1, "network": 0}
    assert scoring.indicator_score(targets, actuals, []) == 62.5  # (1 + 1 + 0.5 + 0) / 4
    assert scoring.indicator_score(targets, actuals, [(10, 5)]) == 60.0  # + focus 0.5


def test_weights_skip_components_without_data():
    assert scoring.combine({"indicators": 80, "survey": None, "org_evaluation": 50, "hearing": None},
                           {"indicators": 40, "survey": 20, "org_evaluation": 10, "hearing": 30}) == 74.0


def test_hq_scores_the_hearing_and_computes_the_rating(client, login, year):
    gov = year
    support = factories.OrganisationFactory(name="府中市商工会", kind=Organisation.Kind.SHOKOKAI)
    staff = factories.grant(factories.UserFactory(), Role.COORDINATOR, organisation=support)
    actions.submit_org_evaluation(staff, support, LAST_YEAR, 4, "紹介した事業者への対応が早い")
    login(gov.hq)
    governance_year_for(LAST_YEAR)
    items = list(ChecklistItem.objects.filter(fiscal_year=LAST_YEAR))
    post = {"held_on": timezone.localdate().isoformat(), "own_initiatives": "金融機関と合同の事業承継相談会"}
    post.update({f"score_{i.pk}": i.max_score for i in items})
    assert client.post(reverse("governance:hearing", args=[gov.centre.pk, LAST_YEAR]), post).status_code == 302
    client.post(reverse("governance:rating_compute", args=[gov.centre.pk, LAST_YEAR]))
    rating = Rating.objects.get(organisation=gov.centre, fiscal_year=LAST_YEAR)
    assert rating.indicator_score == 62.5
    assert rating.hearing_score == 100.0
    assert rating.org_evaluation_score == 75.0
    assert rating.survey_score is None
    assert rating.overall == round((62.5 * 40 + 75 * 10 + 100 * 30) / 80, 1)
    assert rating.grade == "A" and not rating.flagged


def test_a_low_rated_centre_is_flagged_and_told(year):
    gov = year
    actions.record_hearing(gov.hq, gov.centre, LAST_YEAR, {"held_on": timezone.localdate()}, full_scores(LAST_YEAR, 0.2))
    rating = actions.compute_rating(gov.hq, gov.centre, LAST_YEAR)
    assert rating.flagged and rating.grade == "C"
    mail = Outbox.objects.get(template="governance_rating_flagged")
    assert gov.chief.email in mail.to and gov.bureau.email in mail.to


def test_flagged_centres_are_listed_on_the_national_dashboard(client, login, year):
    gov = year
    actions.record_hearing(gov.hq, gov.centre, LAST_YEAR, {"held_on": timezone.localdate()}, full_scores(LAST_YEAR, 0))
    actions.compute_rating(gov.hq, gov.centre, LAST_YEAR)
    login(gov.hq)
    page = client.get(reverse("governance:nation") + f"?year={LAST_YEAR}").content.decode()
    assert "重点指導の対象となった拠点" in page and gov.centre.name in page


def test_hq_records_the_effect_on_next_years_budget(client, login, year):
    gov = year
    rating = actions.compute_rating(gov.hq, gov.centre, LAST_YEAR)
    login(gov.hq)
    client.post(reverse("governance:rating", args=[gov.centre.pk, LAST_YEAR]), {
        "budget_change_percent": "-5.0", "budget_amount": "52000", "budget_note": "活動指標の未達を反映", "guidance_note": ""})
    rating.refresh_from_db()
    assert str(rating.budget_change_percent) == "-5.0" and rating.budget_amount == 52000 and rating.budget_recorded_at


def test_hearing_refuses_a_score_above_the_maximum(year):
    scores = full_scores(LAST_YEAR, 1)
    first = next(iter(scores))
    scores[first] = (99, "")
    with pytest.raises(actions.Refused, match="配点までの範囲"):
        actions.record_hearing(year.hq, year.centre, LAST_YEAR, {"held_on": timezone.localdate()}, scores)


def test_only_hq_computes_ratings(client, login, year):
    login(year.chief)
    assert client.post(reverse("governance:rating_compute", args=[year.centre.pk, LAST_YEAR])).status_code == 404
    assert client.get(reverse("governance:hearing", args=[year.centre.pk, LAST_YEAR])).status_code == 404


def test_support_organisation_evaluates_its_prefectures_centre_in_the_browser(client, login, gov):
    support = factories.OrganisationFactory(name="八王子商工会議所", kind=Organisation.Kind.CCI)
    staff = factories.grant(factories.UserFactory(), Role.COORDINATOR, organisation=support)
    login(staff)
    page = client.get(reverse("governance:evaluation"))
    assert gov.centre.name in page.content.decode()
    client.post(reverse("governance:evaluation"), {"score": "5", "comment": "出張相談会を毎月共催"})
    assert gov.centre.evaluations_received.get().score == 5


def test_centre_staff_cannot_evaluate_their_own_centre(client, login, gov):
    login(gov.staff)
    assert client.get(reverse("governance:evaluation")).status_code == 404


def test_survey_answers_feed_the_rating(client, year):
    gov = year
    Survey.objects.create(source_kind="consultation", source_id=1, organisation=gov.centre, company=gov.company,
                          fiscal_year=LAST_YEAR, source_date=timezone.datetime(LAST_YEAR, 5, 1).date(), sampled=True,
                          sent_at=timezone.now(), responded_at=timezone.now(), satisfaction=4, usefulness=4, would_recommend=True)
    assert actions.compute_rating(gov.hq, gov.centre, LAST_YEAR).survey_score == 75.0
