"""Cases on the day of support, built through the real dispatch actions, then moved in time."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dispatch.models import DispatchCase, State


def scheduled_now(world, started_minutes_ago=0, hours=2, **kwargs):
    """A scheduled case whose visit started `started_minutes_ago` minutes ago (negative: later today)."""
    case = world.case_in(State.SCHEDULED, **kwargs)
    return move_visit(case, timezone.now() - datetime.timedelta(minutes=started_minutes_ago), hours)


def daytime_visit(world, ended_hours_ago=1, hours=2, **kwargs):
    """A scheduled case whose visit ran 09:00-11:00 local time, today if that ended `ended_hours_ago` ago,
    else yesterday: never across midnight, whatever time the suite runs, so a test can certify it as a
    same-day visit (a visit past midnight is certified with 「終了は翌日」: build one on purpose, as
    tests/reports/test_overnight_certification.py does)."""
    case = world.case_in(State.SCHEDULED, **kwargs)
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    starts_at = midnight + datetime.timedelta(hours=9)
    if starts_at + datetime.timedelta(hours=hours + ended_hours_ago) > timezone.now():
        starts_at -= datetime.timedelta(days=1)
    return move_visit(case, starts_at, hours)


def move_visit(case, starts_at, hours=2):
    # The dispatch actions refuse past dates when applying; a test only needs the visit in the past.
    DispatchCase.objects.filter(pk=case.pk).update(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=hours))
    case.refresh_from_db()
    return case


def set_state(case, state):
    DispatchCase.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


def jpeg_bytes(size=(64, 48), color=(200, 120, 40), exif=None):
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def jpeg_upload(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def pdf_bytes(text="consent"):
    """A minimal but well-formed PDF."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 720, text)
    c.save()
    return out.getvalue()


def pdf_upload(name="consent.pdf", data=None):
    return SimpleUploadedFile(name, data or pdf_bytes(), content_type="application/pdf")
