"""The Redis cache backend (core/redis_cache.py) behaves as Django's and reuses one client per pool."""

import uuid

import pytest

from core.redis_cache import RedisCache


@pytest.fixture
def redis_cache():
    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_it_stores_counts_and_forgets_like_djangos(redis_cache):
    redis_cache.set("page", ("generation", "<html>…</html>"), 60)
    assert redis_cache.get("page") == ("generation", "<html>…</html>")
    assert redis_cache.add("counter", 1) and redis_cache.incr("counter") == 2
    assert redis_cache.get_many(["page", "counter", "missing"]) == {"page": ("generation", "<html>…</html>"), "counter": 2}
    redis_cache.delete_many(["page", "counter"])
    assert redis_cache.get("page") is None and redis_cache.get("counter", "gone") == "gone"


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b", write=True) is client
