"""Random stratified audit samples of case records, reproducible with a seed."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from consultations.models import Consultation
from governance import sampling
from governance.models import AuditSample, AuditSampleItem
from tests.governance.builders import LAST_YEAR, record


def test_stratified_sample_takes_the_share_of_every_centre():
    ids = {1: list(range(100)), 2: list(range(1000, 1010)), 3: [5000]}
    chosen = sampling.stratified(ids, 10, "s", "consultation")
    per_centre = {c: sum(1 for cc, _ in chosen if cc == c) for c in ids}
    assert per_centre == {1: 10, 2: 1, 3: 1}


def test_the_same_seed_draws_the_same_records_and_another_seed_others():
    ids = {1: list(range(500)), 2: list(range(1000, 1300))}
    assert sampling.stratified(ids, 10, "2026-qc", "consultation") == sampling.stratified(ids, 10, "2026-qc", "consultation")
    assert sampling.stratified(ids, 10, "2026-qc", "consultation") != sampling.stratified(ids, 10, "other", "consultation")


@pytest.fixture
def two_centres(gov):
    other, other_staff = gov.other_centre()
    for i in range(20):
        record(gov.staff, gov.centre, gov.companies[i % 4], 4 + i % 6, outcome=Consultation.Outcome.CONTINUE)
    for i in range(10):
        record(other_staff, other, gov.companies[i % 4], 5, outcome=Consultation.Outcome.SOLVED)
    return gov, other


def test_secretariat_draws_a_sample_in_the_browser_and_exports_it(client, login, two_centres, secretariat):
    gov, other = two_centres
    login(secretariat)
    response = client.post(reverse("governance:audit_list"), {
        "fiscal_year": LAST_YEAR, "percent": 10, "seed": "qc-1", "include_consultations": "on"})
    sample = AuditSample.objects.get()
    assert response["Location"] == reverse("governance:audit", args=[sample.pk])
    assert sample.population == 30
    assert AuditSampleItem.objects.filter(organisation=gov.centre).count() == 2
    assert AuditSampleItem.objects.filter(organisation=other).count() == 1
    book = load_workbook(io.BytesIO(client.get(reverse("governance:audit_export", args=[sample.pk, "xlsx"])).content))
    assert len(list(book.active.iter_rows(values_only=True))) == 4


def test_drawing_again_with_the_seed_gives_the_same_records(two_centres, secretariat):
    first = sampling.draw_audit_sample(secretariat, LAST_YEAR, 20, "seed-x")
    second = sampling.draw_audit_sample(secretariat, LAST_YEAR, 20, "seed-x")
    ids = lambda s: list(s.items.values_list("organisation_id", "source_kind", "source_id"))  # noqa: E731
    assert ids(first) == ids(second)


def test_an_item_with_an_issue_needs_a_note(client, login, two_centres, secretariat):
    sample = sampling.draw_audit_sample(secretariat, LAST_YEAR, 10, "s")
    item = sample.items.first()
    login(secretariat)
    client.post(reverse("governance:audit_check", args=[item.pk]), {"result": "issue", "note": ""})
    item.refresh_from_db()
    assert item.result == ""
    client.post(reverse("governance:audit_check", args=[item.pk]), {"result": "issue", "note": "課題の記載が一行のみ"})
    item.refresh_from_db()
    assert item.result == "issue" and item.checked_by == secretariat


def test_centre_staff_cannot_see_audit_samples(client, login, gov):
    login(gov.chief)
    assert client.get(reverse("governance:audit_list")).status_code == 404
