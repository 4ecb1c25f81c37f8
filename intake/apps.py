from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "専門家への相談依頼"
    default_auto_field = "django.db.models.BigAutoField"
