from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "yakuba.platform.linkage"
    label = "linkage"
    verbose_name = "庁内データ連携"
