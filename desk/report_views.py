import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import fiscal_year, fiscal_year_range

from . import access, charts, reports
from .forms import ReportForm


def _period(request):
    """?start=&end= (dates); default: this fiscal year up to the end of the booking horizon."""
    today = timezone.localdate()
    default = {"start": fiscal_year_range(fiscal_year(today))[0], "end": today + datetime.timedelta(weeks=4)}
    form = ReportForm(request.GET or None, initial=default)
    if request.GET and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default["start"], default["end"]


@login_required
def report(request, pk):
    desk = access.get_desk_for_staff(request.user, pk)
    form, start, end = _period(request)
    data = reports.build(desk, start, end)
    sections = []
    for name in ["theme", "channel", "source", "shokokai"]:
        title = reports.TABLE_TITLES[name]
        sections.append({
            "name": name, "title": title, "header": reports.table_header(name),
            "rows": list(reports.table_rows(name, data[name])),
            "chart": charts.bars(f"chart-{name}", _("利用件数（%(title)s）") % {"title": title},
                                 [(row.label, row.uses) for row in data[name]]),
        })
    weeks = data["week"]
    return render(request, "desk/reports.html", {
        "desk": desk, "form": form, "start": start, "end": end, "totals": data["totals"],
        "week_header": reports.table_header("week"), "week_rows": list(reports.table_rows("week", weeks)),
        "week_chart": charts.columns(
            "chart-week", _("週別の予約と相談実施"), [f"{r.key.month}/{r.key.day}" for r in weeks],
            [(_("予約"), [r.booked for r in weeks]), (_("相談実施"), [r.sessions for r in weeks])],
        ),
        "sections": sections, "query": request.GET.urlencode(),
        "unused": [row.label for row in data["shokokai"] if row.key is not None and row.uses == 0],
    })


@login_required
def export_csv(request, pk):
    desk = access.get_desk_for_staff(request.user, pk)
    _form, start, end = _period(request)
    table = request.GET.get("table", "entries")
    if table != "entries" and table not in reports.TABLES:
        raise Http404
    data = reports.build(desk, start, end)
    if table == "entries":
        content = reports.csv_bytes(reports.entry_header(), reports.entry_rows(data["entries"]))
    else:
        content = reports.csv_bytes(reports.table_header(table), reports.table_rows(table, data[table]))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="desk-{desk.pk}-{table}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    return response


@login_required
def export_xlsx(request, pk):
    desk = access.get_desk_for_staff(request.user, pk)
    _form, start, end = _period(request)
    data = reports.build(desk, start, end)
    response = HttpResponse(
        reports.xlsx_bytes(desk, data, start, end),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="desk-{desk.pk}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response
