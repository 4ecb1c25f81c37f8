"""Demo inbound mail: legacy reports as real Japanese clients send them, matched and not.

`load_demo_mailin()` runs after the dispatch and reports demos (it uses their はな美容室 visit
two days ago when present); safe to run again. Each mail is built as real bytes in the
encoding a Japanese client would use and goes through `inbound.ingest`, like mail from the
listener. Returns the number of mails added.
"""

import base64
import datetime
import io
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email import encoders
from email.utils import format_datetime

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from companies.models import Company
from dispatch.models import DispatchCase, State

from .inbound import ingest
from .models import InboundMail

DOMAIN = "demo.yorozu.jp"


def _words(text, charset):
    codec = {"ISO-2022-JP": "iso2022_jp", "Shift_JIS": "cp932", "UTF-8": "utf-8"}[charset]
    if charset == "ISO-2022-JP":  # what Windows clients send for ～ (JIS 1-33 is 〜)
        text = text.replace("～", "〜")
    return " ".join(
        f"=?{charset}?B?{base64.b64encode(text[i:i + 12].encode(codec)).decode()}?="
        for i in range(0, len(text), 12)
    )


def _mail(n, subject, sender, sender_name, sent_at, charset="ISO-2022-JP", body="", attachments=()):
    body_charset = {"ISO-2022-JP": "iso-2022-jp", "Shift_JIS": "shift_jis", "UTF-8": "utf-8"}[charset]
    text = MIMEText(body or "よろしくお願いいたします。", "plain", body_charset)
    message = text
    if attachments:
        message = MIMEMultipart()
        message.attach(text)
        for filename, data, mimetype in attachments:
            part = MIMEBase(*mimetype.split("/", 1))
            part.set_payload(data)
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=filename)
            message.attach(part)
    message["From"] = f"{_words(sender_name, charset)} <{sender}>"
    message["To"] = settings.SECRETARIAT_EMAIL
    message["Date"] = format_datetime(timezone.localtime(sent_at))
    message["Message-ID"] = f"<demo-mailin-{n}@{DOMAIN}>"
    if subject is not None:
        message["Subject"] = "SUBJECT-PLACEHOLDER"
    raw = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    return raw.replace(b"SUBJECT-PLACEHOLDER", _words(subject, charset).encode()) if subject is not None else raw


def _photo():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (232, 226, 214))
    draw = ImageDraw.Draw(image)
    for x in (200, 440):  # two people side by side in a salon, no real faces
        draw.ellipse((x - 45, 90, x + 45, 180), fill=(240, 214, 190))
        draw.rounded_rectangle((x - 80, 190, x + 80, 420), radius=40, fill=(70, 60, 90) if x == 200 else (40, 80, 120))
    draw.rectangle((0, 430, 640, 480), fill=(160, 120, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _consent_pdf(company_name):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("HeiseiMin-W3", 16)
    page.drawString(72, 760, "写真提出の同意書")
    page.setFont("HeiseiMin-W3", 11)
    page.drawString(72, 720, "専門家派遣の支援状況写真を事務局に提出することに同意します。")
    page.drawString(72, 690, f"事業者名：{company_name}　代表者：（署名済み）")
    page.save()
    return out.getvalue()


def _jst(day, hour, minute):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def load_demo_mailin(now=None):
    if InboundMail.objects.filter(source=InboundMail.Source.DEMO).exists():
        return 0
    now = now or timezone.now()
    added = 0

    def take(raw, received_at):
        nonlocal added
        ingest(raw, source=InboundMail.Source.DEMO, envelope_to=[settings.SECRETARIAT_EMAIL], received_at=received_at)
        added += 1

    # The visit the reports demo left waiting for certification (two days ago), with its SME member.
    case = (DispatchCase.objects.filter(state=State.REPORTED, company__memberships__user__email__endswith=f"@{DOMAIN}")
            .select_related("company", "expert").order_by("-starts_at").first())
    member = User.objects.filter(memberships__company=case.company).order_by("pk").first() if case else None
    if case is not None and member is not None:
        start, end = timezone.localtime(case.starts_at), timezone.localtime(case.ends_at)
        name, expert = case.company.name, case.expert.display_name.replace(" ", "")
        # A phone mailer: full-width digits and ／ ：, ISO-2022-JP, sent four minutes after the start.
        subject = f"{name}／{expert}／{start.month}月{start.day}日　{start:%H:%M}".translate(
            str.maketrans("0123456789:", "０１２３４５６７８９："))
        take(_mail(1, subject, member.email, member.name, start + datetime.timedelta(minutes=4)),
             start + datetime.timedelta(minutes=4))
        # Outlook: Shift_JIS, the end report with the photo attached.
        take(_mail(2, f"{name}/{expert}/{end.month}月{end.day}日 {end:%H:%M} 終了", member.email, member.name,
                   end + datetime.timedelta(minutes=6), charset="Shift_JIS", body="本日はありがとうございました。写真を添付します。",
                   attachments=[("IMG_2034.jpg", _photo(), "image/jpeg")]),
             end + datetime.timedelta(minutes=6))
        # The consent form, once this fiscal year.
        take(_mail(3, f"{name}/写真提出の同意書", member.email, member.name, end + datetime.timedelta(hours=3), charset="UTF-8",
                   body="写真提出の同意書をお送りします。", attachments=[("doui.pdf", _consent_pdf(name), "application/pdf")]),
             end + datetime.timedelta(hours=3))
        # From the member's phone, not the registered address: kept for the secretariat.
        take(_mail(4, f"{name}/{expert}/{start.month}月{start.day}日({'月火水木金土日'[start.weekday()]}){start:%H:%M}～{end:%H:%M}",
                   "tanto.keitai.0812@docomo.ne.jp", "事業者の担当者", end + datetime.timedelta(hours=1),
                   attachments=[("DSC_0456.JPG", _photo(), "image/jpeg")]),
             end + datetime.timedelta(hours=1))

    sme = User.objects.filter(email="sme@demo.yorozu.jp").first()
    company = Company.objects.filter(memberships__user=sme).order_by("pk").first() if sme else None
    if sme is not None and company is not None:
        today = timezone.localdate(now)
        # The expert's name mistyped: no such visit, shown in the inbox for manual matching.
        take(_mail(5, f"{company.name}/山本先生/{today.month}月{today.day}日 10:00", sme.email, sme.name,
                   _jst(today, 10, 2), charset="UTF-8"), min(now, _jst(today, 10, 2)))
        # No subject at all, body only.
        take(_mail(6, None, sme.email, sme.name, now - datetime.timedelta(hours=20), charset="Shift_JIS",
                   body="お世話になっております。本日の支援が終わりました。件名の書き方が分からず、このままお送りします。"),
             now - datetime.timedelta(hours=20))
        # A file named .jpg that is not a picture.
        take(_mail(7, f"{company.name}/写真", sme.email, sme.name, now - datetime.timedelta(hours=5),
                   attachments=[("photo.jpg", b"PK\x03\x04 not a photo", "image/jpeg")]),
             now - datetime.timedelta(hours=5))
    return added
