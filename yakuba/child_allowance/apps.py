from django.apps import AppConfig


class ChildAllowanceConfig(AppConfig):
    name = "yakuba.child_allowance"
    label = "child_allowance"
    verbose_name = "児童手当"

    def ready(self) -> None:
        from yakuba.child_allowance import (
            api,  # noqa: F401 - declares the API scopes
            events,  # noqa: F401 - declares the event types
        )
        from yakuba.platform.linkage import feed
        from yakuba.registry.services import protected_among

        # A 認定 names its 受給者: one under 支援措置 is withheld from clients without the
        # registry's protected-person scope, as the registry's own events are.
        feed.register_guard(feed.Guard("jp.yakuba.child_allowance.", "registry:protected", protected_among))
        from yakuba.child_allowance.access import STAFF_ROLES
        from yakuba.child_allowance.ui.home_tasks import allowance_tasks
        from yakuba.platform.ui import home, nav

        nav.register("児童手当", "child_allowance:lookup", STAFF_ROLES, key="child_allowance")
        home.register("child_allowance", allowance_tasks, STAFF_ROLES, order=50)
        from yakuba.child_allowance.demo import populate
        from yakuba.platform.server import register_demo_hook

        register_demo_hook(populate, after=("registry",))
