import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, text",
    [("core:index", "経営の悩み"), ("accounts:login", "メールアドレス"), ("accounts:signup", "会員登録"),
     ("accounts:password_reset", "パスワード")],
)
def test_public_pages_are_in_japanese(client, name, text):
    page = client.get(reverse(name)).content.decode()
    assert '<html lang="ja">' in page
    assert text in page


def test_unknown_page_is_a_japanese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="ja">' in response.content.decode()
