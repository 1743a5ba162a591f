from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "yakuba.certificates"
    label = "certificates"
    verbose_name = "証明書"

    def ready(self) -> None:
        from yakuba.certificates import access

        access.declare()  # scopes
        from yakuba.platform.ui import nav

        # The 交付履歴 is a counter screen of every day, after the registry's (住民検索 stays the
        # clerk's first stop, whichever app loads first); the settings are the domain's master,
        # kept by the 管理者.
        nav.register(
            "証明書の交付履歴",
            "certificates:ledger",
            access.ISSUE_ROLES,
            key="certificates-ledger",
            order=nav.COUNTER + 1,
        )
        nav.register("証明書の設定", "certificates:settings", access.ADMIN_ROLES, key="certificates-settings")
        from yakuba.certificates.demo import populate
        from yakuba.platform.server import register_demo_hook

        register_demo_hook(populate)
        from yakuba.platform.tenancy.services import municipality_registered

        municipality_registered.connect(
            _signing_key_for_new_municipality, dispatch_uid="certificates.signing_key"
        )


def _signing_key_for_new_municipality(sender, lg_code: str, **kwargs) -> None:
    """A new municipality can sign from its first certificate: its key exists from ``municipality
    add`` (replaced by its CA's with ``yakuba certificate key import``)."""
    from yakuba.certificates.services.keys import current_key
    from yakuba.platform.audit.log import SYSTEM, bind_actor

    with bind_actor(SYSTEM):
        current_key()
