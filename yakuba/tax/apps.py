from django.apps import AppConfig


class TaxConfig(AppConfig):
    name = "yakuba.tax"
    label = "tax"
    verbose_name = "税務"

    def ready(self) -> None:
        from yakuba.tax import access

        access.declare()  # scopes
        from yakuba.platform.linkage import feed
        from yakuba.registry.services import protected_among
        from yakuba.tax import events  # noqa: F401 - declares the event types

        # An assessment names a person: one under 支援措置 is withheld from clients without the
        # registry's protected-person scope, as the registry's own events are.
        feed.register_guard(feed.Guard("jp.yakuba.tax.", "registry:protected", protected_among))
        from yakuba.platform.ui import nav

        nav.register("個人住民税", "tax:lookup", access.STAFF_ROLES, key="tax")
        from yakuba.certificates.services import register_reissue
        from yakuba.tax.services import certificate

        # The 交付履歴 re-issues a 所得・課税証明書 through this app (its figures, their machinery).
        register_reissue(certificate.KIND, certificate.reissue)
        from yakuba.platform.server import register_demo_hook
        from yakuba.tax.demo import populate

        register_demo_hook(populate, after=("registry",))
