import datetime

from django import template
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
