"""Public search of support organisations with their measured responsiveness (SPEC §4.2).

Figures come from the denormalised intake.OrganisationStats row (one join), never aggregated per row.
"""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import cache
from reference.models import Prefecture

from .models import Organisation

CHANNELS = [("in_person", _("対面")), ("phone", _("電話")), ("web", _("Web会議"))]
PAGE_SIZE = 30


def prefecture_choices():
    """The prefecture options, from memory until reference data changes (a query per search before)."""
    options = cache.remembered("org_search_prefectures", lambda: list(Prefecture.objects.values_list("code", "name")))
    return [("", _("すべて"))] + options


class OrganisationSearchForm(forms.Form):
    prefecture = forms.ChoiceField(label=_("都道府県"), choices=(), required=False)
    municipality = forms.CharField(label=_("市区町村"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("種別"), choices=[("", _("すべて"))] + Organisation.Kind.choices, required=False)
    channel = forms.ChoiceField(label=_("相談方法"), choices=[("", _("すべて"))] + CHANNELS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = prefecture_choices()  # once per form (a callable is read per use)


def search_organisations(data):
    qs = Organisation.objects.filter(is_active=True).select_related("prefecture", "stats")
    if data.get("prefecture"):
        qs = qs.filter(prefecture=data["prefecture"])
    if data.get("municipality"):
        qs = qs.filter(municipality__icontains=data["municipality"].strip())
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("channel"):
        qs = qs.filter(**{f"channel_{data['channel']}": True})
    return qs.order_by("prefecture_id", "kind", "name")


def counted_page(queryset, number, per_page):
    """Paginator.get_page in one query: the rows of the page carry the total (a window count). Only a page
    past the end, or an empty result, needs the separate count."""
    paginator = Paginator(queryset, per_page)
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset.annotate(total_count=Window(Count("pk")))[start:start + per_page])
    if rows:
        paginator.count = rows[0].total_count
        return Page(rows, number, paginator)
    return paginator.get_page(number)


@dataclass
class OrgCard:
    """A result card's texts, formatted once per page (escaped by the template). The measured figures
    read as on the organisation's page (directory/org_stats.html): tests/directory/test_org_search.py
    compares the two."""

    url: str
    name: str
    summary: str
    has_data: bool
    median: str = ""
    share: str = ""
    dispatches: str = ""
    window: str = ""
    no_data: str = ""


PLACEHOLDER_ID = 987654321


def org_cards(organisations):
    """The cards of a result page: an include with a dozen tags per card was two thirds of the page."""
    url = reverse("directory:org_detail", args=[PLACEHOLDER_ID]).replace(str(PLACEHOLDER_ID), "{}")
    way, count, no_answer, at = gettext("相談方法"), gettext("件"), gettext("回答実績なし"), gettext("時点")
    cards = []
    for org in organisations:
        stats = getattr(org, "stats", None)
        card = OrgCard(
            url=url.format(org.pk), name=org.name,
            summary=f"{org.get_kind_display()}・{org.prefecture}{org.municipality}・{way}：{'／'.join(str(c) for c in org.channels())}",
            has_data=bool(stats and stats.has_data),
        )
        if card.has_data:
            card.median = stats.median_display() if stats.median_response_seconds is not None else no_answer
            card.share = f"{stats.share_percent}%（{stats.answered_in_time}/{stats.requests_measured}{count}）"
            card.dispatches = f"{stats.dispatches_applied}{count}"
            card.window = gettext("直近%(days)s日間の相談依頼から集計") % {"days": stats.window_days}
            if stats.computed_at:
                card.window += f"（{date_format(localtime(stats.computed_at), 'MONTH_DAY_TIME_FORMAT')}{at}）"
        else:
            card.no_data = gettext("実績データなし")
            if stats and stats.dispatches_applied:
                card.no_data += "（" + gettext("今年度の専門家派遣申請 %(n)s件") % {"n": stats.dispatches_applied} + "）"
        cards.append(card)
    return cards


def org_list(request):
    form = OrganisationSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = counted_page(search_organisations(data), request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "page": page, "organisations": page.object_list, "cards": org_cards(page.object_list),
        "query": query.urlencode(),
        "labels": {"median": gettext("最初の回答までの時間（中央値）"), "share": gettext("2営業日以内に回答した割合"),
                   "dispatches": gettext("今年度の専門家派遣申請")},
    }
    return render(request, "directory/org_list.html", context)


def org_detail(request, pk):
    org = get_object_or_404(Organisation.objects.select_related("prefecture", "prefecture__bureau", "stats"), pk=pk, is_active=True)
    return render(request, "directory/org_detail.html", {"org": org})
