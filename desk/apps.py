from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "オンライン相談窓口"
