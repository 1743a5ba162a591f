from django.apps import AppConfig


class LateElderlyMedicalConfig(AppConfig):
    name = "yakuba.late_elderly_medical"
    label = "late_elderly_medical"
    verbose_name = "後期高齢者医療"
