"""Cases after the visit, reports and certification links, built through the real actions."""

import datetime
import re
from decimal import Decimal

from django.utils import timezone

from dispatch.models import DispatchCase, State
from notifications.models import Outbox
from reports import actions

REPORT = {
    "activities": "ホームページの現状を一緒に確認し、問い合わせフォームまでの導線とスマートフォン表示を点検した。",
    "advice": "施工事例のページを毎月2件追加し、地域名を入れた見出しにすること。問い合わせフォームの項目を7つから4つに減らすこと。",
    "hours": Decimal("2"),
    "travel_route": "JR中央線 立川→東京 往復",
    "travel_claimed": 1320,
}


def visit_over(case, days_ago=1):
    """Time passes: the planned visit (10:00–12:00) was `days_ago` days ago (no action moves the clock)."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    DispatchCase.objects.filter(pk=case.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    case.refresh_from_db()
    return case


def visited(world, **kwargs):
    """A scheduled case whose visit is over (no check-out recorded)."""
    return visit_over(world.case_in(State.SCHEDULED, **kwargs))


def end_report(case, minutes_late=0):
    """The SME's end-of-visit report by mail (the visits app closes the visit: SCHEDULED → DONE)."""
    from visits.actions import record_time_report

    at = case.ends_at + datetime.timedelta(minutes=minutes_late)
    return record_time_report(case.pk, "end", at, source="mail", received_at=at)


def reported(world, **kwargs):
    case = visited(world, **kwargs)
    actions.submit_report(world.expert.user, case.pk, dict(REPORT))
    case.refresh_from_db()
    return case


def certify_data(case, **changes):
    start, end = timezone.localtime(case.starts_at), timezone.localtime(case.ends_at)
    data = {
        "support_date": start.date().isoformat(), "start_time": start.strftime("%H:%M"), "end_time": end.strftime("%H:%M"),
        "content_confirmed": "on", "satisfaction": "5", "usefulness": "4", "punctuality": "5",
        "would_recommend": "yes", "comment": "説明が具体的で、すぐに試せることばかりでした。",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def certification(case):
    start, end = timezone.localtime(case.starts_at), timezone.localtime(case.ends_at)
    return {"support_date": start.date(), "start_time": start.time().replace(second=0, microsecond=0),
            "end_time": end.time().replace(second=0, microsecond=0), "content_confirmed": True}


def evaluation(satisfaction=5):
    return {"satisfaction": satisfaction, "usefulness": 4, "punctuality": 5, "would_recommend": True,
            "comment": "説明が具体的でした。"}


LINK = re.compile(r"https?://[^/\s]+(/reports/certify/(\d+)/([\w-]+)/)")


def mailed_link(email):
    """(path, token) of the newest certification link mailed to `email`."""
    for mail in Outbox.objects.filter(template="report_submitted").order_by("-created_at", "-pk"):
        if email in mail.to:
            match = LINK.search(mail.body_text)
            return match.group(1), match.group(3)
    raise AssertionError(f"no certification link mailed to {email}")
