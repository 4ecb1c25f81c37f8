from django.db import models


class Role(models.TextChoices):
    SME = "sme", "中小企業者"
    EXPERT = "expert", "専門家"
    COORDINATOR = "coordinator", "相談員・コーディネーター"
    CHIEF = "chief", "チーフコーディネーター"
    SECRETARIAT = "secretariat", "事務局"
    BUREAU = "bureau", "経済産業局"
    HQ = "hq", "全国本部・中小企業庁"
    DESK = "desk_consultant", "オンライン相談員"
    ADMIN = "admin", "システム管理者"


# Everyone but SMEs and experts handles other people's data: two-factor login is mandatory.
STAFF_ROLES = frozenset(
    {Role.COORDINATOR, Role.CHIEF, Role.SECRETARIAT, Role.BUREAU, Role.HQ, Role.DESK, Role.ADMIN}
)
ORG_ROLES = frozenset({Role.COORDINATOR, Role.CHIEF})
# Roles that see every object nationally (read access).
NATIONAL_ROLES = frozenset({Role.SECRETARIAT, Role.HQ, Role.ADMIN})
