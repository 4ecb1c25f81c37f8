"""Distances between prefectural offices for the impossible-travel check."""

from payments.geo import PREFECTURE_OFFICES, distance_km


def test_every_prefecture_has_its_office():
    assert sorted(PREFECTURE_OFFICES) == [f"{n:02d}" for n in range(1, 48)]


def test_tokyo_to_osaka_is_about_395_km():
    assert 390 < distance_km("13", "27") < 400


def test_sapporo_to_naha_is_the_longest_hop():
    assert 2200 < distance_km("01", "47") < 2300


def test_a_prefecture_is_no_distance_from_itself():
    assert distance_km("13", "13") == 0
