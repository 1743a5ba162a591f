from django.apps import AppConfig


class KosekiAnnexConfig(AppConfig):
    name = "yakuba.koseki_annex"
    label = "koseki_annex"
    verbose_name = "戸籍の附票"
