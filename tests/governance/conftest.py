import pytest

from tests.governance.builders import Centre


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def gov(db):
    return Centre()
