"""CSV and Excel files of a dashboard table (the same Table objects the page shows)."""

import csv
import datetime
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, str, datetime.date)):
        return value
    return str(value)


def csv_bytes(table):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_plain(v) for v in row])
    # The BOM lets Excel in Japan open UTF-8 without garbling.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(table):
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31].translate(str.maketrans({c: "・" for c in "[]:*?/\\"}))
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([None if v is None or v == "" else _plain(v) for v in row])
    if table.note:
        sheet.append([])
        sheet.append([table.note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def response(table, fmt, basename):
    if fmt == "csv":
        body, content_type = csv_bytes(table), "text/csv; charset=utf-8"
    else:
        body, content_type = xlsx_bytes(table), XLSX
    resp = HttpResponse(body, content_type=content_type)
    filename = f"{basename}-{table.key}.{fmt}"
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
