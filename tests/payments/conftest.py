import pytest

from tests.case_fixtures import private_media  # noqa: F401  (fixture)
from tests.payments.builders import PayWorld


@pytest.fixture
def world(db):
    return PayWorld()
