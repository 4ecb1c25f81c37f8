"""`{% quick_form %}` writes the same form as includes/form.html, only faster."""

import pytest
from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.html import parse_html

from directory.org_views import OrganisationSearchForm
from dispatch.forms import ListFilterForm

pytestmark = pytest.mark.django_db


class Everything(forms.Form):
    name = forms.CharField(label="氏名", max_length=20, help_text="例：山田太郎")
    count = forms.IntegerField(label="回数", required=False, min_value=0)
    mail = forms.EmailField(label="メール", required=False)
    kind = forms.ChoiceField(label="種別", choices=[("", "すべて"), ("a", "<A&B>"), ("b", "B")], required=False)
    grouped = forms.ChoiceField(label="分類", choices=[("東日本", [("1", "北海道")]), ("西日本", [("2", "沖縄県")])], required=False)
    agree = forms.BooleanField(label="同意する", required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("全体のエラー")


def _both(form):
    quick = Template("{% load quickforms %}{% quick_form form %}").render(Context({"form": form}))
    django = render_to_string("includes/form.html", {"form": form})
    return parse_html(quick), parse_html(django)


@pytest.mark.parametrize("make", [
    lambda: OrganisationSearchForm(),
    lambda: OrganisationSearchForm({"prefecture": "13", "municipality": "<千代田>", "kind": "nonsense"}),
    lambda: ListFilterForm({"state": "applied", "fiscal_year": "1999"}),
    lambda: Everything(),
    lambda: Everything({"name": "", "count": "-1", "mail": "x", "kind": "a", "grouped": "2", "agree": "on", "secret": "s"}),
], ids=["org unbound", "org with errors", "dispatch filters", "every widget", "every widget with errors"])
def test_the_quick_form_is_the_same_html_as_the_include(make):
    form = make()  # built inside the test: the prefecture options come from the database
    if form.is_bound:
        form.is_valid()
    quick, django = _both(form)
    assert quick == django
