import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.models import Membership
from directory.models import Organisation

from . import access, actions, ics
from .forms import (
    BookingForm, CancelForm, ClosureForm, DeskForm, MemberForm, OpenDeskForm, SessionRecordForm, ShiftForm,
    WalkInForm, shift_times,
)
from .models import Booking, ClosureDay, Desk, OpeningHours, ShokokaiMember, Shift
from .rules import consultants, day_label, free_days, grid, monday_of, slot_refusal, span_label, week


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _refused(request, refused, form=None):
    for reason in refused.reasons:
        if form is not None:
            form.add_error(None, reason)
        else:
            messages.error(request, reason)


def _week_param(request, default=None):
    """The Monday of ?week=YYYY-MM-DD (any day of that week), else of `default` (today)."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = default or timezone.localdate()
    return monday_of(day)


def _start_param(value):
    """An aware datetime from ?start=2026-11-25T10:30 (local time)."""
    try:
        moment = datetime.datetime.fromisoformat(value or "")
    except ValueError:
        raise Http404 from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# ---- desks -------------------------------------------------------------------------------------

def index(request):
    desks = (
        Desk.objects.filter(is_active=True).select_related("organisation", "organisation__prefecture")
        .prefetch_related(Prefetch("hours", queryset=OpeningHours.objects.select_related("theme")))
        .order_by("organisation__prefecture_id", "pk")
    )
    user = request.user
    mine = list(access.managed_desks(user).select_related("organisation")) if user.is_authenticated else []
    return render(request, "desk/index.html", {
        "desks": desks,
        "mine": [(d, access.can_administer(user, d), access.is_consultant(user, d), access.is_staff(user, d)) for d in mine],
        "can_open": user.is_authenticated and access.organisations_to_open(user).exists(),
        "is_adviser": bool(access.shokokai_ids(user)),
    })


def desk_detail(request, pk):
    desk = access.get_desk(pk)
    today = timezone.localdate()
    return render(request, "desk/detail.html", {
        "desk": desk, "hours": desk.hours.select_related("theme"),
        "closures": desk.closures.filter(date__gte=today)[:20],
    })


@login_required
def desk_open(request):
    organisations = access.organisations_to_open(request.user)
    if not organisations.exists():
        raise Http404
    form = OpenDeskForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            desk = actions.open_desk(request.user, form.cleaned_data["organisation"], form.cleaned_data,
                                     form.hours(), request=request)
        except actions.Refused as refused:
            _refused(request, refused, form)
        else:
            messages.success(request, _("窓口を開設しました。相談員にシフトの登録を依頼してください。"))
            return redirect("desk:settings", pk=desk.pk)
    return render(request, "desk/settings.html", {"form": form, "opening": True})


@login_required
def desk_settings(request, pk):
    desk = access.get_desk_for_admin(request.user, pk)
    form = DeskForm(request.POST or None, initial=DeskForm.initial_for(desk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_desk(request.user, desk.pk, form.cleaned_data, form.hours(), request=request)
        except actions.Refused as refused:
            _refused(request, refused, form)
        else:
            messages.success(request, _("窓口の設定を保存しました。"))
            return redirect("desk:settings", pk=desk.pk)
    return render(request, "desk/settings.html", {
        "form": form, "desk": desk, "closure_form": ClosureForm(),
        "closures": desk.closures.filter(date__gte=timezone.localdate()),
        "consultants": consultants(desk),
    })


@login_required
@require_POST
def closure_add(request, pk):
    desk = access.get_desk_for_admin(request.user, pk)
    form = ClosureForm(request.POST)
    if form.is_valid():
        try:
            actions.add_closure(request.user, desk.pk, form.cleaned_data["date"], form.cleaned_data["reason"],
                                request=request)
            messages.success(request, _("%(day)sを休業日にしました。") % {"day": day_label(form.cleaned_data["date"])})
        except actions.Refused as refused:
            _refused(request, refused)
    else:
        messages.error(request, _("休業日の日付を入力してください。"))
    return redirect("desk:settings", pk=desk.pk)


@login_required
@require_POST
def closure_delete(request, pk):
    closure = ClosureDay.objects.filter(pk=pk).select_related("desk").first()
    if closure is None or not access.can_administer(request.user, closure.desk):
        raise Http404
    actions.remove_closure(request.user, closure.pk, request=request)
    messages.success(request, _("%(day)sの休業を取り消しました。") % {"day": day_label(closure.date)})
    return redirect("desk:settings", pk=closure.desk_id)


# ---- roster and shifts ---------------------------------------------------------------------------

@login_required
def roster(request, pk):
    desk = access.get_desk_for_roster(request.user, pk)
    monday = _week_param(request)
    days = [d for d in week(desk, monday) if d.scheduled]
    hours = list(desk.hours.all())
    is_consultant = access.is_consultant(request.user, desk)
    my_shifts = []
    if is_consultant:
        my_shifts = list(Shift.objects.filter(desk=desk, consultant=request.user, ends_at__gt=timezone.now())[:50])
    return render(request, "desk/roster.html", {
        "desk": desk, "days": days, "rows": grid(days), "monday": monday,
        "previous": monday - datetime.timedelta(days=7), "next": monday + datetime.timedelta(days=7),
        "gaps": sum(1 for d in days for s in d.slots if s.shortfall),
        "is_consultant": is_consultant, "can_administer": access.can_administer(request.user, desk),
        "form": ShiftForm(initial={"day": max(monday, timezone.localdate())},
                          times=shift_times(hours, desk.slot_minutes)) if is_consultant else None,
        "my_shifts": my_shifts,
    })


@login_required
@require_POST
def shift_add(request, pk):
    desk = access.get_desk_for_roster(request.user, pk)
    form = ShiftForm(request.POST, times=shift_times(desk.hours.all(), desk.slot_minutes))
    week_of = request.POST.get("day", "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{_roster_url(desk)}?week={week_of}")
    data = form.cleaned_data
    try:
        shifts, skipped = actions.sign_up(request.user, desk.pk, data["day"], data["start"], data["end"],
                                          data["weeks"], request=request)
    except actions.Refused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("シフトを%(n)s件登録しました。") % {"n": len(shifts)})
        for day, reason in skipped:
            messages.info(request, _("%(day)sは%(reason)sのため登録しませんでした。") % {"day": day_label(day), "reason": reason})
    return redirect(f"{_roster_url(desk)}?week={data['day'].isoformat()}")


def _roster_url(desk):
    from django.urls import reverse

    return reverse("desk:roster", args=[desk.pk])


@login_required
@require_POST
def shift_withdraw(request, pk):
    shift = Shift.objects.filter(pk=pk).select_related("desk").first()
    if shift is None or not (shift.consultant_id == request.user.pk or access.can_administer(request.user, shift.desk)):
        raise Http404
    try:
        actions.withdraw_shift(request.user, shift.pk, request=request)
        messages.success(request, _("シフト（%(span)s）を取り消しました。") % {"span": span_label(shift.starts_at, shift.ends_at)})
    except actions.Refused as refused:
        _refused(request, refused)
    local = timezone.localtime(shift.starts_at).date()
    return redirect(f"{_roster_url(shift.desk)}?week={local.isoformat()}")


# ---- booking -------------------------------------------------------------------------------------

def _consultant_filter(request, desk):
    """The consultant the SME asked for (only where the desk takes requests)."""
    if not desk.allow_fixed_consultant or not request.GET.get("consultant"):
        return None
    consultant = consultants(desk).filter(pk=_int(request.GET["consultant"])).first()
    if consultant is None:
        raise Http404
    return consultant


@login_required
def slots(request, pk):
    desk = access.get_desk(pk)
    monday = _week_param(request)
    consultant = _consultant_filter(request, desk)
    days = free_days(desk, monday, consultant_id=consultant.pk if consultant else None)
    last = timezone.localdate() + datetime.timedelta(weeks=desk.booking_weeks)
    return render(request, "desk/slots.html", {
        "desk": desk, "days": days, "monday": monday, "consultant": consultant,
        "consultants": consultants(desk) if desk.allow_fixed_consultant else None,
        "previous": monday - datetime.timedelta(days=7) if monday > timezone.localdate() else None,
        "next": monday + datetime.timedelta(days=7) if monday + datetime.timedelta(days=7) <= last else None,
        "nav_extra": _query_extra(consultant=consultant.pk if consultant else None,
                                  company=_int(request.GET["company"]) if request.GET.get("company") else None),
    })


def _query_extra(**params):
    from urllib.parse import urlencode

    kept = {k: v for k, v in params.items() if v}
    return "&" + urlencode(kept) if kept else ""


def _booking_form(request, desk, user, initial=None):
    companies = access.bookable_companies(user).order_by("name_kana", "pk")
    own = Membership.objects.filter(user=user).exists()
    return BookingForm(
        request.POST or None, initial=initial, desk=desk, companies=companies,
        shokokai=access.shokokai_choices(desk) if own and not access.shokokai_ids(user) else None,
        consultants=consultants(desk) if desk.allow_fixed_consultant else None,
    )


@login_required
def book(request, pk):
    desk = access.get_desk(pk)
    starts_at = _start_param(request.GET.get("start"))
    if not access.bookable_companies(request.user).exists():
        return render(request, "desk/no_company.html", {"desk": desk}, status=403)
    day = timezone.localtime(starts_at).date()
    theme = desk.hours.filter(weekday=day.weekday()).values_list("theme_id", flat=True).first()
    initial = {"theme": theme, "contact_phone": request.user.phone, "consultant": request.GET.get("consultant"),
               "company": request.GET.get("company") or None, "channel": (desk.channel_choices() or [("", "")])[0][0]}
    form = _booking_form(request, desk, request.user, initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = actions.book(request.user, desk.pk, data["company"].pk, starts_at, data, request=request)
        except actions.Refused as refused:
            _refused(request, refused, form)
        else:
            messages.success(request, _("予約しました。確認のメール（予定表つき）をお送りしました。"))
            return redirect("desk:booking", pk=booking.pk)
    return render(request, "desk/book.html", {
        "desk": desk, "form": form, "starts_at": starts_at, "when": span_label(starts_at, starts_at + desk.slot),
        "refusal": slot_refusal(desk, starts_at) if request.method == "GET" else "",
    })


# ---- bookings ------------------------------------------------------------------------------------

@login_required
def booking_list(request):
    qs = access.bookings_for(request.user).select_related("desk", "desk__organisation", "company", "consultant", "theme", "shokokai")
    now = timezone.now()
    upcoming = list(qs.filter(starts_at__gte=now - datetime.timedelta(hours=3)).exclude(status=Booking.Status.CANCELLED)
                    .order_by("starts_at", "pk")[:100])
    past = list(qs.exclude(pk__in=[b.pk for b in upcoming]).order_by("-starts_at", "-pk")[:100])
    return render(request, "desk/bookings.html", {"upcoming": upcoming, "past": past})


@login_required
def booking_detail(request, pk):
    booking = access.get_booking_for_user(request.user, pk)
    now = timezone.now()
    return render(request, "desk/booking.html", {
        "b": booking, "when": span_label(booking.starts_at, booking.ends_at),
        "can_manage": access.can_manage_booking(request.user, booking) and booking.is_open and booking.starts_at > now,
        "can_record": access.can_record(request.user, booking) and not booking.consultation_id
        and booking.status in (Booking.Status.BOOKED, Booking.Status.DONE) and booking.starts_at <= now,
        "cancel_form": CancelForm(),
        "topics": booking.consultation.topics.all() if booking.consultation_id else [],
        # Staff of the desk's organisation continue from the record (referral, dispatch) in the consultations app.
        "opens_consultation": bool(booking.consultation_id)
        and booking.desk.organisation_id in request.user.organisation_ids(),
    })


@login_required
def booking_ics(request, pk):
    booking = access.get_booking_for_user(request.user, pk)
    if booking.is_walk_in:
        raise Http404
    method = "CANCEL" if booking.status == Booking.Status.CANCELLED else "REQUEST"
    name, content, mimetype = ics.attachment_for(booking, actions.sme_people(booking), method=method)
    response = HttpResponse(content, content_type=f"{mimetype}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = access.get_booking_for_user(request.user, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.cancel_booking(request.user, booking.pk, reason, request=request)
        messages.success(request, _("予約を取り消しました。関係者にお知らせしました。"))
    except actions.Refused as refused:
        _refused(request, refused)
    except PermissionDenied:
        raise Http404 from None
    return redirect("desk:booking", pk=booking.pk)


def _reschedule(request, booking, link_token=None):
    """Choose another free slot (GET) and move the booking there (POST)."""
    desk = booking.desk
    if request.method == "POST":
        try:
            actions.reschedule_booking(request.user, booking.pk, _start_param(request.POST.get("start")),
                                       link_token=link_token, request=request)
        except actions.Refused as refused:
            _refused(request, refused)
        else:
            messages.success(request, _("予約の日時を変更しました。新しい予定表をメールでお送りしました。"))
            return None
    monday = _week_param(request, default=timezone.localtime(booking.starts_at).date())
    requested = booking.consultant_id if booking.consultant_requested else None
    return render(request, "desk/reschedule.html", {
        "b": booking, "desk": desk, "monday": monday, "days": free_days(desk, monday, consultant_id=requested),
        "when": span_label(booking.starts_at, booking.ends_at), "token": link_token,
        "previous": monday - datetime.timedelta(days=7) if monday > timezone.localdate() else None,
        "next": monday + datetime.timedelta(days=7),
    })


@login_required
def booking_reschedule(request, pk):
    booking = access.get_booking_for_user(request.user, pk)
    if not access.can_manage_booking(request.user, booking):
        raise Http404
    response = _reschedule(request, booking)
    return response or redirect("desk:booking", pk=booking.pk)


@login_required
@require_POST
def booking_no_show(request, pk):
    booking = access.get_booking_for_user(request.user, pk)
    if not access.can_record(request.user, booking):
        raise Http404
    try:
        actions.mark_no_show(request.user, booking.pk, request=request)
        messages.success(request, _("相談者が現れなかったことを記録しました。"))
    except actions.Refused as refused:
        _refused(request, refused)
    return redirect("desk:booking", pk=booking.pk)


@login_required
def booking_record(request, pk):
    booking = access.get_booking_for_user(request.user, pk)
    if not access.can_record(request.user, booking):
        raise Http404
    if booking.consultation_id:
        messages.info(request, _("この相談はすでに記録されています。"))
        return redirect("desk:booking", pk=booking.pk)
    initial = {
        "topics": [booking.theme_id] if booking.theme_id else [], "problem": booking.description,
        "attendees_note": booking.caller_name, "refer_to": booking.shokokai_id,
    }
    form = SessionRecordForm(request.POST or None, initial=initial, needs_company=not booking.company_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        company = data.pop("company_ref", None)
        try:
            actions.record_session(request.user, booking.pk, company, data, request=request)
        except actions.Refused as refused:
            _refused(request, refused, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("相談を記録しました。"))
            return redirect("desk:booking", pk=booking.pk)
    return render(request, "desk/record.html", {"b": booking, "form": form,
                                                "when": span_label(booking.starts_at, booking.ends_at)})


# ---- the signed link from the mail ----------------------------------------------------------------

def _booking_from_link(token):
    """The booking of a mailed link and why the link can no longer change it ("" while it can)."""
    booking_id = actions.booking_id_from_token(token)
    booking = Booking.objects.select_related(
        "desk", "desk__organisation", "company", "consultant", "theme").filter(pk=booking_id).first()
    if booking is None or booking.is_walk_in:
        raise Http404
    return booking, actions.link_problem(booking, token)


def manage(request, token):
    booking, problem = _booking_from_link(token)
    if problem:  # an expired or used link shows nothing of the booking, only why
        return render(request, "desk/manage.html", {"problem": problem, "desk": booking.desk})
    return render(request, "desk/manage.html", {
        "b": booking, "token": token, "when": span_label(booking.starts_at, booking.ends_at),
        "can_change": True, "cancel_form": CancelForm(),
    })


@require_POST
def manage_cancel(request, token):
    booking, problem = _booking_from_link(token)
    if problem:
        return redirect("desk:manage", token=token)  # the page says why; nothing changes
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.cancel_booking(request.user, booking.pk, reason, link_token=token, request=request)
        messages.success(request, _("予約を取り消しました。関係者にお知らせしました。"))
    except actions.Refused as refused:
        _refused(request, refused)
    return redirect("desk:manage", token=token)


def manage_reschedule(request, token):
    booking, problem = _booking_from_link(token)
    if problem:
        return redirect("desk:manage", token=token)
    response = _reschedule(request, booking, link_token=token)
    if response is not None:
        return response
    # Rescheduled: this link is now spent, the page continues with the one of the new mail.
    booking.refresh_from_db(fields=["ics_sequence"])
    return redirect("desk:manage", token=actions.token_for(booking))


# ---- walk-ins ------------------------------------------------------------------------------------

@login_required
def walk_in(request, pk):
    desk = access.get_desk_for_roster(request.user, pk)
    if not (access.is_consultant(request.user, desk) or desk.organisation_id in request.user.organisation_ids()):
        raise Http404
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = WalkInForm(request.POST or None, desk=desk, shokokai=access.shokokai_choices(desk), initial={
        "started": now.strftime("%Y-%m-%dT%H:%M"), "channel": (desk.channel_choices() or [("", "")])[0][0]})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["company"] = data.pop("company_ref")
        data["starts_at"] = data.pop("started")
        try:
            booking = actions.log_walk_in(request.user, desk.pk, data, request=request)
        except actions.Refused as refused:
            _refused(request, refused, form)
        else:
            messages.success(request, _("予約なしの相談を記録しました。続けて相談の記録を書けます。"))
            return redirect("desk:booking", pk=booking.pk)
    return render(request, "desk/walk_in.html", {"desk": desk, "form": form})


# ---- 商工会 member companies ----------------------------------------------------------------------

@login_required
def members(request):
    org_ids = access.shokokai_ids(request.user)
    if not org_ids:
        raise Http404
    form = MemberForm(request.POST or None, organisations=Organisation.objects.filter(pk__in=org_ids).order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_member(request.user, form.cleaned_data["organisation"].pk, form.cleaned_data["company_ref"],
                               request=request)
            messages.success(request, _("会員事業者として登録しました。"))
            return redirect("desk:members")
        except actions.Refused as refused:
            _refused(request, refused, form)
    registered = ShokokaiMember.objects.filter(organisation_id__in=org_ids).select_related("company", "organisation")
    registered_ids = {m.company_id for m in registered}
    consulted = access.member_companies(org_ids).exclude(pk__in=registered_ids).order_by("name_kana")
    return render(request, "desk/members.html", {
        "form": form, "registered": registered, "consulted": consulted,
        "desks": Desk.objects.filter(is_active=True).select_related("organisation").order_by("pk"),
    })


@login_required
@require_POST
def member_remove(request, pk):
    member = ShokokaiMember.objects.filter(pk=pk, organisation_id__in=access.shokokai_ids(request.user)).first()
    if member is None:
        raise Http404
    actions.remove_member(request.user, member.pk, request=request)
    messages.success(request, _("会員事業者の登録を外しました。"))
    return redirect("desk:members")
