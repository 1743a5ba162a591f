from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "yakuba.platform.ui"
    label = "ui"
    verbose_name = "職員画面"
