"""Governance test data built through the real actions (consultations, dispatch timeline)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from consultations.models import Consultation
from core.dates import fiscal_year
from dispatch import actions as dispatch_actions
from dispatch.models import DispatchEvent, State
from reference.models import Bureau, Specialty
from tests import factories
from tests.consultations.builders import consult, coordinator
from tests.dispatch.builders import World

LAST_YEAR = fiscal_year(timezone.localdate()) - 1  # every date of a closed year is in the past


def day(month, d=10, fy=LAST_YEAR):
    return datetime.date(fy + (month < 4), month, d)


def at(month, d=10, fy=LAST_YEAR, hour=15):
    return timezone.make_aware(datetime.datetime.combine(day(month, d, fy), datetime.time(hour, 0)))


def record(staff, centre, company, month, d=10, channel=Consultation.Channel.IN_PERSON, outcome=Consultation.Outcome.CONTINUE,
           topics=("IT・Web活用",), fy=LAST_YEAR):
    return consult(staff, centre, company, channel=channel, photo=False, held_on=day(month, d, fy), outcome=outcome,
                   topics=list(Specialty.objects.filter(name__in=topics)))


def certify(world, case, when):
    """Walk a scheduled case to 従事証明済み through the dispatch timeline, certified at `when`."""
    with transaction.atomic():
        locked = dispatch_actions._lock(case.pk)
        for state in (State.DONE, State.REPORTED, State.CERTIFIED):
            dispatch_actions._transition(locked, world.sme, state, "テスト")
    DispatchEvent.objects.filter(case=case, to_state=State.CERTIFIED).update(created_at=when)
    return case


class Centre(World):
    """A よろず支援拠点 (World's organisation) with a chief, a coordinator, the bureau, HQ and a few SMEs."""

    def __init__(self):
        super().__init__()
        self.centre = self.organisation
        self.chief = factories.grant(factories.UserFactory(name="チーフ統括"), Role.CHIEF, organisation=self.centre)
        self.bureau = factories.grant(factories.UserFactory(name="関東局担当"), Role.BUREAU,
                                      bureau=Bureau.objects.get(code=self.centre.prefecture.bureau_id))
        self.hq = factories.grant(factories.UserFactory(name="全国本部"), Role.HQ)
        self.companies = [self.company] + [factories.company_with_member()[0] for _ in range(3)]

    def other_centre(self, prefecture_code="27"):
        from reference.models import Prefecture

        org = factories.OrganisationFactory(name="大阪府よろず支援拠点", prefecture=Prefecture.objects.get(code=prefecture_code))
        return org, coordinator(org, name="大阪相談員")
