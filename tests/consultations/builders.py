"""Build consultations through the real action (photo sanitised like an upload)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from consultations import actions
from consultations.models import Consultation
from core.images import sanitize_image
from reference.models import Specialty
from tests import factories


def jpeg_upload(name="photo.jpg", color=(200, 120, 80)):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def coordinator(organisation, name="相談員花子"):
    return factories.grant(factories.UserFactory(name=name), Role.COORDINATOR, organisation=organisation)


def consult(staff, organisation, company, channel=Consultation.Channel.IN_PERSON, photo=True, **extra):
    data = {
        "held_on": timezone.localdate(),
        "channel": channel,
        "problem": "ホームページからの問い合わせが少ない。SNSも使えていない。",
        "outcome": Consultation.Outcome.DISPATCH,
        "topics": list(Specialty.objects.filter(name="IT・Web活用")),
        "photo": sanitize_image(jpeg_upload()) if photo else None,
        **extra,
    }
    return actions.record_consultation(staff, organisation, company, data)
