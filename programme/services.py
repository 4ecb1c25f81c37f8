"""`programme_for(date)`: the rules in force on a date, created with defaults the first time."""

from django.db import IntegrityError, transaction

from core.dates import fiscal_year
from reference.models import Specialty

from .models import ProgrammeYear, february_end

# Specialties counted as IT when a year is created with defaults (the secretariat can change them).
DEFAULT_IT_SPECIALTIES = ["IT・Web活用"]


def programme_for(day=None):
    return programme_for_year(fiscal_year(day))


def programme_for_year(fy):
    year = ProgrammeYear.objects.filter(fiscal_year=fy).first()
    if year is not None:
        return year
    # Copy last year's rules when there are any, else the programme defaults.
    previous = ProgrammeYear.objects.filter(fiscal_year__lt=fy).order_by("-fiscal_year").first()
    try:
        with transaction.atomic():
            year = _create(fy, previous)
    except IntegrityError:  # created meanwhile by a concurrent request
        year = ProgrammeYear.objects.get(fiscal_year=fy)
    return year


def _create(fy, previous):
    if previous is None:
        year = ProgrammeYear.objects.create(fiscal_year=fy, application_deadline=february_end(fy))
        year.it_specialties.set(Specialty.objects.filter(name__in=DEFAULT_IT_SPECIALTIES))
        return year
    copied = ProgrammeYear.objects.get(pk=previous.pk)
    it_ids = list(previous.it_specialties.values_list("pk", flat=True))
    copied.pk = None
    copied.fiscal_year = fy
    copied.application_deadline = february_end(fy)
    copied.phone_consultation_allowed = False  # a disaster exception never carries over
    copied.updated_by = None
    copied.save(force_insert=True)
    copied.it_specialties.set(it_ids)
    return copied
