"""Fiscal-year helpers: the year's evaluation settings (created with defaults), months of a year."""

import datetime

from django.db import IntegrityError, transaction

from core.dates import fiscal_year_range

from .models import ChecklistItem, GovernanceYear

# The checklist HQ scores at the year-end hearing when a year is created without a previous one
# (seed 002: 相談対応、連携促進等に関連する項目のチェックリスト).
DEFAULT_CHECKLIST = [
    ("consultation", "相談者の課題を聞き取り、解決までの道筋を示しているか"),
    ("consultation", "相談記録（課題・対応・次の対応）が漏れなく残されているか"),
    ("consultation", "継続相談の事業者に期限を決めてフォローしているか"),
    ("consultation", "専門家派遣の判断と専門家の選定に根拠があるか"),
    ("cooperation", "商工会・商工会議所・金融機関等への紹介が、結果まで確認されているか"),
    ("cooperation", "地域の支援機関と定期的に連携会議・情報交換を行っているか"),
    ("cooperation", "商店街・観光協会など新たな連携先を開拓しているか"),
    ("management", "チーフコーディネーターが相談員の対応を確認し、指導しているか"),
    ("management", "研修・OJTで相談員の能力向上に取り組んでいるか"),
    ("own", "地域の実状に応じた独自の取組があり、成果が出ているか"),
]


def governance_year_for(fy):
    """The settings of fiscal year `fy`; created from last year's (or the defaults) the first time."""
    year = GovernanceYear.objects.filter(fiscal_year=fy).first()
    if year is not None:
        return year
    previous = GovernanceYear.objects.filter(fiscal_year__lt=fy).order_by("-fiscal_year").first()
    try:
        with transaction.atomic():
            if previous is None:
                year = GovernanceYear.objects.create(fiscal_year=fy)
            else:
                year = GovernanceYear.objects.get(pk=previous.pk)
                year.pk, year.fiscal_year, year.updated_by = None, fy, None
                year.save(force_insert=True)
            _copy_checklist(fy, previous.fiscal_year if previous else None)
    except IntegrityError:  # created meanwhile by a concurrent request
        year = GovernanceYear.objects.get(fiscal_year=fy)
    return year


def _copy_checklist(fy, previous_fy):
    if ChecklistItem.objects.filter(fiscal_year=fy).exists():
        return
    items = list(ChecklistItem.objects.filter(fiscal_year=previous_fy)) if previous_fy else []
    if items:
        rows = [ChecklistItem(fiscal_year=fy, category=i.category, text=i.text, max_score=i.max_score,
                              sort_order=i.sort_order) for i in items]
    else:
        rows = [ChecklistItem(fiscal_year=fy, category=c, text=t, sort_order=n) for n, (c, t) in enumerate(DEFAULT_CHECKLIST)]
    ChecklistItem.objects.bulk_create(rows)


def months_of(fy):
    """The first day of each month of fiscal year `fy`, April to March."""
    return [datetime.date(fy + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def month_label(month):
    from django.utils.translation import gettext as _

    return _("%(month)s月") % {"month": month.month}


def elapsed_months(fy, today):
    """How many months of the year have started by `today` (0 before April, 12 after March)."""
    first, last = fiscal_year_range(fy)
    if today < first:
        return 0
    if today > last:
        return 12
    return (today.year - first.year) * 12 + today.month - first.month + 1


def add_months(day, months):
    """The same day `months` later (the last day of the month when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)
