from django.apps import AppConfig


class NationalPensionConfig(AppConfig):
    name = "yakuba.national_pension"
    label = "national_pension"
    verbose_name = "国民年金"
