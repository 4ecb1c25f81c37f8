from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.dates import fiscal_year

from . import actions
from .forms import ProgrammeYearForm
from .models import ProgrammeYear
from .services import programme_for_year


def _require_editor(user):
    if not actions.can_edit(user):
        raise Http404


@login_required
def year_list(request):
    _require_editor(request.user)
    current = programme_for_year(fiscal_year())
    years = ProgrammeYear.objects.prefetch_related("it_specialties")
    return render(request, "programme/year_list.html", {"years": years, "current": current})


@login_required
def year_edit(request, fy):
    _require_editor(request.user)
    if not 2000 <= fy <= 2100:
        raise Http404
    year = programme_for_year(fy)
    initial = {name: getattr(year, name) for name in actions.FIELDS}
    initial["it_specialties"] = list(year.it_specialties.values_list("pk", flat=True))
    form = ProgrammeYearForm(request.POST or None, initial=initial, fiscal_year=fy)
    if request.method == "POST" and form.is_valid():
        actions.update_programme_year(request.user, year.pk, form.cleaned_data, request=request)
        messages.success(request, _("%(year)s の設定を保存しました。") % {"year": year})
        return redirect("programme:year_list")
    return render(request, "programme/year_form.html", {"form": form, "year": year})
