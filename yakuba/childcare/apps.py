from django.apps import AppConfig


class ChildcareConfig(AppConfig):
    name = "yakuba.childcare"
    label = "childcare"
    verbose_name = "子ども・子育て支援（保育）"

    def ready(self) -> None:
        from yakuba.childcare import access

        access.declare()  # scopes
        from yakuba.childcare import events  # noqa: F401 - declares the event types
        from yakuba.platform.linkage import feed
        from yakuba.registry.services import protected_among

        # Every event names a child: one under 支援措置 is withheld as the registry's events are.
        feed.register_guard(feed.Guard("jp.yakuba.childcare.", "registry:protected", protected_among))
        from yakuba.childcare.ui.views import home_tasks
        from yakuba.platform.ui import home, nav

        nav.register("保育", "childcare:lookup", access.STAFF_ROLES, key="childcare")
        home.register("childcare", home_tasks, access.STAFF_ROLES, order=60)
        from yakuba.childcare.demo import populate
        from yakuba.platform.server import register_demo_hook

        register_demo_hook(populate, after=("registry", "tax"))
