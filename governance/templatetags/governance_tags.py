import datetime

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from governance.dashboard import kpi_labels, pct

register = template.Library()


@register.filter
def cell(value):
    """A table cell as shown: — for no value, one decimal for rates, dates as YYYY-MM-DD."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return value


@register.filter
def cell_class(value):
    return "num" if isinstance(value, (int, float)) and not isinstance(value, bool) else ""


@register.filter
def kpi_cards(data):
    cards = []
    for key, label in kpi_labels().items():
        target, actual = data["targets"].get(key) or 0, data["actuals"][key]
        rate = pct(actual, target)
        cards.append({"label": label, "target": target, "actual": actual, "rate": rate,
                      "bar": min(rate, 100) if rate is not None else 0})
    return cards


@register.simple_tag
def no_data():
    return _("データがありません")


@register.simple_tag
def table_body(table):
    """The rows of a dashboard table, built in Python: a national table has ~1,000 cells and the
    template engine spent more time on them than the queries did."""
    if not table.rows:
        return format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), _("該当する記録はありません。"))
    out = []
    for link, row in table.linked_rows():
        first = conditional_escape(cell(row[0]))
        if link:
            first = format_html('<a href="{}">{}</a>', link, first)
        cells = "".join(
            f'<td class="num">{conditional_escape(cell(v))}</td>' if cell_class(v) else f"<td>{conditional_escape(cell(v))}</td>"
            for v in row[1:]
        )
        out.append(f'<tr><th scope="row">{first}</th>{cells}</tr>')
    return mark_safe("\n".join(out))
