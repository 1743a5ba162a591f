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
        from yakuba.platform.ui import home, nav
        from yakuba.seal_registration.ui.home_tasks import seal_tasks

        # 窓口 work, beside 証明書発行 in the menu.
        nav.register(
            "印鑑登録",
            "seal_registration:person",
            access.STAFF_ROLES,
            key="seal_registration",
            order=nav.COUNTER + 2,
        )
        nav.register(
            "印鑑条例",
            "seal_registration:ordinance",
            access.ORDINANCE_ROLES,
            key="seal_registration-ordinance",
        )
        home.register("seal_registration", seal_tasks, access.STAFF_ROLES, order=20)
