import pytest

from tests.case_fixtures import private_media  # noqa: F401  (fixture)
from tests.desk.builders import DeskWorld


@pytest.fixture
def world(db):
    return DeskWorld()
