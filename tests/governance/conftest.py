import pytest

from tests.case_fixtures import private_media  # noqa: F401  (fixture)
from tests.governance.builders import Centre


@pytest.fixture
def gov(db):
    return Centre()
