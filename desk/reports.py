"""Desk reports: bookings and sessions per week, theme, channel, referral source and 商工会.

One query reads the period's entries as plain values; the tables are counted in Python (the
same on SQLite and PostgreSQL, no per-database week functions). Every 商工会 the desk serves is
listed, including those that never used it (seed 004's 温度差).
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reference.models import Specialty

from .access import shokokai_choices
from .models import Booking, Channel, Source
from .rules import at, monday_of

TABLES = ["week", "theme", "channel", "source", "shokokai"]


@dataclass
class Row:
    key: object
    label: str
    booked: int = 0  # bookings not cancelled
    cancelled: int = 0
    walk_ins: int = 0
    sessions: int = 0  # sessions held (booked and recorded, or walk-ins)
    by_adviser: int = 0  # booked by a 商工会 経営指導員

    @property
    def uses(self):
        return self.booked + self.walk_ins

    def add(self, entry):
        if entry["status"] == Booking.Status.CANCELLED:
            self.cancelled += 1
            return
        if entry["kind"] == Booking.Kind.WALK_IN:
            self.walk_ins += 1
        else:
            self.booked += 1
            self.by_adviser += entry["by_adviser"]
        if entry["status"] == Booking.Status.DONE:
            self.sessions += 1


def entries(desk, start, end):
    """Every booking and walk-in of the desk starting between two dates (inclusive), as dicts."""
    return list(
        Booking.objects.filter(
            desk=desk, starts_at__gte=at(start, datetime.time.min),
            starts_at__lt=at(end + datetime.timedelta(days=1), datetime.time.min),
        ).order_by("starts_at", "pk").values(
            "pk", "kind", "status", "starts_at", "channel", "theme_id", "theme__name", "source", "source_note",
            "shokokai_id", "shokokai__name", "by_adviser", "company__name", "caller_company", "consultant__name",
            "consultation_id",
        )
    )


def _table(rows, entries_, key, label=None):
    by_key = {row.key: row for row in rows}
    for entry in entries_:
        k = key(entry)
        if k not in by_key:
            by_key[k] = Row(k, label(entry) if label else str(k))
            rows.append(by_key[k])
        by_key[k].add(entry)
    return rows


def by_week(entries_, start, end):
    rows, monday = [], monday_of(start)
    while monday <= end:
        rows.append(Row(monday, _("%(m)s月%(d)s日の週") % {"m": monday.month, "d": monday.day}))
        monday += datetime.timedelta(days=7)
    return _table(rows, entries_, lambda e: monday_of(timezone.localtime(e["starts_at"]).date()))


def by_theme(entries_):
    used = {e["theme_id"] for e in entries_ if e["theme_id"]}
    rows = [Row(s.pk, s.name) for s in Specialty.objects.filter(pk__in=used).order_by("sort_order", "pk")]
    rows.append(Row(None, _("テーマ指定なし")))
    return _table(rows, entries_, lambda e: e["theme_id"])


def by_channel(entries_):
    return _table([Row(value, str(label)) for value, label in Channel.choices], entries_, lambda e: e["channel"])


def by_source(entries_):
    rows = [Row(value, str(label)) for value, label in Source.choices] + [Row("", _("未回答"))]
    return _table(rows, entries_, lambda e: e["source"])


def by_shokokai(desk, entries_):
    """Every 商工会 the desk serves (zero rows included), others that booked, and direct use."""
    rows = [Row(o.pk, o.name) for o in shokokai_choices(desk)]
    rows = _table(rows, entries_, lambda e: e["shokokai_id"], label=lambda e: e["shokokai__name"] or "")
    direct = next((r for r in rows if r.key is None), None)
    if direct is None:
        direct = Row(None, "")
        rows.append(direct)
    direct.label = _("商工会を通さない利用")
    rows.remove(direct)
    rows.sort(key=lambda r: -r.uses)  # the 温度差 at a glance: most use first, zero use last
    return rows + [direct]


def build(desk, start, end):
    found = entries(desk, start, end)
    totals = Row("total", _("合計"))
    for entry in found:
        totals.add(entry)
    return {
        "entries": found, "totals": totals,
        "week": by_week(found, start, end), "theme": by_theme(found), "channel": by_channel(found),
        "source": by_source(found), "shokokai": by_shokokai(desk, found),
    }


TABLE_TITLES = {
    "week": gettext_lazy("週別"), "theme": gettext_lazy("テーマ別"), "channel": gettext_lazy("相談方法別"),
    "source": gettext_lazy("窓口を知ったきっかけ別"), "shokokai": gettext_lazy("商工会別"),
}


def table_header(name):
    first = {"week": _("週"), "theme": _("相談テーマ"), "channel": _("相談方法"), "source": _("きっかけ"),
             "shokokai": _("商工会")}[name]
    columns = [first, _("利用件数"), _("予約"), _("予約なし"), _("相談実施"), _("取消し")]
    if name == "shokokai":
        columns.append(_("うち経営指導員の代理予約"))
    return columns


def table_rows(name, rows):
    for row in rows:
        values = [row.label, row.uses, row.booked, row.walk_ins, row.sessions, row.cancelled]
        if name == "shokokai":
            values.append(row.by_adviser)
        yield values


def entry_header():
    return [_("日時"), _("種別"), _("状態"), _("事業者"), _("相談方法"), _("相談テーマ"), _("きっかけ"),
            _("きっかけ（その他）"), _("商工会"), _("経営指導員の代理予約"), _("相談員"), _("相談の記録")]


def _labels(choices):
    return {value: str(label) for value, label in choices.choices}


def entry_rows(entries_):
    # Plain strings: the labels are lazy and openpyxl writes only real str cells.
    kinds, statuses = _labels(Booking.Kind), _labels(Booking.Status)
    channels, sources = _labels(Channel), _labels(Source)
    for e in entries_:
        yield [
            timezone.localtime(e["starts_at"]).strftime("%Y-%m-%d %H:%M"), kinds[e["kind"]], statuses[e["status"]],
            e["company__name"] or e["caller_company"], channels.get(e["channel"], ""), e["theme__name"] or "",
            sources.get(e["source"], ""), e["source_note"], e["shokokai__name"] or "",
            _("はい") if e["by_adviser"] else "", e["consultant__name"], _("あり") if e["consultation_id"] else "",
        ]


def csv_bytes(header, rows):
    """UTF-8 with a BOM, so Excel in Japan opens it without mojibake."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(desk, report, start, end):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = True
    for name in TABLES:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = str(TABLE_TITLES[name])[:31]
        sheet.append([f"{desk.organisation.name} {desk.name}", f"{start:%Y-%m-%d}〜{end:%Y-%m-%d}"])
        sheet.append(table_header(name))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for values in table_rows(name, report[name]):
            sheet.append(values)
        sheet.column_dimensions["A"].width = 28
    sheet = book.create_sheet(str(_("明細")))
    sheet.append(entry_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in entry_rows(report["entries"]):
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
