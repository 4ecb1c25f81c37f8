"""The SME's entitlement wallet: free dispatches used and left this fiscal year, across all organisations."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from programme.services import programme_for_year

from .models import DispatchCase


@dataclass
class Wallet:
    fiscal_year: int
    quota: int
    it_quota: int
    used: int
    used_it: int
    deadline: object
    it_specialty_names: list

    @property
    def used_general(self):
        return self.used - self.used_it

    @property
    def left_general(self):
        return max(0, min(self.quota - self.used_general, self.it_quota - self.used))

    @property
    def left_it(self):
        return max(0, self.it_quota - self.used)

    def refusal(self, is_it):
        """The reason (in the active language) when one more dispatch (IT or not) would exceed the quota, else ''."""
        counts = {"year": self.fiscal_year, "quota": self.quota, "it_quota": self.it_quota,
                  "used": self.used, "used_it": self.used_it}
        if is_it and self.left_it <= 0:
            return _(
                "この事業者は%(year)s年度の派遣回数の上限（IT分野を含め%(it_quota)s回）に達しています"
                "（利用済み%(used)s回）。"
            ) % counts
        if not is_it and self.left_general <= 0:
            return _(
                "この事業者は%(year)s年度の派遣回数の上限（%(quota)s回、IT分野のみ%(it_quota)s回まで）に"
                "達しています（利用済み%(used)s回、うちIT分野%(used_it)s回）。"
            ) % counts
        return ""


def wallet_for(company_id, fiscal_year, exclude_case_id=None, programme=None):
    programme = programme or programme_for_year(fiscal_year)
    it_ids = programme.it_specialty_ids()
    qs = DispatchCase.objects.counted().filter(company_id=company_id, fiscal_year=fiscal_year)
    if exclude_case_id:
        qs = qs.exclude(pk=exclude_case_id)
    counts = qs.aggregate(used=Count("pk"), used_it=Count("pk", filter=Q(topic_id__in=it_ids)))
    return Wallet(
        fiscal_year=fiscal_year, quota=programme.dispatch_quota, it_quota=programme.it_dispatch_quota,
        used=counts["used"], used_it=counts["used_it"], deadline=programme.application_deadline,
        it_specialty_names=[s.name for s in programme.it_specialties.all()],
    )
