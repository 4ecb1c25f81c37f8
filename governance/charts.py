"""Charts as inline SVG drawn on the server by pygal (no JavaScript, no external files).

Each chart is also given as a table on the same page, for screen readers and for export.
"""

import hashlib

import pygal
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from .years import month_label, months_of

STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1a1a1a", foreground_strong="#1a1a1a",
    foreground_subtle="#595959", colors=("#0031d8", "#006e3c", "#b3000f", "#7a4a00", "#595959"),
    font_family='"Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif',
    label_font_size=13, major_label_font_size=13, legend_font_size=13, title_font_size=15, value_font_size=12,
)


def _options(title, **extra):
    return {
        "title": title, "style": STYLE, "js": [], "disable_xml_declaration": True, "width": 760, "height": 360,
        "legend_at_bottom": True, "legend_at_bottom_columns": 3, "print_values": False, "show_y_guides": True,
        "no_data_text": _("データがありません"), **extra,
    }


def _render(chart):
    return mark_safe(chart.render(is_unicode=True))


def cached(kind, *inputs):
    """A chart depends only on its numbers: drawing one takes pygal ~50 ms, so the SVG is kept in the
    cache under a hash of the inputs (and the language of its labels) and redrawn only when they change."""
    key = hashlib.sha256(repr([kind, translation.get_language(), *inputs]).encode()).hexdigest()
    svg = cache.get(f"gov-chart:{key}")
    if svg is None:
        svg = DRAW[kind](*inputs)
        cache.set(f"gov-chart:{key}", str(svg), 24 * 3600)
    return mark_safe(svg)


def monthly_chart(fy, month_rows):
    """Bars per month: consultations handled and problems solved."""
    chart = pygal.Bar(**_options(_("月別の相談対応件数と課題解決件数")))
    months = months_of(fy)
    chart.x_labels = [month_label(m) for m in months]
    get = [month_rows.get(m) for m in months]
    chart.add(_("相談対応件数"), [r["consultations"] if r else 0 for r in get])
    chart.add(_("課題解決件数"), [(r["solved_consultations"] + r["certified_dispatches"]) if r else 0 for r in get])
    chart.add(_("ネットワーク活動件数"), [r["network_activities"] if r else 0 for r in get])
    return _render(chart)


def cumulative_chart(fy, month_rows, targets, until=None):
    """Year-to-date consultations and solved problems against an even pace towards the targets
    (the lines stop at the month `until`, the current one)."""
    chart = pygal.Line(**_options(_("年度累計と目標（月割りの目安）"), dots_size=3))
    months = months_of(fy)
    chart.x_labels = [month_label(m) for m in months]
    running, solved, ys, ys_solved = 0, 0, [], []
    for m in months:
        r = month_rows.get(m)
        running += r["consultations"] if r else 0
        solved += (r["solved_consultations"] + r["certified_dispatches"]) if r else 0
        future = until is not None and m > until
        ys.append(None if future else running)
        ys_solved.append(None if future else solved)
    chart.add(_("相談対応件数（累計）"), ys)
    chart.add(_("課題解決件数（累計）"), ys_solved)
    if targets.get("consultations"):
        chart.add(_("相談対応件数の目安"), [round(targets["consultations"] * (i + 1) / 12) for i in range(12)],
                  stroke_style={"dasharray": "6, 4"}, show_dots=False)
    if targets.get("solved"):
        chart.add(_("課題解決件数の目安"), [round(targets["solved"] * (i + 1) / 12) for i in range(12)],
                  stroke_style={"dasharray": "2, 4"}, show_dots=False)
    return _render(chart)


def achievement_chart(rows, title):
    """Horizontal bars: achievement rate (%) per centre or region. rows: [(label, consultations %, solved %)]."""
    chart = pygal.HorizontalBar(**_options(title, height=max(360, 22 * len(rows) + 120)))
    chart.x_labels = [label for label, _c, _s in rows]
    chart.add(_("相談対応件数 達成率（％）"), [c for _l, c, _s in rows])
    chart.add(_("課題解決件数 達成率（％）"), [s for _l, _c, s in rows])
    return _render(chart)


DRAW = {"monthly": monthly_chart, "cumulative": cumulative_chart, "achievement": achievement_chart}
