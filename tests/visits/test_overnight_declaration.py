"""The declaration PDF gives the planned time of an evening visit past midnight as 20:00〜翌1:00."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import State
from tests.visits.builders import daytime_visit, move_visit, set_state

pytestmark = pytest.mark.django_db


def pdf_text(data, tmp_path):
    path = tmp_path / "declaration.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def planned_time_line(text):
    (line,) = [line for line in text.splitlines() if "予定の時間" in line]
    return line.split("予定の時間", 1)[1].strip()


def test_the_declaration_of_an_evening_visit_past_midnight_shows_the_next_day_end(login, world, tmp_path):
    # given a visit planned from 20:00 three days ago to 1:00 the next day, with no evidence reported
    case = world.case_in(State.SCHEDULED)
    day = timezone.localdate() - datetime.timedelta(days=3)
    case = set_state(move_visit(case, timezone.make_aware(datetime.datetime.combine(day, datetime.time(20))), hours=5),
                     State.REPORTED)
    # when the SME prints the declaration
    response = login(world.sme).get(reverse("visits:declaration_pdf", args=[case.pk]))
    # then the planned time reads as a span past midnight, on the day the visit began
    text = pdf_text(response.content, tmp_path)
    assert planned_time_line(text) == "20:00〜翌1:00"
    assert f"{day:%Y年%m月%d日}" in text


def test_the_declaration_of_a_daytime_visit_shows_the_planned_time_as_before(login, world, tmp_path):
    case = set_state(daytime_visit(world), State.REPORTED)  # 09:00–11:00

    text = pdf_text(login(world.sme).get(reverse("visits:declaration_pdf", args=[case.pk])).content, tmp_path)

    assert planned_time_line(text) == "09:00〜11:00"


def test_the_declaration_is_a_japanese_form_for_a_reader_browsing_in_english(login, world, tmp_path):
    from django.utils import translation

    from core.dates import fiscal_year_label

    case = set_state(daytime_visit(world), State.REPORTED)
    client = login(world.sme)
    client.cookies["django_language"] = "en"
    assert "Log out" in client.get(reverse("dispatch:detail", args=[case.pk])).content.decode()  # English pages

    text = pdf_text(client.get(reverse("visits:declaration_pdf", args=[case.pk])).content, tmp_path)

    with translation.override("ja"):
        label = fiscal_year_label(case.fiscal_year)  # 令和8年度
    assert f"#{case.pk}（{label}）" in text and label.endswith("年度")
    assert "FY" not in text
    assert planned_time_line(text) == "09:00〜11:00"
