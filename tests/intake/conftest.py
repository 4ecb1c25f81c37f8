import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from companies.models import Company
from intake import actions
from reference.models import Bureau
from tests import factories

JST = datetime.timezone(datetime.timedelta(hours=9))


def jst(*args):
    return datetime.datetime(*args, tzinfo=JST)


@pytest.fixture
def expert(db):
    return factories.ExpertFactory(display_name="佐藤 健一")


@pytest.fixture
def coordinator(organisation):
    return factories.grant(factories.UserFactory(name="相談員 花子"), Role.COORDINATOR, organisation=organisation)


@pytest.fixture
def company(sme):
    return Company.objects.get(memberships__user=sme)


@pytest.fixture
def bureau_user(db):
    # Tokyo (13) belongs to 関東経済産業局.
    return factories.grant(factories.UserFactory(name="関東局 職員"), Role.BUREAU, bureau=Bureau.objects.get(code="kanto"))


@pytest.fixture
def make_request(sme, company, expert, organisation):
    def make(now=None, problem="Instagramで集客したいが何から始めればよいか分からない。", **kwargs):
        return actions.submit_request(
            kwargs.get("actor", sme), kwargs.get("company", company), kwargs.get("expert", expert),
            kwargs.get("organisation", organisation), problem, "in_person", now=now or timezone.now(),
        )

    return make
