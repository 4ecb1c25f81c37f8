"""A dispatch case in any state, built through the real actions."""

import datetime

from django.utils import timezone

from accounts.roles import Role
from core.dates import fiscal_year
from dispatch import actions
from dispatch.models import State
from programme.services import programme_for_year
from reference.models import Specialty
from tests import factories
from tests.consultations.builders import consult, coordinator


def visit(days=10, hour=10, hours=2):
    day = timezone.localdate() + datetime.timedelta(days=days)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
    return start, start + datetime.timedelta(hours=hours)


def open_programme(starts_at):
    """Keep the application deadline ahead of today whatever the calendar date of the test run."""
    year = programme_for_year(fiscal_year(timezone.localtime(starts_at).date()))
    if year.application_deadline < timezone.localdate():
        year.application_deadline = timezone.localdate()
        year.save(update_fields=["application_deadline"])
    return year


class World:
    """An SME, its organisation's coordinator, an expert, the secretariat."""

    def __init__(self):
        self.organisation = factories.OrganisationFactory()
        self.staff = coordinator(self.organisation)
        self.company, self.sme = factories.company_with_member()
        self.expert = factories.ExpertFactory()
        self.secretariat = factories.grant(factories.UserFactory(name="事務局一郎"), Role.SECRETARIAT)
        self.consultation = consult(self.staff, self.organisation, self.company)

    def draft(self, days=10, hour=10, expert=None, topic="経営戦略", consultation="default", company=None):
        starts_at, ends_at = visit(days, hour)
        open_programme(starts_at)
        return actions.create_case(self.staff, self.organisation, {
            "company": company or self.company,
            "consultation": self.consultation if consultation == "default" else consultation,
            "expert": expert or self.expert,
            "topic": Specialty.objects.get(name=topic),
            "request_text": "問い合わせを増やすためのWeb集客の改善",
            "place": "東京都千代田区霞が関1-3-1",
            "starts_at": starts_at,
            "ends_at": ends_at,
        })

    def case_in(self, state, **kwargs):
        case = self.draft(**kwargs)
        self._advance(case, state)
        case.refresh_from_db()
        assert case.state == state
        return case

    def _advance(self, case, state):
        if state == State.DRAFT:
            return
        if state == State.CANCELLED:
            actions.cancel_case(self.staff, case.pk, "事業者の都合")
            return
        actions.apply_case(self.staff, case.pk)
        if state == State.APPLIED:
            return
        if state == State.RETURNED:
            actions.return_case(self.secretariat, case.pk, "支援内容を具体的に")
            return
        actions.approve_case(self.secretariat, case.pk)
        if state == State.APPROVED:
            return
        if state == State.DECLINED:
            actions.decline_case(self.expert.user, case.pk, "日程が合わない")
            return
        actions.accept_case(self.expert.user, case.pk)
