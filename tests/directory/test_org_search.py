import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Organisation
from intake.stats import refresh_org_stats
from reference.models import Prefecture
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(db):
    osaka = Prefecture.objects.get(code="27")
    return {
        "tokyo_yorozu": factories.OrganisationFactory(name="東京都よろず支援拠点", municipality="千代田区", channel_web=True),
        "fuchu": factories.OrganisationFactory(name="府中市商工会", kind=Organisation.Kind.SHOKOKAI, municipality="府中市"),
        "osaka_yorozu": factories.OrganisationFactory(name="大阪府よろず支援拠点", prefecture=osaka, municipality="大阪市中央区"),
        "sakai": factories.OrganisationFactory(name="堺商工会議所", kind=Organisation.Kind.CCI, prefecture=osaka, municipality="堺市北区"),
    }


def _names(client, **params):
    response = client.get(reverse("directory:org_list"), params)
    assert response.status_code == 200
    return {o.name for o in response.context["organisations"]}


def test_anyone_searches_organisations_by_prefecture(client, orgs):
    assert _names(client, prefecture="27") == {"大阪府よろず支援拠点", "堺商工会議所"}


def test_search_by_municipality_type_and_channel(client, orgs):
    assert _names(client, municipality="府中") == {"府中市商工会"}
    assert _names(client, kind="cci") == {"堺商工会議所"}
    assert _names(client, channel="web") == {"東京都よろず支援拠点"}
    assert _names(client, prefecture="13", kind="yorozu") == {"東京都よろず支援拠点"}


def test_inactive_organisations_are_not_listed(client, orgs):
    orgs["sakai"].is_active = False
    orgs["sakai"].save(update_fields=["is_active"])
    assert "堺商工会議所" not in _names(client)
    assert client.get(reverse("directory:org_detail", args=[orgs["sakai"].pk])).status_code == 404


def test_list_shows_no_data_instead_of_a_flag_and_counts_applied_dispatches(client, orgs, settings, tmp_path):
    from dispatch import actions as dispatch_actions
    from tests.dispatch.builders import World

    settings.MEDIA_ROOT = tmp_path / "media"
    world = World()  # a third Tokyo organisation, which applies one dispatch
    dispatch_actions.apply_case(world.staff, world.draft().pk)
    refresh_org_stats()
    page = client.get(reverse("directory:org_list"), {"prefecture": "13"}).content.decode()
    assert page.count("実績データなし") == 3  # no request answered anywhere yet
    assert page.count("今年度の専門家派遣申請 1件") == 1
    assert "派遣可能" not in page


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("directory:org_list")).status_code == 200
    return len(ctx.captured_queries)


def test_search_page_query_count_does_not_grow_with_organisations(client, orgs, django_assert_max_num_queries, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # count the page's rendering, not a page-cache hit
    refresh_org_stats()
    _list_queries(client)  # the prefecture options into memory (core.cache.remembered)
    few = _list_queries(client)
    factories.OrganisationFactory.create_batch(40)
    refresh_org_stats()
    with django_assert_max_num_queries(few):
        client.get(reverse("directory:org_list"))
    assert _list_queries(client) == few


def _stats_block(html):
    """The measured-figures block of the first organisation in `html`, whitespace collapsed."""
    import re

    found = re.search(r'<dl class="facts org-stats".*?</dl>\s*<p class="help">.*?</p>|<p class="help" data-testid="org-stats">.*?</p>',
                      html, re.S)
    assert found, html
    return " ".join(found.group(0).split())


@pytest.mark.parametrize("language", ["ja", "en"])
def test_result_cards_show_the_figures_exactly_as_the_organisations_page(client, language):
    import datetime

    from django.utils import timezone

    from intake.models import OrganisationStats

    # given organisations with each kind of record: none, dispatches only, answered requests, unanswered requests
    at = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 30))
    examples = [
        None,
        {"dispatches_applied": 2},
        {"requests_measured": 7, "responded": 6, "median_response_seconds": 5 * 3600, "answered_in_time": 5,
         "share_in_time": 5 / 7, "dispatches_applied": 12, "computed_at": at},
        {"requests_measured": 3, "responded": 0, "median_response_seconds": None, "answered_in_time": 0,
         "share_in_time": 0.0, "computed_at": at},
    ]
    client.cookies["django_language"] = language
    for number, figures in enumerate(examples):
        org = factories.OrganisationFactory(name=f"第{number}商工会", municipality=f"市{number}")
        if figures is not None:
            OrganisationStats.objects.create(organisation=org, **figures)
        # when the organisation is found in the search and opened
        listed = client.get(reverse("directory:org_list"), {"municipality": f"市{number}"}).content.decode()
        opened = client.get(reverse("directory:org_detail", args=[org.pk])).content.decode()
        # then its card shows the same figures as its page
        assert _stats_block(listed) == _stats_block(opened)
        assert f'<a href="{reverse("directory:org_detail", args=[org.pk])}">第{number}商工会</a>' in listed
