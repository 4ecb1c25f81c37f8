"""Every governance page: anonymous → login, outsider → 404, GET on a state change → 405."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from governance import actions
from governance.models import Training, VisitFollowUp
from tests import factories
from tests.governance.builders import LAST_YEAR


@pytest.fixture
def pages(gov):
    from django.utils import timezone

    actions.save_plan(gov.chief, gov.centre, LAST_YEAR, {"needs_analysis": "", "plan_text": "", "target_consultations": 1,
                                                         "target_visitors": 1, "target_solved": 1, "target_network": 1})
    visit = actions.record_visit(gov.hq, gov.centre, {"visited_on": timezone.localdate(), "observations": "観察", "advice": "助言",
                                                      "follow_ups": ["周知する"]})
    training = actions.create_training(gov.hq, {"kind": Training.Kind.OJT, "title": "OJT", "held_on": timezone.localdate()})
    pk, fy = gov.centre.pk, LAST_YEAR
    return gov, {
        "centre": reverse("governance:centre", args=[pk]),
        "plan": reverse("governance:plan", args=[pk, fy]),
        "network": reverse("governance:network", args=[pk]),
        "rating": reverse("governance:rating", args=[pk, fy]),
        "export": reverse("governance:centre_export", args=[pk, "monthly", "csv"]),
        "training": reverse("governance:training", args=[training.pk]),
        "trainings": reverse("governance:trainings"),
        "policy": reverse("governance:policy", args=[fy]),
    }, VisitFollowUp.objects.get(visit=visit)


def test_anonymous_visitors_are_sent_to_login(client, pages):
    _gov, urls, _f = pages
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_an_sme_sees_none_of_it(client, login, pages):
    gov, urls, _f = pages
    login(gov.sme)
    for url in urls.values():
        assert client.get(url).status_code == 404, url


def test_another_centres_coordinator_sees_nothing_of_this_centre(client, login, pages):
    gov, urls, _f = pages
    _other, outsider = gov.other_centre()
    login(outsider)
    for name in ("centre", "plan", "network", "rating", "export"):
        assert client.get(urls[name]).status_code == 404, name


def test_outsider_cannot_close_a_follow_up(client, login, pages):
    gov, _urls, follow_up = pages
    _other, outsider = gov.other_centre()
    login(outsider)
    assert client.post(reverse("governance:follow_up_done", args=[follow_up.pk]), {"result": "x"}).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.status == "open"


def test_state_changes_refuse_get(client, login, pages):
    gov, _urls, follow_up = pages
    login(gov.hq)
    pk, fy = gov.centre.pk, LAST_YEAR
    for url in [reverse("governance:follow_up_done", args=[follow_up.pk]), reverse("governance:rating_compute", args=[pk, fy]),
                reverse("governance:focus_remove", args=[pk, fy, 1]), reverse("governance:audit_check", args=[1])]:
        assert client.get(url).status_code == 405, url


def test_only_hq_edits_settings_and_policy(client, login, pages):
    gov, urls, _f = pages
    login(gov.chief)
    assert client.get(reverse("governance:settings", args=[LAST_YEAR])).status_code == 404
    assert client.post(urls["policy"], {"title": "x", "body": "y"}).status_code == 404
    login(gov.hq)
    assert client.get(reverse("governance:settings", args=[LAST_YEAR])).status_code == 200


def test_hq_changes_the_sample_rate_and_weights(client, login, pages):
    gov, _urls, _f = pages
    from governance.years import governance_year_for

    login(gov.hq)
    form = {"survey_sample_percent": 25, "survey_window_days": 14, "link_valid_days": 30, "sampling_seed": "r8",
            "audit_sample_percent": 10, "followup_grace_days": 30, "weight_indicators": 50, "weight_survey": 20,
            "weight_org_evaluation": 10, "weight_hearing": 20, "grade_s_min": 90, "grade_a_min": 75, "grade_b_min": 60}
    assert client.post(reverse("governance:settings", args=[LAST_YEAR]), form).status_code == 302
    year = governance_year_for(LAST_YEAR)
    assert (year.survey_sample_percent, year.weight_indicators, year.sampling_seed) == (25, 50, "r8")
    page = client.post(reverse("governance:settings", args=[LAST_YEAR]), form | {"grade_a_min": 95}, follow=True)
    assert "S ≧ A ≧ B" in page.content.decode()


def test_a_bureau_user_of_another_region_cannot_open_the_centre(client, login, pages):
    from reference.models import Bureau

    gov, urls, _f = pages
    login(factories.grant(factories.UserFactory(), Role.BUREAU, bureau=Bureau.objects.get(code="kyushu")))
    assert client.get(urls["centre"]).status_code == 404
