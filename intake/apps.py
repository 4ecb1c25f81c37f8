from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("専門家への相談依頼")
    default_auto_field = "django.db.models.BigAutoField"
