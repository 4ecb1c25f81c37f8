"""The client's address behind our proxy (rate limits, audit log), without believing forged headers."""

from django.test import RequestFactory

from core.audit import client_ip


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_socket_address_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_behind_the_trusted_proxy_the_address_it_saw_counts(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.10"]
    assert client_ip(request("10.0.0.10", "198.51.100.7")) == "198.51.100.7"


def test_a_forged_entry_sent_by_the_client_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.10"]
    # the client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the real address
    assert client_ip(request("10.0.0.10", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_a_direct_connection_from_elsewhere_cannot_claim_an_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.10"]
    assert client_ip(request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
