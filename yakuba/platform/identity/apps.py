from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "yakuba.platform.identity"
    label = "identity"
    verbose_name = "職員・APIクライアント"
