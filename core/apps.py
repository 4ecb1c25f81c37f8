from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "共通"

    def ready(self):
        from . import cache, choices

        cache.connect_signals()  # cached reference lists, roles and public pages follow every write
        choices.install()  # choice labels built once per field and language, not per call
