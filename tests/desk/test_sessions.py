"""Walk-in calls are logged; after a session the consultant writes the consultation record, which can
refer the company to its 商工会 for an in-person consultation (the normal path towards a dispatch)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation, Referral
from desk import actions
from desk.models import Booking, Channel, Source
from tests import factories
from tests.desk.builders import at, business_day, held_session

pytestmark = pytest.mark.django_db


def record_data(world, **overrides):
    return {"topics": [world.theme], "problem": "売掛金の回収が遅れ、来月の支払いが不安。",
            "outcome": Consultation.Outcome.CONTINUE, "next_steps": "資金繰り表を作って再度相談。", **overrides}


def test_a_consultant_logs_a_walk_in_call(world):
    started = timezone.now() - datetime.timedelta(minutes=40)
    entry = actions.log_walk_in(world.consultant_a, world.desk.pk, {
        "starts_at": started, "minutes": 30, "channel": Channel.PHONE, "caller_company": "檜原そば処",
        "caller_name": "山田 花子", "shokokai": world.quiet_shokokai, "theme": world.theme,
        "description": "運転資金の借入れ先について", "source": Source.FLYER,
    })
    assert entry.kind == Booking.Kind.WALK_IN and entry.status == Booking.Status.DONE
    assert entry.consultant == world.consultant_a and entry.company_name == "檜原そば処"
    assert entry.ends_at - entry.starts_at == datetime.timedelta(minutes=30)


def test_a_walk_in_needs_a_company_name_and_cannot_be_in_the_future(world):
    with pytest.raises(actions.Refused) as refused:
        actions.log_walk_in(world.consultant_a, world.desk.pk, {
            "starts_at": timezone.now() + datetime.timedelta(hours=1), "channel": Channel.PHONE, "caller_company": ""})
    assert "これから先の時刻" in str(refused.value) and "事業者名を入力" in str(refused.value)
    assert not Booking.objects.exists()


def test_an_sme_cannot_log_a_walk_in(world):
    with pytest.raises(PermissionDenied):
        actions.log_walk_in(world.sme, world.desk.pk, {"starts_at": timezone.now(), "channel": Channel.PHONE,
                                                        "caller_company": "x"})


def test_the_walk_in_page_logs_a_call_linked_to_a_registered_company(login, world):
    started = timezone.localtime() - datetime.timedelta(minutes=30)
    response = login(world.consultant_a).post(reverse("desk:walk_in", args=[world.desk.pk]), {
        "started": started.strftime("%Y-%m-%dT%H:%M"), "minutes": "20", "channel": "phone",
        "company_ref": str(world.company.pk), "description": "補助金の申請について", "source": "radio",
    }, follow=True)
    entry = Booking.objects.get()
    assert entry.company == world.company and entry.source == Source.RADIO
    assert "予約なしの相談を記録しました" in response.content.decode()


def test_after_the_session_the_consultant_writes_the_consultation_record(world):
    booking = held_session(world)
    consultation = actions.record_session(world.consultant_a, booking.pk, None, record_data(world))
    assert consultation.channel == Consultation.Channel.PHONE
    assert consultation.organisation == world.federation and consultation.company == world.company
    assert consultation.staff == world.consultant_a
    assert consultation.held_on == timezone.localtime(booking.starts_at).date()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DONE and booking.consultation == consultation


def test_a_web_session_is_recorded_as_a_web_meeting(world):
    booking = held_session(world, channel=Channel.WEB)
    assert actions.record_session(world.consultant_a, booking.pk, None, record_data(world)).channel == "web"


def test_the_record_can_refer_the_company_to_its_shokokai_for_an_in_person_consultation(world):
    booking = held_session(world)
    consultation = actions.record_session(world.consultant_a, booking.pk, None, record_data(
        world, outcome=Consultation.Outcome.REFERRED, refer_to=world.shokokai,
        referral_note="対面で決算書を見ながら相談し、必要なら専門家派遣を。"))
    referral = Referral.objects.get(consultation=consultation)
    assert referral.to_organisation == world.shokokai and referral.status == Referral.Status.OPEN


def test_a_session_is_recorded_once(world):
    booking = held_session(world)
    actions.record_session(world.consultant_a, booking.pk, None, record_data(world))
    with pytest.raises(actions.Refused):
        actions.record_session(world.consultant_a, booking.pk, None, record_data(world))
    assert Consultation.objects.count() == 1


def test_a_session_cannot_be_recorded_before_it_starts(world):
    day = business_day(3)
    world.shift(world.consultant_a, day)
    booking = world.book(at(day, 10, 30))
    with pytest.raises(actions.Refused) as refused:
        actions.record_session(world.consultant_a, booking.pk, None, record_data(world))
    assert "開始時刻より前には記録できません" in str(refused.value)
    assert not Consultation.objects.exists()


def test_another_consultant_cannot_record_someone_elses_session(world):
    booking = held_session(world)
    with pytest.raises(PermissionDenied):
        actions.record_session(world.consultant_b, booking.pk, None, record_data(world))


def test_a_walk_in_without_a_registered_company_is_recorded_once_the_company_is_named(world):
    entry = actions.log_walk_in(world.consultant_a, world.desk.pk, {
        "starts_at": timezone.now() - datetime.timedelta(minutes=20), "channel": Channel.PHONE,
        "caller_company": "株式会社ぱそな建設", "description": "資金繰り"})
    with pytest.raises(actions.Refused):
        actions.record_session(world.consultant_a, entry.pk, None, record_data(world))
    consultation = actions.record_session(world.consultant_a, entry.pk, world.company, record_data(world))
    entry.refresh_from_db()
    assert entry.company == world.company and entry.consultation == consultation


def test_the_record_page_prefills_the_booking_and_records(login, world):
    booking = held_session(world)
    client = login(world.consultant_a)
    page = client.get(reverse("desk:record", args=[booking.pk])).content.decode()
    assert "資金繰り表の作り方を知りたい。" in page
    response = client.post(reverse("desk:record", args=[booking.pk]), {
        "topics": [world.theme.pk], "problem": "資金繰り表の作り方", "outcome": "solved",
    }, follow=True)
    assert "相談を記録しました" in response.content.decode()
    assert Consultation.objects.get().outcome == Consultation.Outcome.SOLVED


def test_a_consultant_marks_a_no_show(world):
    booking = held_session(world)
    actions.mark_no_show(world.consultant_a, booking.pk)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


def test_the_sme_cannot_open_the_record_page(login, world):
    booking = held_session(world)
    assert login(world.sme).get(reverse("desk:record", args=[booking.pk])).status_code == 404


def test_a_company_cannot_be_linked_to_someone_elses_walk_in_by_an_sme(login, world):
    _, sme = factories.company_with_member()
    assert login(sme).get(reverse("desk:walk_in", args=[world.desk.pk])).status_code == 404


def test_the_federations_coordinator_continues_from_the_record_in_the_consultations_app(login, world):
    from accounts.roles import Role

    booking = held_session(world)
    consultation = actions.record_session(world.consultant_a, booking.pk, None, record_data(
        world, outcome=Consultation.Outcome.DISPATCH))
    coordinator = factories.grant(factories.UserFactory(), Role.COORDINATOR, organisation=world.federation)
    client = login(coordinator)
    page = client.get(reverse("desk:booking", args=[booking.pk])).content.decode()
    assert reverse("consultations:detail", args=[consultation.pk]) in page
    assert client.get(reverse("consultations:detail", args=[consultation.pk])).status_code == 200
