from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yakuba.registry"
    label = "registry"
    verbose_name = "住民記録"

    def ready(self) -> None:
        from yakuba.registry import access

        access.declare()  # scopes and restricted fields
        from yakuba.platform.ui import nav
        from yakuba.registry import (
            events,  # noqa: F401 - declares the event types
            linkage,
        )
        from yakuba.registry.ui.access import PROTECTION_ROLES, READ_ROLES, WRITE_ROLES

        # The platform renders the menu and the home screen but never imports the registry: we
        # register here. The counter's screens come first in the menu (nav.COUNTER).
        nav.register("住民検索", "registry:search", READ_ROLES, key="registry-search", order=nav.COUNTER)
        nav.register("異動入力", "registry:move-menu", WRITE_ROLES, key="registry-move", order=nav.COUNTER)
        nav.register(
            "支援措置の期間終了",
            "registry:protections-expiring",
            PROTECTION_ROLES,
            key="registry-protections",
            order=nav.COUNTER,
        )
        nav.register(
            "戸籍からの異動候補",
            "registry:koseki-proposals",
            WRITE_ROLES,
            key="registry-koseki",
            order=nav.COUNTER,
        )
        from yakuba.platform.ui import home
        from yakuba.registry.ui.home_tasks import registry_tasks

        home.register("registry", registry_tasks, WRITE_ROLES, order=10)
        from yakuba.registry.ui.koseki_views import koseki_tasks

        home.register("registry-koseki", koseki_tasks, WRITE_ROLES, order=11)
        linkage.register()  # the 住民記録 全件/差分 file
        from yakuba.platform.linkage import feed
        from yakuba.registry.events import RESIDENT_EVENTS
        from yakuba.registry.services.protection import protected_among

        # 支援措置 applies to events at delivery time, per client (docs/reference/contract.md#protected-persons).
        feed.register_guard(feed.Guard(RESIDENT_EVENTS, access.PROTECTED, protected_among))
        from yakuba.platform.server import register_demo_hook
        from yakuba.registry.demo import populate

        register_demo_hook(populate)
