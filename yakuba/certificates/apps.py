from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "yakuba.certificates"
    label = "certificates"
    verbose_name = "証明書"

    def ready(self) -> None:
        from yakuba.certificates import access

        access.declare()  # scopes
        from yakuba.certificates.demo import populate
        from yakuba.platform.server import register_demo_hook

        register_demo_hook(populate)
