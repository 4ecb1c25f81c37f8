import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch import actions
from dispatch.models import DispatchCase, State
from tests import factories

pytestmark = pytest.mark.django_db

POST_VIEWS = ["apply", "approve", "return", "accept", "decline", "cancel", "no_show", "reschedule"]


def test_anonymous_visitors_are_sent_to_login(client, world):
    case = world.draft()
    for url in [reverse("dispatch:list"), reverse("dispatch:detail", args=[case.pk]), reverse("dispatch:wallet")]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", POST_VIEWS)
def test_transition_views_refuse_get(login, world, name):
    case = world.draft()
    response = login(world.staff).get(reverse(f"dispatch:{name}", args=[case.pk]))
    assert response.status_code == 405


def test_an_outsider_gets_404_for_the_case_and_its_actions(login, world):
    case = world.case_in(State.APPLIED)
    _, outsider = factories.company_with_member()
    client = login(outsider)
    assert client.get(reverse("dispatch:detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("dispatch:cancel", args=[case.pk]), {"reason": "x"}).status_code == 404


def test_forged_case_ids_are_404(login, world):
    client = login(world.secretariat)
    assert client.get(reverse("dispatch:detail", args=[999999])).status_code == 404
    assert client.post(reverse("dispatch:approve", args=[999999])).status_code == 404


def test_an_expert_does_not_see_another_experts_dispatch(login, world):
    case = world.case_in(State.APPROVED)
    intruder = factories.ExpertFactory()
    client = login(intruder.user)
    assert client.get(reverse("dispatch:detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("dispatch:accept", args=[case.pk])).status_code == 404
    assert DispatchCase.objects.get(pk=case.pk).state == State.APPROVED


def test_the_expert_does_not_see_a_proposal_before_approval(login, world):
    case = world.case_in(State.APPLIED)
    assert login(world.expert.user).get(reverse("dispatch:detail", args=[case.pk])).status_code == 404


def test_an_sme_member_posting_an_approval_is_forbidden_and_nothing_changes(login, world):
    case = world.case_in(State.APPLIED)
    response = login(world.sme).post(reverse("dispatch:approve", args=[case.pk]))
    assert response.status_code == 403
    assert DispatchCase.objects.get(pk=case.pk).state == State.APPLIED


def test_case_page_shows_the_timeline_and_who_must_act_next(login, world):
    case = world.case_in(State.APPROVED)
    page = login(world.sme).get(reverse("dispatch:detail", args=[case.pk])).content.decode()
    assert "次に対応が必要な人" in page
    assert f"{world.expert.display_name}（専門家）：派遣依頼への回答" in page
    assert "申請中（事務局の審査待ち）" in page and "承認済み（専門家の回答待ち）" in page
    assert "利用済み：1回" in page  # the wallet


def test_secretariat_approves_through_the_page(login, world):
    case = world.case_in(State.APPLIED)
    response = login(world.secretariat).post(reverse("dispatch:approve", args=[case.pk]), follow=True)
    assert "承認しました" in response.content.decode()
    assert DispatchCase.objects.get(pk=case.pk).state == State.APPROVED


def test_return_without_reason_shows_a_japanese_error_and_changes_nothing(login, world):
    case = world.case_in(State.APPLIED)
    response = login(world.secretariat).post(reverse("dispatch:return", args=[case.pk]), {"reason": ""}, follow=True)
    assert "差戻しの理由を入力してください" in response.content.decode()
    assert DispatchCase.objects.get(pk=case.pk).state == State.APPLIED


def test_refused_application_shows_every_reason_on_the_page(login, world):
    case = world.draft(consultation=None)
    response = login(world.staff).post(reverse("dispatch:apply", args=[case.pk]), follow=True)
    assert "経営相談の記録がありません" in response.content.decode()
    assert DispatchCase.objects.get(pk=case.pk).state == State.DRAFT


def test_coordinator_drafts_a_case_from_a_consultation(login, world):
    client = login(world.staff)
    url = reverse("dispatch:new") + f"?consultation={world.consultation.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "利用済み：0回" in page.content.decode()
    form = {
        "consultation": world.consultation.pk, "topic": world.consultation.topics.first().pk,
        "request_text": "ホームページとSNSの集客改善", "expert": world.expert.pk,
        "day": (world.consultation.held_on + datetime.timedelta(days=14)).isoformat(), "start_time": "10:00", "end_time": "12:00",
        "place": "東京都千代田区霞が関1-3-1",
    }
    response = client.post(url, form)
    case = DispatchCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dispatch:detail", args=[case.pk])
    assert (case.state, case.company, case.expert, case.created_by) == (State.DRAFT, world.company, world.expert, world.staff)


def test_drafting_with_end_before_start_shows_an_error_next_to_the_field(login, world):
    client = login(world.staff)
    url = reverse("dispatch:new") + f"?consultation={world.consultation.pk}"
    form = {"topic": world.consultation.topics.first().pk, "request_text": "x", "expert": world.expert.pk,
            "day": "2030-05-01", "start_time": "12:00", "end_time": "10:00", "place": "x"}
    response = client.post(url, form)
    assert "終了時刻は開始時刻より後にしてください" in response.content.decode()
    assert not DispatchCase.objects.exists()


def test_drafting_for_a_consultation_of_another_organisation_is_404(login, world):
    stranger = factories.grant(factories.UserFactory(), "coordinator", organisation=factories.OrganisationFactory())
    response = login(stranger).get(reverse("dispatch:new") + f"?consultation={world.consultation.pk}")
    assert response.status_code == 404


def test_sme_sees_the_wallet(login, world):
    world.case_in(State.APPLIED)
    page = login(world.sme).get(reverse("dispatch:wallet")).content.decode()
    assert "利用済み：1回" in page and "残り：2回" in page and "申請の締切" in page


def test_lists_filter_by_state_and_fiscal_year(login, world):
    applied = world.case_in(State.APPLIED, days=10)
    draft = world.draft(days=11)
    client = login(world.staff)
    page = client.get(reverse("dispatch:list"), {"state": "applied"}).content.decode()
    assert reverse("dispatch:detail", args=[applied.pk]) in page
    assert reverse("dispatch:detail", args=[draft.pk]) not in page
    other_year = client.get(reverse("dispatch:list"), {"fiscal_year": applied.fiscal_year - 1}).content.decode()
    assert reverse("dispatch:detail", args=[applied.pk]) not in other_year


def test_secretariat_queue_shows_applications(login, world):
    applied = world.case_in(State.APPLIED, days=10)
    draft = world.draft(days=11)
    page = login(world.secretariat).get(reverse("dispatch:list"), {"view": "queue"}).content.decode()
    assert reverse("dispatch:detail", args=[applied.pk]) in page
    assert reverse("dispatch:detail", args=[draft.pk]) not in page


def test_expert_list_shows_only_their_dispatches(login, world):
    mine = world.case_in(State.APPROVED, days=10)
    other_expert = factories.ExpertFactory()
    theirs = world.case_in(State.APPROVED, days=12, expert=other_expert)
    page = login(world.expert.user).get(reverse("dispatch:list")).content.decode()
    assert reverse("dispatch:detail", args=[mine.pk]) in page
    assert reverse("dispatch:detail", args=[theirs.pk]) not in page


@pytest.mark.parametrize("who", ["staff", "secretariat", "sme"])
def test_list_page_queries_do_not_grow_with_cases(login, world, who, django_assert_max_num_queries):
    client = login(getattr(world, who))
    world.case_in(State.APPLIED, days=10)
    client.get(reverse("dispatch:list"))  # warm caches (programme year)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("dispatch:list"))
    for days in range(11, 19):
        world.case_in(State.DRAFT if days % 2 else State.CANCELLED, days=days)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("dispatch:list"))
    assert response.status_code == 200


def test_case_page_queries_do_not_grow_with_events(login, world, django_assert_max_num_queries):
    case = world.case_in(State.APPLIED)
    client = login(world.staff)
    client.get(reverse("dispatch:detail", args=[case.pk]))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("dispatch:detail", args=[case.pk]))
    actions.return_case(world.secretariat, case.pk, "修正を")
    actions.apply_case(world.staff, case.pk)
    actions.approve_case(world.secretariat, case.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("dispatch:detail", args=[case.pk]))


def test_home_page_and_menu_link_to_cases_and_wallet(login, world):
    page = login(world.sme).get(reverse("accounts:home")).content.decode()
    assert reverse("dispatch:wallet") in page and reverse("dispatch:list") in page
    staff_page = login(world.staff).get(reverse("accounts:home")).content.decode()
    assert reverse("consultations:list") in staff_page


def test_the_organisation_edits_a_returned_case_but_not_an_applied_one(login, world):
    returned = world.case_in(State.RETURNED, days=10)
    applied = world.case_in(State.APPLIED, days=12)
    client = login(world.staff)
    assert client.get(reverse("dispatch:edit", args=[applied.pk])).status_code == 404
    page = client.get(reverse("dispatch:edit", args=[returned.pk]))
    assert page.status_code == 200
    local = timezone.localtime(returned.starts_at)
    response = client.post(reverse("dispatch:edit", args=[returned.pk]), {
        "consultation": world.consultation.pk, "topic": returned.topic_id, "request_text": "課題を具体的にしました",
        "expert": world.expert.pk, "day": local.date().isoformat(), "start_time": "14:00", "end_time": "16:00",
        "place": "事業者の本社会議室",
    })
    assert response.status_code == 302
    returned.refresh_from_db()
    assert (returned.place, timezone.localtime(returned.starts_at).hour) == ("事業者の本社会議室", 14)


def test_the_bureau_sees_cases_of_its_region_only(login, world):
    from accounts.roles import Role
    from reference.models import Bureau

    case = world.case_in(State.APPLIED)
    kanto = factories.grant(factories.UserFactory(), Role.BUREAU, bureau=Bureau.objects.get(code="kanto"))
    kinki = factories.grant(factories.UserFactory(), Role.BUREAU, bureau=Bureau.objects.get(code="kinki"))
    hq = factories.grant(factories.UserFactory(), Role.HQ)
    url = reverse("dispatch:detail", args=[case.pk])
    assert login(kanto).get(url).status_code == 200
    assert login(hq).get(url).status_code == 200
    assert login(kinki).get(url).status_code == 404
    # reading is not acting: HQ cannot approve
    assert login(hq).post(reverse("dispatch:approve", args=[case.pk])).status_code == 403
    assert DispatchCase.objects.get(pk=case.pk).state == State.APPLIED


def test_approval_mails_the_expert_a_request_through_smtp(world, smtp_server, deliver_mail):
    case = world.case_in(State.APPLIED)
    deliver_mail()
    smtp_server.messages.clear()
    actions.approve_case(world.secretariat, case.pk)
    deliver_mail()
    by_recipient = {tuple(m["to"]): m["message"]["Subject"] for m in smtp_server.messages}
    assert "専門家派遣のご依頼" in by_recipient[(world.expert.user.email,)]
    assert "承認されました" in by_recipient[(world.staff.email,)]


def test_a_draft_cancelled_before_approval_never_reaches_the_expert(login, world):
    case = world.case_in(State.DRAFT)
    actions.cancel_case(world.staff, case.pk, "事業者の都合")
    client = login(world.expert.user)
    assert client.get(reverse("dispatch:detail", args=[case.pk])).status_code == 404
    assert f'href="/dispatch/{case.pk}/"' not in client.get(reverse("dispatch:list")).content.decode()


def test_a_case_cancelled_after_approval_stays_visible_to_the_expert(login, world):
    case = world.case_in(State.APPROVED)
    actions.cancel_case(world.staff, case.pk, "事業者の都合")
    assert login(world.expert.user).get(reverse("dispatch:detail", args=[case.pk])).status_code == 200
