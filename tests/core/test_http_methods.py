"""State-changing views answer GET with 405."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

POST_ONLY = [
    ("accounts:logout", []),
    ("accounts:resend_verification", []),
    ("accounts:change_email", []),
    ("accounts:decide_grant", [1]),
    ("companies:invite", ["company"]),
    ("directory:verify_qualification", [1, 1]),
]


@pytest.mark.parametrize("name, args", POST_ONLY)
def test_get_on_post_only_view_is_405(client, login, name, args):
    company, owner = factories.company_with_member()
    args = [company.pk if a == "company" else a for a in args]
    login(owner)
    assert client.get(reverse(name, args=args)).status_code == 405
