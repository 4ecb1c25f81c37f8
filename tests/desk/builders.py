"""A desk of a 商工会連合会 with consultants, a 商工会 with its 経営指導員 and member company, built
through the real actions."""

import datetime

from django.utils import timezone

from accounts.roles import Role
from core.dates import add_business_days
from desk import actions
from desk.models import Channel, ShokokaiMember, Source
from directory.models import Organisation
from reference.models import Specialty
from tests import factories

MEETING = "https://meet.jit.si/yorozu-{room}"


def business_day(after=2):
    """A weekday that is no public holiday, `after` business days from today (inside the booking window)."""
    return add_business_days(timezone.localdate(), after)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def desk_settings(**overrides):
    return {
        "name": "無料電話相談窓口", "phone": "043-305-1234", "meeting_url_template": MEETING, "slot_minutes": 60,
        "min_consultants": 2, "booking_weeks": 4, "notice_hours": 1, "max_open_bookings": 2,
        "allow_fixed_consultant": False, "closed_year_end": True, "is_active": True, **overrides,
    }


class DeskWorld:
    """東京都商工会連合会's desk (Mon–Fri 9:30–15:30, slots of 60 minutes), two consultants,
    府中市商工会 with a 経営指導員 and a member company whose owner is an SME user."""

    def __init__(self, **settings):
        self.federation = factories.OrganisationFactory(
            name="東京都商工会連合会", kind=Organisation.Kind.SHOKOKAI_FED, email="renrakukai@example.jp")
        self.chief = factories.grant(factories.UserFactory(name="岡崎 統括"), Role.CHIEF, organisation=self.federation)
        self.desk = actions.open_desk(self.chief, self.federation, desk_settings(**settings))
        self.consultant_a = self.consultant("佐藤 健一", "さとう けんいち")
        self.consultant_b = self.consultant("鈴木 美咲", "すずき みさき")
        self.shokokai = factories.OrganisationFactory(name="府中市商工会", kind=Organisation.Kind.SHOKOKAI)
        self.quiet_shokokai = factories.OrganisationFactory(name="檜原村商工会", kind=Organisation.Kind.SHOKOKAI)
        self.adviser = factories.grant(factories.UserFactory(name="指導 三郎"), Role.COORDINATOR,
                                       organisation=self.shokokai)
        self.company, self.sme = factories.company_with_member(name="株式会社ぱそな建設", municipality="府中市")
        ShokokaiMember.objects.create(organisation=self.shokokai, company=self.company, added_by=self.adviser)
        self.theme = Specialty.objects.get(name="資金繰り・財務")

    def consultant(self, name, kana):
        user = factories.UserFactory(name=name, name_kana=kana)
        return factories.grant(user, Role.DESK, organisation=self.federation)

    def shift(self, consultant, day, start=(9, 30), end=(15, 30), weeks=1):
        shifts, _ = actions.sign_up(consultant, self.desk.pk, day, datetime.time(*start), datetime.time(*end), weeks)
        return shifts

    def staff_day(self, day):
        """Both consultants on duty all day."""
        self.shift(self.consultant_a, day)
        self.shift(self.consultant_b, day)

    def book(self, starts_at, actor=None, company=None, **data):
        return actions.book(actor or self.sme, self.desk.pk, (company or self.company).pk, starts_at, {
            "channel": Channel.WEB, "theme": self.theme, "description": "来月の資金繰りが厳しく、借入れの相談をしたい。",
            "source": Source.RADIO, **data,
        })


def past_business_day(before=1):
    """The `before`-th business day before today."""
    from core.dates import is_business_day

    day, counted = timezone.localdate(), 0
    while counted < before:
        day -= datetime.timedelta(days=1)
        counted += is_business_day(day)
    return day


def held_session(world, actor=None, company=None, hour=10, **data):
    """A booking whose time has come: made the day before the session, which began an hour ago or earlier."""
    day = past_business_day()
    before = at(day, 8) - datetime.timedelta(days=1)
    actions.sign_up(world.consultant_a, world.desk.pk, day, datetime.time(9, 30), datetime.time(15, 30), now=before)
    return actions.book(actor or world.sme, world.desk.pk, (company or world.company).pk, at(day, hour, 30), {
        "channel": Channel.PHONE, "theme": world.theme, "description": "資金繰り表の作り方を知りたい。",
        "source": Source.NEWSPAPER, **data,
    }, now=before)

def open_day_weeks_after(desk, day):
    """The same weekday one or more weeks later on which the desk is open (a holiday is skipped, so the
    test runs whatever today's date)."""
    from desk.rules import DeskCalendar

    for weeks in range(1, 6):
        later = day + datetime.timedelta(days=7 * weeks)
        if not DeskCalendar(desk, later, later).closed_reason(later):
            return later
    raise AssertionError(f"no open day in the five weeks after {day}")
