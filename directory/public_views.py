"""Public expert search and expert page; the coordinators' recommendation page (SPEC §4.2, §5.3)."""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.forms.utils import flatatt
from django.http import Http404
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from reference.models import Industry, Prefecture

from . import search
from .models import ExpertProfile
from .recommend import recommend_experts

PAGE_SIZE = 20
QUERY_MAX = 200
SORTS = [
    (search.SORT_RELEVANCE, _("関連度順")),
    (search.SORT_RATING, _("評価の高い順")),
    (search.SORT_ACTIVITY, _("最近の活動順")),
]
CHOICE_ERROR = {"invalid_choice": _("選択肢の中から選んでください。")}


def reference_options(refresh=False):
    """{field: {value: object}} for the search filters (active entries, from the in-memory reference
    data): every search renders ~150 options and validates up to four of them."""
    data = search.reference_data(refresh)
    if data is not _options["data"]:
        _options["options"] = {
            "specialty": {str(pk): s for pk, s in data.specialties.items() if s.is_active},
            "industry": {str(pk): i for pk, i in data.industries.items() if i.parent_id is None},
            "prefecture": dict(data.prefectures),
            "qualification": {str(pk): q for pk, q in data.qualifications.items() if q.is_active},
        }
        _options["data"] = data
    return _options["options"]


_options = {"data": None, "options": None}


FILTER_LABELS = {
    "specialty": _("専門分野"), "industry": _("得意業種"), "prefecture": _("対応地域"), "qualification": _("保有資格"),
}


class OptionField(forms.Field):
    """One of the reference options of the search form (value: the option's id), cleaned to the object.
    Checked against the in-memory reference data: a ChoiceField copies its ~50 choices for every form."""

    default_error_messages = CHOICE_ERROR

    def __init__(self, option, **kwargs):
        super().__init__(required=False, **kwargs)
        self.option = option

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = reference_options()[self.option].get(str(value))
        if found is None:  # unknown, or added since the in-memory copy was taken
            found = reference_options(refresh=True)[self.option].get(str(value))
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class ExpertSearchForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"), required=False, max_length=QUERY_MAX,
        help_text=_("例：ホームページ制作、資金繰り、飲食店の集客"),
        error_messages={"max_length": _("キーワードは%(limit_value)d文字以内で入力してください。")},
    )
    specialty = OptionField("specialty", label=FILTER_LABELS["specialty"])
    industry = OptionField("industry", label=FILTER_LABELS["industry"])
    prefecture = OptionField("prefecture", label=FILTER_LABELS["prefecture"])
    qualification = OptionField("qualification", label=FILTER_LABELS["qualification"])
    name = forms.CharField(
        label=_("氏名（漢字・ふりがな）"), required=False, max_length=60,
        error_messages={"max_length": _("氏名は%(limit_value)d文字以内で入力してください。")},
    )
    sort = forms.ChoiceField(label=_("並び順"), choices=SORTS, required=False, error_messages=CHOICE_ERROR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = reference_options()


def _valid_part(form):
    """Search with the fields that are valid; the invalid ones show their message and are ignored."""
    form.is_valid()
    data = dict(form.cleaned_data)
    return {
        "q": data.get("q") or "",
        "sort": data.get("sort") or search.SORT_RELEVANCE,
        "specialty": data.get("specialty"),
        "industry": data.get("industry"),
        "prefecture": data.get("prefecture"),
        "qualification": data.get("qualification"),
        "name": data.get("name") or "",
    }


def expert_search(request):
    form = ExpertSearchForm(request.GET)
    result = search.search_experts(**_valid_part(form))
    page = result.experts.page(request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    experts = search.attach_card_details(page.object_list)
    context = {
        "form": form, "page": page, "experts": experts, "cards": _cards(experts), "result": result,
        "query": query.urlencode(),
    }
    if request.htmx:
        return render(request, "directory/search_results.html", context)
    context["selects"] = _select_options(form)
    return render(request, "directory/search.html", context)


@dataclass
class Card:
    """A result card's texts (escaped by the template)."""

    url: str
    name: str
    kana: str
    headline: str
    specialties: str
    areas: str
    qualifications: str
    facts: str


def _cards(experts):
    """The result cards, formatted once per page: a url tag, loops and filters per card in the template
    were a third of the search's time."""
    # One reverse for the page (each costs ~70 µs): the detail URL with a placeholder for the id.
    url = reverse("directory:expert_detail", args=[PLACEHOLDER_ID]).replace(str(PLACEHOLDER_ID), "{}")
    verified, count, none = gettext("確認済み"), gettext("件"), gettext("なし")
    dispatches, rating = gettext("派遣実績"), gettext("評価")
    cards = []
    for e in experts:
        stats = getattr(e, "stats", None)
        if stats is not None and stats.rating_count:
            rated = f"{floatformat(stats.rating_average, 1)}（{stats.rating_count}{count}）"
        else:
            rated = none
        qualifications = "、".join(f"{name}（{verified}）" if ok else name for name, ok in e.card_qualifications)
        cards.append(Card(
            url=url.format(e.pk), name=e.display_name, kana=e.display_name_kana, headline=e.headline,
            specialties="、".join(e.card_specialties), areas="、".join(e.card_areas),
            qualifications=qualifications or "—",
            facts=f"{dispatches} {stats.dispatches_completed if stats else 0}{count}・{rating} {rated}",
        ))
    return cards


PLACEHOLDER_ID = 987654321


def _option_tags(name, options):
    """[(value, '<option value="…"', '>name</option>')] for a reference select, escaped once per copy of
    the reference data (the names are not translated)."""
    cached = _options.setdefault("tags", {})
    if cached.get(name, (None,))[0] is not options:
        cached[name] = (options, [(value, f'<option value="{escape(value)}"', f">{escape(obj.name)}</option>")
                                  for value, obj in options.items()])
    return cached[name][1]


def _select_options(form):
    """(name, label, options HTML, errors) for each select of the search form. The ~150 <option>s are
    built here rather than by a template loop, which cost several milliseconds per search."""
    selects = []
    for name in ["specialty", "industry", "prefecture", "qualification", "sort"]:
        if name == "sort":
            tags = [(value, f'<option value="{value}"', f">{escape(label)}</option>") for value, label in SORTS]
        else:
            tags = _option_tags(name, form.options[name])
        selected = form.data.get(name) or ""
        html = "".join(f"{start} selected{end}" if value == selected else start + end for value, start, end in tags)
        selects.append((name, form.fields[name].label, mark_safe(html), form.errors.get(name)))  # escaped above
    return selects


def expert_detail(request, pk):
    """Public page of an approved expert; no contact data (the request goes through an organisation)."""
    try:
        expert = search.public_experts().select_related("base_prefecture", "stats").get(pk=pk)
    except ExpertProfile.DoesNotExist:
        raise Http404 from None
    # The four lists in one plain query, named from reference data: four prefetches cost a third of the page.
    search.attach_card_details([expert], industries=True)
    return render(request, "directory/expert_detail.html", {"expert": expert, "stats": getattr(expert, "stats", None)})


class QuickSelect(forms.Select):
    """The same <select> as Django's, written in Python: its template include per option cost ~20 ms
    for the ~200 prefectures and industries of the recommendation form."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html('<option value="{}"{}>{}</option>', str(o["value"]), flatatt(o["attrs"]), o["label"])
                for o in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every part built by format_html above


class RecommendForm(forms.Form):
    text = forms.CharField(
        label=_("相談内容（課題）"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
        error_messages={
            "required": _("相談内容を入力してください。"),
            "max_length": _("相談内容は%(limit_value)d文字以内で入力してください。"),
        },
    )
    prefecture = forms.ModelChoiceField(
        label=_("事業者の都道府県"), queryset=Prefecture.objects.all(), required=False,
        empty_label=_("指定しない"), error_messages=CHOICE_ERROR, widget=QuickSelect,
    )
    industry = forms.ModelChoiceField(
        # parent joined: each middle division's label names its major division (one query, not ~100).
        label=_("事業者の業種"), queryset=Industry.objects.select_related("parent"), required=False,
        empty_label=_("指定しない"), error_messages=CHOICE_ERROR, widget=QuickSelect,
    )


@login_required
def recommend(request):
    """Coordinators try the recommendation (the dispatch flow calls recommend_experts directly)."""
    if not request.user.has_role(Role.COORDINATOR, Role.CHIEF, Role.SECRETARIAT):
        raise Http404
    form = RecommendForm(request.GET or None)
    results = None
    if form.is_valid():
        data = form.cleaned_data
        results = recommend_experts(data["text"], data["prefecture"], data["industry"])
    return render(request, "directory/recommend.html", {"form": form, "results": results})
