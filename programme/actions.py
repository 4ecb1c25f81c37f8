"""Changes to the programme-year rules: only the secretariat, each audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.roles import Role
from core import audit

from .models import ProgrammeYear

FIELDS = [
    "dispatch_quota", "it_dispatch_quota", "application_deadline", "time_window_minutes",
    "honorarium_per_visit", "honorarium_per_hour", "honorarium_max_hours", "travel_rule",
    "travel_flat_amount", "travel_cap", "phone_consultation_allowed", "reminder_business_days",
]


def can_edit(user):
    return user.is_authenticated and user.has_role(Role.SECRETARIAT, Role.ADMIN)


@transaction.atomic
def update_programme_year(actor, year_id, data, request=None):
    if not can_edit(actor):
        raise PermissionDenied
    year = ProgrammeYear.objects.select_for_update().get(pk=year_id)
    before = audit.snapshot(year, FIELDS + ["it_specialties"])
    for name in FIELDS:
        setattr(year, name, data[name])
    year.updated_by = actor
    year.save(update_fields=FIELDS + ["updated_by", "updated_at"])
    year.it_specialties.set(data["it_specialties"])
    changes = audit.diff(before, audit.snapshot(year, FIELDS + ["it_specialties"]))
    audit.record(actor, "programme.updated", year, changes, request=request)
    return year
