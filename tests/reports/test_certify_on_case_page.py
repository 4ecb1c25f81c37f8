"""A logged-in SME member certifies from the case page; who sees what of the report afterwards."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from directory.models import ExpertStats
from dispatch.models import DispatchCase, State
from reports import actions
from reports.models import Certification, CertificationLink
from tests import factories
from tests.reports.builders import REPORT, certification, certify_data, evaluation, mailed_link, reported

pytestmark = pytest.mark.django_db


def case_page(client, case):
    return client.get(reverse("dispatch:detail", args=[case.pk])).content.decode()


def test_the_sme_member_certifies_from_the_case_page(login, world):
    case = reported(world)
    client = login(world.sme)
    assert reverse("reports:certify", args=[case.pk]) in case_page(client, case)
    response = client.post(reverse("reports:certify", args=[case.pk]), certify_data(case), follow=True)
    assert "受け付けました" in response.content.decode()
    assert DispatchCase.objects.get(pk=case.pk).state == State.CERTIFIED
    assert Certification.objects.get(case=case).channel == Certification.Channel.LOGIN
    assert ExpertStats.objects.get(expert=world.expert).rating_count == 1


def test_after_certifying_on_the_page_the_mailed_link_is_refused(client, login, world):
    case = reported(world)
    path, _ = mailed_link(world.sme.email)
    login(world.sme).post(reverse("reports:certify", args=[case.pk]), certify_data(case))
    client.logout()
    response = client.get(path)
    assert response.status_code == 410 and "入力済み" in response.content.decode()


def test_a_second_certification_on_the_page_is_refused(login, world):
    case = reported(world)
    actions.certify(world.sme, case.pk, certification(case), evaluation())
    response = login(world.sme).get(reverse("reports:certify", args=[case.pk]), follow=True)
    assert "入力済み" in response.content.decode()
    with pytest.raises(actions.Refused, match="入力済み"):
        actions.certify(world.sme, case.pk, certification(case), evaluation(1))
    assert ExpertStats.objects.get(expert=world.expert).rating_count == 1


def test_the_expert_and_the_organisation_cannot_certify(login, world):
    case = reported(world)
    for user in [world.expert.user, world.staff, world.secretariat]:
        client = login(user)
        assert client.get(reverse("reports:certify", args=[case.pk])).status_code == 404
        assert client.post(reverse("reports:certify", args=[case.pk]), certify_data(case)).status_code == 404
    assert DispatchCase.objects.get(pk=case.pk).state == State.REPORTED


def test_an_outsider_gets_404_for_every_report_page(login, world):
    case = reported(world)
    _, outsider = factories.company_with_member()
    client = login(outsider)
    for name in ["report", "certify"]:
        assert client.get(reverse(f"reports:{name}", args=[case.pk])).status_code == 404
    for name in ["dispute", "reissue"]:
        assert client.post(reverse(f"reports:{name}", args=[case.pk]), {"reason": "x"}).status_code == 404
    assert DispatchCase.objects.get(pk=case.pk).state == State.REPORTED


def test_certification_is_refused_before_the_report(login, world):
    case = world.case_in(State.SCHEDULED)
    response = login(world.sme).get(reverse("reports:certify", args=[case.pk]), follow=True)
    assert "従事証明を入力できません" in response.content.decode()


# ---- who sees what on the case page --------------------------------------------------------

@pytest.fixture
def certified(world):
    case = reported(world)
    actions.certify(world.sme, case.pk, certification(case), {**evaluation(4), "comment": "もう少し資料がほしかった。"})
    return case


def test_the_expert_sees_the_report_and_certification_but_not_the_individual_scores(login, world, certified):
    page = case_page(login(world.expert.user), certified)
    assert REPORT["activities"] in page and "1,320円" in page and "立川" in page
    assert "証明した支援日時" in page and "10:00〜12:00" in page
    assert "個別の評価は専門家には表示されません" in page
    assert "4 / 5" not in page and "もう少し資料" not in page


def test_the_organisation_and_the_secretariat_see_scores_and_comment(login, world, certified):
    for user in [world.staff, world.secretariat]:
        page = case_page(login(user), certified)
        assert "4 / 5" in page and "もう少し資料がほしかった。" in page and "1,320円" in page


def test_the_sme_sees_the_report_scores_and_own_comment_but_not_the_travel_claim(login, world, certified):
    page = case_page(login(world.sme), certified)
    assert REPORT["advice"] in page and "4 / 5" in page and "もう少し資料" in page
    assert "1,320円" not in page


def test_national_readers_see_scores_but_not_the_comment(login, world, certified):
    hq = factories.grant(factories.UserFactory(name="本部職員"), Role.HQ)
    page = case_page(login(hq), certified)
    assert "4 / 5" in page and "もう少し資料" not in page and "1,320円" not in page


def test_the_case_page_query_count_does_not_grow_with_reports(login, world, django_assert_max_num_queries):
    case = reported(world)
    client = login(world.staff)
    with django_assert_max_num_queries(40) as before:
        client.get(reverse("dispatch:detail", args=[case.pk]))
    for days in (12, 13):
        other = reported(world, days=days)
        actions.certify(world.sme, other.pk, certification(other), evaluation())
    actions.dispute(world.sme, case.pk, "時間が違います")
    with django_assert_max_num_queries(len(before.captured_queries) + 1):
        client.get(reverse("dispatch:detail", args=[case.pk]))


def test_the_organisation_resends_links_and_the_old_ones_stop_working(client, login, world):
    case = reported(world)
    old_path, old_token = mailed_link(world.sme.email)
    response = login(world.staff).post(reverse("reports:reissue", args=[case.pk]), follow=True)
    assert "新しいリンクを送りました" in response.content.decode()
    new_path, new_token = mailed_link(world.sme.email)
    assert new_token != old_token
    client.logout()
    assert client.get(old_path).status_code == 410
    assert client.get(new_path).status_code == 200
    assert CertificationLink.objects.filter(case=case, revoked_at=None).count() == 1


def test_the_sme_cannot_resend_links(login, world):
    case = reported(world)
    response = login(world.sme).post(reverse("reports:reissue", args=[case.pk]))
    assert response.status_code == 403
