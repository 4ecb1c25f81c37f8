import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intake import actions
from intake.models import OrganisationStats
from core.dates import fiscal_year
from intake.stats import record_dispatch_applied, refresh_org_stats

from .conftest import jst

pytestmark = pytest.mark.django_db

NOW = jst(2026, 11, 20, 18, 0)  # a Friday evening


@pytest.fixture
def history(make_request, coordinator, sme):
    """Hand-made answers for one organisation, times in JST."""

    def answered(submitted, answered_at, accept=True):
        req = make_request(now=submitted)
        if accept:
            actions.accept_request(coordinator, req.pk, jst(2026, 12, 1, 10, 0), "phone", "03-1234-5678", now=answered_at)
        else:
            actions.decline_request(coordinator, req.pk, "対象外の相談です", now=answered_at)
        return req

    answered(jst(2026, 11, 9, 10, 0), jst(2026, 11, 9, 12, 0), accept=False)  # 2 hours, in time
    answered(jst(2026, 11, 10, 10, 0), jst(2026, 11, 10, 16, 0))  # 6 hours, in time
    answered(jst(2026, 11, 11, 10, 0), jst(2026, 11, 16, 10, 0))  # 5 days, after the Thursday deadline
    make_request(now=jst(2026, 11, 12, 10, 0))  # never answered, deadline Friday 11-13 passed: counts as late
    make_request(now=jst(2026, 11, 20, 17, 0))  # still within its clock: not judged yet
    answered(jst(2026, 8, 1, 10, 0), jst(2026, 8, 1, 10, 30))  # 111 days ago: outside the 90-day window
    withdrawn = make_request(now=jst(2026, 11, 13, 10, 0))
    actions.withdraw_request(sme, withdrawn.pk, now=jst(2026, 11, 13, 11, 0))  # withdrawn before any answer: ignored


def test_median_first_response_and_share_within_two_business_days(history, organisation):
    refresh_org_stats(now=NOW)
    stats = OrganisationStats.objects.get(organisation=organisation)
    assert stats.requests_measured == 4
    assert stats.responded == 3
    assert stats.median_response_seconds == 6 * 3600  # median of 2 h, 6 h, 120 h
    assert stats.answered_in_time == 2
    assert stats.share_in_time == 0.5
    assert stats.median_display() == "約6時間" and stats.share_percent == 50


def test_each_first_response_updates_the_figures_at_once(make_request, coordinator, organisation):
    req = make_request(now=jst(2026, 11, 16, 9, 0))
    actions.decline_request(coordinator, req.pk, "予算の都合", now=jst(2026, 11, 16, 12, 30))
    stats = OrganisationStats.objects.get(organisation=organisation)
    assert (stats.requests_measured, stats.responded, stats.median_response_seconds) == (1, 1, 3.5 * 3600)
    assert stats.share_in_time == 1.0


def test_refresh_command_writes_a_row_for_every_organisation(organisation):
    from tests import factories

    factories.OrganisationFactory.create_batch(3)
    call_command("refresh_org_stats")
    assert OrganisationStats.objects.count() == 4
    assert not OrganisationStats.objects.get(organisation=organisation).has_data


def test_organisation_without_requests_says_it_has_no_data(client, organisation):
    refresh_org_stats()
    page = client.get(reverse("directory:org_detail", args=[organisation.pk])).content.decode()
    assert "実績データなし" in page
    assert "%" not in page


def test_organisation_page_shows_measured_figures(client, history, organisation):
    refresh_org_stats(now=NOW)
    page = client.get(reverse("directory:org_detail", args=[organisation.pk])).content.decode()
    assert "約6時間" in page and "50%" in page and "実績データなし" not in page


def test_dispatches_applied_this_fiscal_year_count_each_case_once(settings, tmp_path):
    from dispatch import actions as dispatch_actions
    from tests.dispatch.builders import World

    settings.MEDIA_ROOT = tmp_path / "media"
    # given two dispatch cases applied by one organisation, one of them returned and applied again
    world = World()
    first, second = world.draft(days=10), world.draft(days=12)
    dispatch_actions.apply_case(world.staff, first.pk)
    dispatch_actions.apply_case(world.staff, second.pk)
    dispatch_actions.return_case(world.secretariat, first.pk, "写真の提出がありません")
    dispatch_actions.apply_case(world.staff, first.pk)
    # then the directory counts two applications this fiscal year, right away and after a refresh
    stats = OrganisationStats.objects.get(organisation=world.organisation)
    assert stats.dispatches_applied == 2
    refresh_org_stats()
    stats.refresh_from_db()
    assert stats.dispatches_applied == 2 and stats.dispatch_fiscal_year == fiscal_year()
    # and the next fiscal year starts from zero
    refresh_org_stats(now=timezone.now() + datetime.timedelta(days=366))
    stats.refresh_from_db()
    assert stats.dispatches_applied == 0


def test_dispatch_counts_from_an_old_fiscal_year_are_ignored(organisation):
    record_dispatch_applied(organisation, timezone.now() - datetime.timedelta(days=800))
    assert not OrganisationStats.objects.filter(organisation=organisation, dispatches_applied__gt=0).exists()
