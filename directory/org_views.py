"""Public search of support organisations with their measured responsiveness (SPEC §4.2).

Figures come from the denormalised intake.OrganisationStats row (one join), never aggregated per row.
"""

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404, render
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


def org_list(request):
    form = OrganisationSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = counted_page(search_organisations(data), request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "organisations": page.object_list, "query": query.urlencode()}
    return render(request, "directory/org_list.html", context)


def org_detail(request, pk):
    org = get_object_or_404(Organisation.objects.select_related("prefecture", "prefecture__bureau", "stats"), pk=pk, is_active=True)
    return render(request, "directory/org_detail.html", {"org": org})
