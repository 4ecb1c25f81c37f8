import pytest
from django.core.cache import cache

from accounts.roles import Role
from api import actions
from reference.models import Bureau, Prefecture
from tests import factories
from tests.consultations.builders import consult, coordinator
from tests.dispatch.builders import World


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # consultation photos of the builders


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate-limit counters must not leak from one test to the next
    yield
    cache.clear()


@pytest.fixture
def token_for(db):
    def make(user, name="テスト連携", expires_at=None):
        return actions.create_token(user, name, expires_at)[1]

    return make


@pytest.fixture
def api_get(client):
    """GET an API path, with a Bearer token when given."""

    def get(path, token=None, **params):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.get(path, params, headers=headers)

    return get


class Two(World):
    """World (company A with its SME, organisation X in Tokyo with its coordinator, an expert, the
    secretariat) plus company B with its own SME and case at organisation Y in Osaka."""

    def __init__(self):
        super().__init__()
        self.organisation_y = factories.OrganisationFactory(name="大阪府よろず支援拠点", prefecture=Prefecture.objects.get(code="27"))
        self.staff_y = coordinator(self.organisation_y, name="相談員次郎")
        self.company_b, self.sme_b = factories.company_with_member(name="株式会社なにわ製作所")
        self.consultation_b = consult(self.staff_y, self.organisation_y, self.company_b)
        self.other_expert = factories.ExpertFactory(display_name="別の専門家")
        self.bureau_kanto = factories.grant(factories.UserFactory(name="関東局"), Role.BUREAU, bureau=Bureau.objects.get(code="kanto"))
        self.bureau_kinki = factories.grant(factories.UserFactory(name="近畿局"), Role.BUREAU, bureau=Bureau.objects.get(code="kinki"))
        self.hq = factories.grant(factories.UserFactory(name="全国本部"), Role.HQ)

    def case_b(self, state):
        """A case of company B at organisation Y with the other expert."""
        from tests.dispatch.builders import open_programme, visit
        from dispatch import actions as dispatch_actions
        from reference.models import Specialty

        starts_at, ends_at = visit(12)
        open_programme(starts_at)
        case = dispatch_actions.create_case(self.staff_y, self.organisation_y, {
            "company": self.company_b, "consultation": self.consultation_b, "expert": self.other_expert,
            "topic": Specialty.objects.get(name="経営戦略"), "request_text": "事業計画の見直し",
            "place": "大阪府大阪市中央区", "starts_at": starts_at, "ends_at": ends_at,
        })
        if state != "draft":
            dispatch_actions.apply_case(self.staff_y, case.pk)
        return case


@pytest.fixture
def two(db):
    return Two()
