from django.apps import AppConfig


class HealthInsuranceConfig(AppConfig):
    name = "yakuba.health_insurance"
    label = "health_insurance"
    verbose_name = "国民健康保険"
