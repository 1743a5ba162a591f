from django.apps import AppConfig


class ChildSupportAllowanceConfig(AppConfig):
    """児童扶養手当 (issue 17): the pure engine of contract §9.6, the 認定 and each 支給年度's
    determination, the August 現況届, 消滅 from the registry's events and the odd-month payments."""

    name = "yakuba.child_support_allowance"
    label = "child_support_allowance"
    verbose_name = "児童扶養手当"

    def ready(self) -> None:
        from yakuba.child_support_allowance import (
            access,  # noqa: F401 - declares the API scopes
            events,  # noqa: F401 - declares the event types
        )
        from yakuba.platform.linkage import feed
        from yakuba.registry.services import protected_among

        # An 認定 or 額改定 names its 受給者: one under 支援措置 (often the reason for the
        # 児童扶養手当 itself) is withheld from clients without the registry's protected-person scope.
        feed.register_guard(
            feed.Guard("jp.yakuba.child_support_allowance.", "registry:protected", protected_among)
        )
        from yakuba.child_support_allowance.access import STAFF_ROLES
        from yakuba.child_support_allowance.ui.home_tasks import support_allowance_tasks
        from yakuba.platform.ui import home, nav

        nav.register(
            "児童扶養手当", "child_support_allowance:lookup", STAFF_ROLES, key="child_support_allowance"
        )
        home.register("child_support_allowance", support_allowance_tasks, STAFF_ROLES, order=45)
