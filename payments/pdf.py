"""支払明細書: one PDF per expert per batch (cases, honorarium, travel, withholding, net), in IPAex
Gothic embedded as a subset so that any reader, and pdftotext, gets the text back."""

import io
import subprocess
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.dates import wareki

FONT = "IPAexGothic"
KNOWN_PATHS = ["/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"]
ACCOUNT_TYPES = {"1": "普通", "2": "当座", "4": "貯蓄"}


def font_path():
    """PDF_FONT_PATH if set, else where fontconfig (fc-match) finds IPAexGothic, else the Debian paths."""
    configured = getattr(settings, "PDF_FONT_PATH", "")
    if configured and Path(configured).exists():
        return configured
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", FONT], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        found = ""
    if found and "ipaex" in found.lower() and Path(found).exists():
        return found
    for path in KNOWN_PATHS:
        if Path(path).exists():
            return path
    raise RuntimeError("IPAexGothic not found: install fonts-ipaexfont-gothic")


@lru_cache(maxsize=1)
def _register():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, font_path()))
    return True


def payer_name():
    return getattr(settings, "ZENGIN_REMITTER", {}).get("display_name") or "専門家派遣事業 事務局"


def _yen(n):
    return f"{n:,}円"


def _esc(text):
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def statement_pdf(remittance, lines):
    """PDF bytes of the statement of one remittance; `lines` are its PaymentLine rows."""
    _register()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15)
    title = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=24, alignment=1)
    small = ParagraphStyle("small", fontName=FONT, fontSize=8.5, leading=12)
    batch = remittance.batch
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
                            title="支払明細書", author=payer_name())
    story = [Paragraph("支払明細書", title), Spacer(1, 4 * mm)]
    story.append(Paragraph(f"{_esc(remittance.payee_name)} 様", body))
    if remittance.invoice_number:
        story.append(Paragraph(f"登録番号（適格請求書発行事業者）：{_esc(remittance.invoice_number)}", body))
    story.append(Paragraph(f"支払者：{_esc(payer_name())}", body))
    story.append(Paragraph(
        f"支払日（振込指定日）：{batch.transfer_date:%Y年%m月%d日}（{wareki(batch.transfer_date)}）　支払バッチ#{batch.pk}", body))
    story.append(Spacer(1, 5 * mm))

    rows = [["支援日", "派遣番号", "事業者", "時間", "謝金", "旅費（請求）", "旅費（支給）", "計"]]
    for line in lines:
        rows.append([
            f"{line.visit_date:%Y-%m-%d}", f"#{line.case_id}", Paragraph(_esc(line.company_name), small),
            f"{line.hours.normalize():f}", _yen(line.honorarium), _yen(line.travel_claimed), _yen(line.travel_allowed),
            _yen(line.gross),
        ])
    table = Table(rows, colWidths=[21 * mm, 16 * mm, 44 * mm, 11 * mm, 19 * mm, 21 * mm, 21 * mm, 21 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf5")),
        ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [table, Spacer(1, 6 * mm)]

    if remittance.is_corporation:
        tax_label, tax_note = "源泉徴収税額", "法人への支払のため源泉徴収はありません。"
    else:
        tax_label = "源泉徴収税額（所得税及び復興特別所得税）"
        tax_note = "源泉徴収税額は、1回の支払金額のうち100万円までは10.21％、超える部分は20.42％（1円未満切捨て）です。"
    totals = Table([
        ["謝金の合計", _yen(remittance.honorarium)],
        ["旅費の合計", _yen(remittance.travel)],
        ["支払金額", _yen(remittance.gross)],
        [tax_label, _yen(remittance.withholding)],
        ["差引振込金額", _yen(remittance.net)],
    ], colWidths=[80 * mm, 40 * mm], hAlign="RIGHT")
    totals.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 10),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("BACKGROUND", (0, 4), (-1, 4), colors.HexColor("#e8edf5")),
    ]))
    story += [totals, Spacer(1, 4 * mm), Paragraph(tax_note, small), Spacer(1, 4 * mm)]
    account = ACCOUNT_TYPES.get(remittance.account_type, "")
    story.append(Paragraph(
        f"振込先：{_esc(remittance.bank_name)} {_esc(remittance.branch_name)} {account} {remittance.masked_account} "
        f"{_esc(remittance.holder_kana)}", body))
    story.append(Paragraph(f"作成日：{timezone.localdate():%Y年%m月%d日}", small))
    doc.build(story)
    return out.getvalue()
