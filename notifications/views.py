"""The secretariat's inbox of received mail: list, detail (decoded), manual match, re-run, close."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.models import Membership
from core import audit
from core.dates import fiscal_year
from core.images import sanitize_image
from dispatch.actions import Refused
from dispatch.models import DispatchCase

from . import inbound_actions as actions
from .inbound import rules_for_year
from .inbound_forms import CloseForm, InboundRulesForm, InboxFilterForm, ManualMatchForm
from .inbound_parse import parse_message
from .models import InboundMail

PAGE_SIZE = 50


def _require_secretariat(user):
    if not actions.can_handle(user):
        raise Http404


def _get_mail(pk, with_raw=False):
    queryset = InboundMail.objects.select_related("case", "case__company", "case__expert", "company", "matched_by",
                                                   "handled_by")
    if not with_raw:
        queryset = queryset.without_raw()
    try:
        return queryset.get(pk=pk)
    except InboundMail.DoesNotExist:
        raise Http404 from None


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def inbox(request):
    _require_secretariat(request.user)
    form = InboxFilterForm(request.GET or None)
    view, query = "open", ""
    if form.is_valid():
        view, query = form.cleaned_data["view"] or "open", form.cleaned_data["q"].strip()
    mails = InboundMail.objects.without_raw().select_related("case", "case__company", "case__expert", "company")
    if view == "open":
        mails = mails.open()
    elif view == "matched":
        mails = mails.filter(status=InboundMail.Status.MATCHED)
    if query:
        mails = mails.filter(Q(subject__icontains=query) | Q(from_address__icontains=query))
    page = Paginator(mails.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page, "form": form, "view": view, "open_count": InboundMail.objects.open().count(),
    })


def _candidates(mail):
    """Cases the mail is probably about: the sender's or named company's, around the stated or received day."""
    around = timezone.localtime(mail.reported_at or mail.received_at).date()
    start = timezone.make_aware(datetime.datetime.combine(around - datetime.timedelta(days=14), datetime.time.min))
    end = start + datetime.timedelta(days=29)
    companies = set(
        Membership.objects.filter(user__email__iexact=mail.from_address).values_list("company_id", flat=True)
    ) if mail.from_address else set()
    if mail.company_id:
        companies.add(mail.company_id)
    scope = Q(company_id__in=companies)
    if mail.case_id:
        scope |= Q(pk=mail.case_id)
    return list(
        DispatchCase.objects.filter(scope, starts_at__gte=start, starts_at__lt=end)
        .select_related("company", "expert").order_by("starts_at")[:20]
    )


@login_required
def mail_detail(request, pk, match_form=None):
    _require_secretariat(request.user)
    mail = _get_mail(pk, with_raw=True)
    parsed = parse_message(bytes(mail.raw))
    candidates = _candidates(mail)
    if match_form is None:
        reported = mail.reported_at or mail.received_at
        initial = {"kind": mail.kind or "", "reported_at": timezone.localtime(reported).replace(tzinfo=None)}
        if len(candidates) == 1:
            initial["case"] = candidates[0].pk
        match_form = ManualMatchForm(initial=initial, candidates=candidates)
    problems = {row["index"]: row for row in mail.attachments}
    attachments = [{"part": a, "row": problems.get(a.index, {})} for a in parsed.attachments]
    return render(request, "notifications/mail_detail.html", {
        "mail": mail, "parsed": parsed, "attachments": attachments, "candidates": candidates,
        "match_form": match_form, "close_form": CloseForm(),
    })


@login_required
@require_POST
def mail_match(request, pk):
    _require_secretariat(request.user)
    mail = _get_mail(pk)
    form = ManualMatchForm(request.POST, candidates=_candidates(mail))
    if not form.is_valid():
        return mail_detail(request, pk, match_form=form)
    data = form.cleaned_data
    reported_at = data.get("reported_at")
    if reported_at is not None and timezone.is_naive(reported_at):
        reported_at = timezone.make_aware(reported_at)
    try:
        actions.match_manually(request.user, mail.pk, data["case_id"], data["kind"], reported_at, request=request)
    except Refused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
        return mail_detail(request, pk, match_form=form)
    messages.success(request, _("受信#%(id)sを派遣#%(case)sに反映しました。") % {"id": mail.pk, "case": data["case_id"]})
    return redirect("notifications:mail_detail", pk=mail.pk)


@login_required
@require_POST
def mail_reprocess(request, pk):
    _require_secretariat(request.user)
    mail = _get_mail(pk)
    try:
        mail = actions.reprocess(request.user, mail.pk, request=request)
    except Refused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.info(request, _("自動照合をやり直しました：%(status)s") % {"status": mail.get_status_display()})
    return redirect("notifications:mail_detail", pk=pk)


@login_required
@require_POST
def mail_close(request, pk):
    _require_secretariat(request.user)
    mail = _get_mail(pk)
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(*[e for errors in form.errors.values() for e in errors])
        actions.close(request.user, mail.pk, form.cleaned_data["note"], request=request)
    except Refused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, _("受信#%(id)sを対応済みにしました。") % {"id": mail.pk})
    return redirect("notifications:mail_detail", pk=pk)


@login_required
def mail_attachment(request, pk, index):
    """An attachment, only through here and audited. Images are re-encoded; anything else downloads."""
    _require_secretariat(request.user)
    mail = _get_mail(pk, with_raw=True)
    parts = [a for a in parse_message(bytes(mail.raw)).attachments if a.index == index]
    if not parts:
        raise Http404
    part = parts[0]
    audit.record(request.user, "mail.attachment_viewed", mail, {"index": index, "filename": part.filename}, request=request)
    if part.is_image:
        try:
            clean = sanitize_image(ContentFile(part.data, name=part.filename))
            return _private(HttpResponse(clean.read(), content_type="image/jpeg"))
        except ValidationError:
            pass  # not a readable image after all: offer it as a download below
    content_type = "application/pdf" if part.is_pdf else "application/octet-stream"
    response = HttpResponse(part.data, content_type=content_type)
    response["Content-Disposition"] = _disposition(part.filename)
    return _private(response)


def _disposition(filename):
    from urllib.parse import quote

    return f"attachment; filename=\"attachment\"; filename*=UTF-8''{quote(filename)}"


@login_required
def mail_raw(request, pk):
    """The mail exactly as received (.eml), audited like an attachment."""
    _require_secretariat(request.user)
    mail = _get_mail(pk, with_raw=True)
    audit.record(request.user, "mail.raw_downloaded", mail, {}, request=request)
    response = HttpResponse(bytes(mail.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="inbound-{mail.pk}.eml"'
    return _private(response)


@login_required
def rules(request):
    _require_secretariat(request.user)
    current = rules_for_year(fiscal_year())
    initial = {name: getattr(current, name) for name in ("accept_any_sender", "match_tolerance_minutes", "max_attachment_mb")}
    form = InboundRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_rules(request.user, current.pk, form.cleaned_data, request=request)
        messages.success(request, _("メール報告の設定を保存しました。"))
        return redirect("notifications:rules")
    return render(request, "notifications/rules.html", {"form": form, "rules": current})
