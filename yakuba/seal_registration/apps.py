from django.apps import AppConfig


class SealRegistrationConfig(AppConfig):
    name = "yakuba.seal_registration"
    label = "seal_registration"
    verbose_name = "印鑑登録"

    def ready(self) -> None:
        from yakuba.seal_registration import access, events  # noqa: F401 (registers event types)

        access.declare()  # scopes
        from yakuba.certificates.services import register_reissue
        from yakuba.seal_registration.services import certificate

        register_reissue(certificate.KIND, certificate.reissue)
