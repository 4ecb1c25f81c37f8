"""支援実施申告書兼再発防止誓約書 as a PDF: case facts filled in, name and seal fields for the SME,
the expert and the organisation. IPAex fonts are embedded (subset) so any reader shows the text."""

import io
import subprocess
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.dates import fiscal_year_label, time_span, wareki
from programme.services import programme_for_year

FONT_FILES = {
    "IPAexMincho": ["/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf", "/usr/share/fonts/truetype/fonts-japanese-mincho.ttf"],
    "IPAexGothic": ["/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf"],
}


def _font_path(name):
    configured = getattr(settings, "PDF_FONT_DIR", "")
    candidates = [str(Path(configured) / Path(p).name) for p in FONT_FILES[name]] if configured else []
    for path in candidates + FONT_FILES[name]:
        if Path(path).exists():
            return path
    try:  # wherever fontconfig has it
        found = subprocess.run(["fc-match", "-f", "%{file}", name], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        found = ""
    if found and Path(found).exists() and "ipaex" in found.lower():
        return found
    raise RuntimeError(f"font {name} not found: install fonts-ipaexfont")


@lru_cache(maxsize=1)
def register_fonts():
    for name in FONT_FILES:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, _font_path(name)))
    return True


def _styles():
    body = ParagraphStyle("body", fontName="IPAexMincho", fontSize=10, leading=15)
    return {
        "title": ParagraphStyle("title", fontName="IPAexGothic", fontSize=16, leading=24, alignment=TA_CENTER),
        "body": body,
        "right": ParagraphStyle("right", parent=body, alignment=2),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", fontName="IPAexMincho", fontSize=9.5, leading=14),
        "head": ParagraphStyle("head", fontName="IPAexGothic", fontSize=9.5, leading=14),
    }


def _esc(text):
    return (str(text or "")).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


GAP = "&nbsp;" * 6  # room to write by hand (Paragraph collapses ordinary and full-width spaces)


def _short(text, limit):
    text = str(text or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check(ok):
    return "□" if ok else "■"


def build_declaration_pdf(case, evidence):
    """The declaration for `case` as PDF bytes: a Japanese form whoever prints it (令和8年度, not FY2026;
    20:00〜翌1:00 past midnight)."""
    with translation.override("ja"):
        return _build_declaration_pdf(case, evidence)


def _build_declaration_pdf(case, evidence):
    register_fonts()
    s = _styles()
    window = programme_for_year(case.fiscal_year).time_window_minutes
    start = timezone.localtime(case.starts_at)
    planned = time_span(case.starts_at, case.ends_at)
    company = case.company
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
        title="支援実施申告書兼再発防止誓約書", author="よろず", subject=f"専門家派遣 #{case.pk}",
    )
    cell = s["cell"]
    facts = [  # (label, paragraph markup): every value from the database is escaped
        ("派遣番号", _esc(f"#{case.pk}（{fiscal_year_label(case.fiscal_year)}）")),
        ("中小企業者等", _esc(f"{company.name}　{company.prefecture}{company.municipality}{company.address}")),
        ("専門家", _esc(case.expert.display_name)),
        ("支援機関", _esc(case.organisation.name)),
        ("支援日", _esc(f"{wareki(start.date())}（{start:%Y年%m月%d日}）")),
        ("予定の時間", _esc(planned)),
        ("実際の時間", f"{GAP}時{GAP}分 〜 {GAP}時{GAP}分（記入してください）"),
        ("支援場所", _esc(case.place)),
        ("支援分野", _esc(case.topic.name)),
        ("支援の内容", _esc(_short(case.request_text, 240))),
    ]
    facts_table = Table(
        [[Paragraph(k, s["head"]), Paragraph(v, cell)] for k, v in facts],
        colWidths=[32 * mm, 138 * mm],
    )
    facts_table.setStyle(_grid())
    missing = [
        (evidence.start_ok, f"支援開始時刻の報告（支援開始時±{window}分以内のメールまたはチェックイン）"),
        (evidence.end_ok, f"支援終了時刻の報告（支援終了時±{window}分以内のメールまたはチェックアウト）"),
        (evidence.photo_ok, "支援状況写真（中小企業者等の担当者と専門家が一緒に写ったもの）"),
    ]
    missing_rows = [[Paragraph(_check(ok), s["center"]), Paragraph(label, cell)] for ok, label in missing]
    missing_table = Table(missing_rows, colWidths=[10 * mm, 160 * mm])
    missing_table.setStyle(_grid())
    story = [
        Paragraph(f"{wareki(timezone.localdate())}", s["right"]),
        Spacer(1, 3 * mm),
        Paragraph("専門家派遣事業 事務局 御中", s["body"]),
        Spacer(1, 3 * mm),
        Paragraph("支援実施申告書兼再発防止誓約書", s["title"]),
        Spacer(1, 3 * mm),
        Paragraph(
            "下記の専門家派遣について、所定の方法による報告（■を付けたもの）ができませんでしたが、"
            "下記のとおり支援が実施されたことを、中小企業者等・専門家・支援機関の3者で申告します。"
            "また、今後は所定の方法により速やかに報告を行い、同様の事態を再発させないことを誓約します。"
            "なお、申告の内容に虚偽があった場合には、支援は本事業外で実施されたものとして扱われることに異議はありません。",
            s["body"],
        ),
        Spacer(1, 4 * mm),
        Paragraph("記", s["center"]),
        Spacer(1, 2 * mm),
        facts_table,
        Spacer(1, 4 * mm),
        Paragraph("報告できなかった証憑（■）", s["head"]),
        missing_table,
        Spacer(1, 3 * mm),
        Paragraph("報告できなかった理由：", s["body"]),
        Spacer(1, 10 * mm),
        KeepTogether([Paragraph(f"記入日：{GAP}{GAP}年{GAP}月{GAP}日", s["body"]), Spacer(1, 2 * mm), _signature_table(case, s)]),
    ]
    doc.build(story)
    return out.getvalue()


def _grid():
    return TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.94, 0.94, 0.94)),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])


def _signature_table(case, s):
    head, cell = s["head"], s["cell"]
    rows = [[Paragraph("立場", head), Paragraph("名称・氏名（記名）", head), Paragraph("印", head)]]
    parties = [
        ("中小企業者等", f"{_esc(case.company.name)}<br/>担当者氏名："),
        ("専門家", f"氏名：{_esc(case.expert.display_name)}"),
        ("支援機関", f"{_esc(case.organisation.name)}<br/>担当者氏名："),
    ]
    for role, text in parties:
        rows.append([Paragraph(role, head), Paragraph(text, cell), Paragraph("印", s["center"])])
    table = Table(rows, colWidths=[32 * mm, 114 * mm, 24 * mm], rowHeights=[7 * mm] + [16 * mm] * 3)
    style = _grid()
    style.add("TEXTCOLOR", (2, 1), (2, -1), colors.grey)
    table.setStyle(style)
    return table
