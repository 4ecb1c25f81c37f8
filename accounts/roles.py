from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SME = "sme", _("中小企業者")
    EXPERT = "expert", _("専門家")
    COORDINATOR = "coordinator", _("相談員・コーディネーター")
    CHIEF = "chief", _("チーフコーディネーター")
    SECRETARIAT = "secretariat", _("事務局")
    BUREAU = "bureau", _("経済産業局")
    HQ = "hq", _("全国本部・中小企業庁")
    DESK = "desk_consultant", _("オンライン相談員")
    ADMIN = "admin", _("システム管理者")


# Everyone but SMEs and experts handles other people's data: two-factor login is mandatory.
STAFF_ROLES = frozenset(
    {Role.COORDINATOR, Role.CHIEF, Role.SECRETARIAT, Role.BUREAU, Role.HQ, Role.DESK, Role.ADMIN}
)
ORG_ROLES = frozenset({Role.COORDINATOR, Role.CHIEF})
# Roles that see every object nationally (read access).
NATIONAL_ROLES = frozenset({Role.SECRETARIAT, Role.HQ, Role.ADMIN})
