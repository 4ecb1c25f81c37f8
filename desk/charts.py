"""Small server-side SVG charts (no JavaScript, no build step).

Each chart is an <svg role="img"> with a title and a one-sentence description; the page shows the
same numbers in a table beside it, so nothing depends on seeing the picture or telling colours
apart (the second series is also hatched).
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BLUE = "#0031d8"
GREEN = "#006e3c"
INK = "#1a1a1a"
GRID = "#cccccc"
FONT = 'font-family="Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"'


def _nice_max(value):
    """A round axis maximum at or above value (1, 2, 5 × 10^n)."""
    value = max(value, 1)
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def _count(label, n):
    return _("%(label)s %(n)s件") % {"label": label, "n": n}


def _header(chart_id, width, height, title, description):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        f'<rect width="3" height="6" fill="{GREEN}"/></pattern></defs>'
    )


def bars(chart_id, title, rows):
    """Horizontal bars; rows: (label, value). One bar per row, the value printed at its end."""
    label_width, bar_width, row_height = 190, 360, 28
    height = row_height * len(rows) + 16
    top = _nice_max(max((v for _, v in rows), default=0))
    parts = [_header(chart_id, label_width + bar_width + 60, height, title,
                     _("、").join(_count(label, value) for label, value in rows))]
    for index, (label, value) in enumerate(rows):
        y = 8 + index * row_height
        width = bar_width * value / top
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" font-size="13" fill="{INK}">{escape(_clip(label))}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{width:.1f}" height="{row_height - 10}" fill="{BLUE}"/>'
            f'<text x="{label_width + width + 6:.1f}" y="{y + 18}" font-size="13" fill="{INK}">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def columns(chart_id, title, labels, series):
    """Vertical grouped columns per label; series: [(name, [values])] (one or two series)."""
    # About 720 units wide whatever the number of weeks, so the text keeps its size on the page.
    left, bottom, plot_height, group = 36, 40, 180, max(10, min(60, 720 // max(len(labels), 1)))
    width = left + group * len(labels) + 20
    label_every = -(-len(labels) // 16)  # at most 16 labels under the axis
    height = plot_height + bottom + 30
    top = _nice_max(max((v for _, values in series for v in values), default=0))
    description = _("。").join(
        _("%(name)s：%(counts)s") % {"name": name, "counts": _("、").join(_count(label, v) for label, v in zip(labels, values))}
        for name, values in series
    )
    parts = [_header(chart_id, width, height, title, description)]
    for tick in (0, top / 2, top):
        y = 10 + plot_height - plot_height * tick / top
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{INK}">{tick:g}</text>')
    bar = (group - min(8, group // 4)) / len(series)
    fills = [BLUE, f"url(#{chart_id}-hatch)"]
    for index, label in enumerate(labels):
        x0 = left + index * group + min(4, group // 8)
        for number, (_name, values) in enumerate(series):
            h = plot_height * values[index] / top
            parts.append(f'<rect x="{x0 + number * bar:.1f}" y="{10 + plot_height - h:.1f}" width="{bar - 1:.1f}" '
                         f'height="{h:.1f}" fill="{fills[number]}" stroke="{[BLUE, GREEN][number]}"/>')
        if index % label_every == 0:
            parts.append(f'<text x="{x0 + (group - 8) / 2:.1f}" y="{plot_height + 26}" text-anchor="middle" '
                         f'font-size="11" fill="{INK}">{escape(label)}</text>')
    legend_y = plot_height + bottom + 14
    for number, (name, _values) in enumerate(series):
        x = left + number * 150
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="14" height="14" fill="{fills[number]}" '
                     f'stroke="{[BLUE, GREEN][number]}"/><text x="{x + 20}" y="{legend_y + 2}" font-size="12" '
                     f'fill="{INK}">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _clip(label, size=14):
    return label if len(label) <= size else label[: size - 1] + "…"
