from django.apps import AppConfig


class TaxConfig(AppConfig):
    name = "yakuba.tax"
    label = "tax"
    verbose_name = "税務"
