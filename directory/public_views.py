"""Public expert search and expert page; the coordinators' recommendation page (SPEC §4.2, §5.3)."""

import time

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from reference.models import Industry, Prefecture, Qualification, Specialty

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


REFERENCE_TTL = 60  # seconds; the secretariat's edits to specialties show within a minute
_reference = {"at": None, "options": None}


def reference_options():
    """{field: {value: object}} for the search filters, kept in memory briefly: every search renders
    ~100 options and validates up to four of them, which would otherwise cost queries and model
    instances on each request."""
    now = time.monotonic()
    if _reference["at"] is None or now - _reference["at"] > REFERENCE_TTL:
        _reference["options"] = {
            "specialty": {str(s.pk): s for s in Specialty.objects.filter(is_active=True)},
            "industry": {str(i.pk): i for i in Industry.objects.filter(parent=None)},
            "prefecture": {p.pk: p for p in Prefecture.objects.all()},
            "qualification": {str(q.pk): q for q in Qualification.objects.filter(is_active=True)},
        }
        _reference["at"] = now
    return _reference["options"]


FILTER_LABELS = {
    "specialty": _("専門分野"), "industry": _("得意業種"), "prefecture": _("対応地域"), "qualification": _("保有資格"),
}


class ExpertSearchForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"), required=False, max_length=QUERY_MAX,
        help_text=_("例：ホームページ制作、資金繰り、飲食店の集客"),
        error_messages={"max_length": _("キーワードは%(limit_value)d文字以内で入力してください。")},
    )
    specialty = forms.ChoiceField(label=FILTER_LABELS["specialty"], required=False, error_messages=CHOICE_ERROR)
    industry = forms.ChoiceField(label=FILTER_LABELS["industry"], required=False, error_messages=CHOICE_ERROR)
    prefecture = forms.ChoiceField(label=FILTER_LABELS["prefecture"], required=False, error_messages=CHOICE_ERROR)
    qualification = forms.ChoiceField(label=FILTER_LABELS["qualification"], required=False, error_messages=CHOICE_ERROR)
    name = forms.CharField(
        label=_("氏名（漢字・ふりがな）"), required=False, max_length=60,
        error_messages={"max_length": _("氏名は%(limit_value)d文字以内で入力してください。")},
    )
    sort = forms.ChoiceField(label=_("並び順"), choices=SORTS, required=False, error_messages=CHOICE_ERROR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = reference_options()
        for name, objects in self.options.items():
            self.fields[name].choices = [("", "")] + [(value, value) for value in objects]

    def clean(self):
        data = super().clean()
        for name, objects in self.options.items():
            data[name] = objects.get(data.get(name) or "")
        return data


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
    paginator = Paginator(result.experts, PAGE_SIZE)
    if result.count is not None:
        paginator.count = result.count  # counted already while choosing all-words or any-word matching
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    experts = search.attach_card_details(page.object_list)
    context = {"form": form, "page": page, "experts": experts, "result": result, "query": query.urlencode()}
    if request.htmx:
        return render(request, "directory/search_results.html", context)
    context["selects"] = _select_options(form)
    return render(request, "directory/search.html", context)


def _select_options(form):
    """(name, label, options HTML, errors) for each select of the search form. The ~150 <option>s are
    built here rather than by a template loop, which cost several milliseconds per search."""
    selects = []
    for name in ["specialty", "industry", "prefecture", "qualification", "sort"]:
        if name == "sort":
            options = [(value, str(label)) for value, label in SORTS]
        else:
            options = [(value, obj.name) for value, obj in form.options[name].items()]
        selected = form.data.get(name) or ""
        html = "".join(
            f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(text)}</option>'
            for value, text in options
        )
        selects.append((name, form.fields[name].label, mark_safe(html), form.errors.get(name)))
    return selects


def expert_detail(request, pk):
    """Public page of an approved expert; no contact data (the request goes through an organisation)."""
    try:
        expert = (
            search.public_experts()
            .select_related("base_prefecture", "stats")
            .prefetch_related("specialties", "industries", "areas", "qualifications__qualification")
            .get(pk=pk)
        )
    except ExpertProfile.DoesNotExist:
        raise Http404 from None
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
