from django.apps import AppConfig


class SealRegistrationConfig(AppConfig):
    name = "yakuba.seal_registration"
    label = "seal_registration"
    verbose_name = "印鑑登録"
