"""Stage 2 of registration: a verified member registers the company."""

import pytest
from django.urls import reverse

from companies.models import Company, Membership
from core.models import AuditEvent
from reference.models import Industry
from tests import factories

pytestmark = pytest.mark.django_db

VALID_NUMBER = "4010001008772"


def company_form(**overrides):
    data = {
        "legal_form": "corporation",
        "corporate_number": VALID_NUMBER,
        "name": "株式会社ぱそな建設",
        "name_kana": "かぶしきがいしゃぱそなけんせつ",
        "representative": "建設一郎",
        "industry": Industry.objects.get(code="D").pk,
        "prefecture": "27",
        "municipality": "大阪市北区",
        "address": "梅田1-1-1",
        "phone": "06-1234-5678",
        "capital": "20000000",
        "employees": "12",
        "founded_on": "2001-04-01",
    }
    data.update(overrides)
    return data


@pytest.fixture
def member(db):
    return factories.UserFactory()


def test_verified_member_registers_company_and_becomes_owner(client, login, member):
    login(member)
    response = client.post(reverse("companies:new"), company_form())
    company = Company.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:detail", args=[company.pk])
    assert company.corporate_number == VALID_NUMBER
    assert company.prefecture.bureau_id == "kinki"
    assert company.is_sme and company.is_small_business
    assert Membership.objects.get(company=company).user == member
    assert Membership.objects.get(company=company).role == Membership.Role.OWNER
    event = AuditEvent.objects.get(action="company.registered")
    assert event.actor == member and event.changes["corporate_number"] == VALID_NUMBER


def test_company_detail_shows_computed_status(client, login, member):
    login(member)
    client.post(reverse("companies:new"), company_form(employees="25"))
    company = Company.objects.get()
    page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    assert "中小企業者" in page
    assert 'data-testid="small-status"' not in page  # construction: 20 people at most


def test_full_width_corporate_number_with_hyphens_is_accepted(client, login, member):
    login(member)
    client.post(reverse("companies:new"), company_form(corporate_number="４０１０-００１-００８７７２"))
    assert Company.objects.get().corporate_number == VALID_NUMBER


def test_unverified_member_cannot_register_company_yet(client, login):
    user = factories.UserFactory(email_verified_at=None)
    login(user)
    response = client.post(reverse("companies:new"), company_form())
    assert response.status_code == 403
    assert "確認" in response.content.decode()
    assert not Company.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("companies:new"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def error_for(response, field):
    return " ".join(str(e) for e in response.context["form"].errors.get(field, []))


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"corporate_number": "5010001008772"}, "corporate_number", "チェックディジット"),
        ({"corporate_number": "401000100877"}, "corporate_number", "13桁"),
        ({"corporate_number": ""}, "corporate_number", "法人の場合は法人番号"),
        ({"capital": ""}, "capital", "法人の場合は資本金"),
        ({"name_kana": "Pasona"}, "name_kana", "ひらがなまたはカタカナ"),
        ({"phone": "abc"}, "phone", "半角数字とハイフン"),
        ({"employees": "-1"}, "employees", "0"),
    ],
)
def test_bad_company_input_gets_japanese_message_at_the_field_and_saves_nothing(
    client, login, member, overrides, field, message
):
    login(member)
    response = client.post(reverse("companies:new"), company_form(**overrides))
    assert response.status_code == 200
    assert message in error_for(response, field)
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Company.objects.exists()
    assert not AuditEvent.objects.filter(action="company.registered").exists()


def test_major_division_i_requires_choosing_wholesale_or_retail(client, login, member):
    login(member)
    response = client.post(reverse("companies:new"), company_form(industry=Industry.objects.get(code="I").pk))
    assert "卸売業か小売業か" in error_for(response, "industry")
    assert not Company.objects.exists()


def test_wholesale_middle_division_is_accepted_with_wholesale_limits(client, login, member):
    login(member)
    client.post(
        reverse("companies:new"),
        company_form(industry=Industry.objects.get(code="52").pk, capital="100000001", employees="101"),
    )
    company = Company.objects.get()
    assert company.is_sme is False and company.is_small_business is False


def test_duplicate_corporate_number_is_refused(client, login, member):
    factories.CompanyFactory(corporate_number=VALID_NUMBER)
    login(member)
    response = client.post(reverse("companies:new"), company_form())
    assert "既に登録されています" in error_for(response, "corporate_number")
    assert Company.objects.count() == 1
    assert not Membership.objects.filter(user=member).exists()


def test_sole_proprietor_registers_without_number_or_capital(client, login, member):
    login(member)
    client.post(
        reverse("companies:new"),
        company_form(legal_form="sole", corporate_number="", capital="", employees="3",
                     industry=Industry.objects.get(code="58").pk),
    )
    company = Company.objects.get()
    assert company.legal_form == Company.LegalForm.SOLE
    assert company.corporate_number == "" and company.capital is None
    assert company.is_sme and company.is_small_business


def test_two_sole_proprietors_without_number_do_not_clash(client, login, member):
    factories.CompanyFactory(legal_form="sole", corporate_number="", capital=None)
    login(member)
    client.post(reverse("companies:new"), company_form(legal_form="sole", corporate_number="", capital=""))
    assert Company.objects.count() == 2


def test_member_edits_company_and_status_and_audit_follow(client, login):
    company, owner = factories.company_with_member(employees=12)
    login(owner)
    data = company_form(corporate_number="", legal_form="sole", capital="", employees="400", prefecture="13")
    response = client.post(reverse("companies:edit", args=[company.pk]), data)
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.employees == 400 and company.is_sme is False
    event = AuditEvent.objects.get(action="company.updated", object_id=str(company.pk))
    assert event.changes["employees"] == [12, 400]
    assert event.actor == owner


def test_editing_company_keeps_its_own_corporate_number(client, login):
    company, owner = factories.company_with_member(corporate_number=VALID_NUMBER)
    login(owner)
    response = client.post(reverse("companies:edit", args=[company.pk]), company_form())
    assert response.status_code == 302


def test_edit_with_bad_number_changes_nothing(client, login):
    company, owner = factories.company_with_member(corporate_number=VALID_NUMBER)
    login(owner)
    response = client.post(reverse("companies:edit", args=[company.pk]), company_form(corporate_number="5010001008772"))
    assert response.status_code == 200
    company.refresh_from_db()
    assert company.corporate_number == VALID_NUMBER and company.name.startswith("株式会社テスト商事")
    assert not AuditEvent.objects.filter(action="company.updated").exists()


def test_company_list_shows_only_own_companies(client, login):
    mine, owner = factories.company_with_member()
    other, _ = factories.company_with_member()
    login(owner)
    page = client.get(reverse("companies:list")).content.decode()
    assert mine.name in page and other.name not in page


def test_bureau_lists_only_companies_of_its_region(client, login):
    from accounts.roles import Role
    from reference.models import Bureau, Prefecture

    osaka, _ = factories.company_with_member(prefecture=Prefecture.objects.get(code="27"), name="株式会社なにわ")
    tokyo, _ = factories.company_with_member(name="株式会社えど")
    officer = factories.grant(factories.UserFactory(), Role.BUREAU, bureau=Bureau.objects.get(code="kinki"))
    login(officer)
    page = client.get(reverse("companies:list")).content.decode()
    assert osaka.name in page and tokyo.name not in page
