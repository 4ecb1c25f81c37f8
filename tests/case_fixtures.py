"""Fixtures of the test folders that build cases, imported into their conftest.py (or a test module):
imported there, the autouse `private_media` applies to that folder only. In tests/conftest.py it would
apply to every test, and the access matrix keeps media of its own for a whole module."""

import pytest

from tests.dispatch.builders import World


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads (photos, consents, documents) go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    return World()
