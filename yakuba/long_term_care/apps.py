from django.apps import AppConfig


class LongTermCareConfig(AppConfig):
    name = "yakuba.long_term_care"
    label = "long_term_care"
    verbose_name = "介護保険"

    def ready(self) -> None:
        from yakuba.long_term_care import events  # noqa: F401 - declares the event types
        from yakuba.platform.linkage import feed
        from yakuba.registry.services import protected_among

        # A 資格 change names a person: one under 支援措置 is withheld as the registry's events are.
        feed.register_guard(feed.Guard("jp.yakuba.long_term_care.", "registry:protected", protected_among))
        from yakuba.long_term_care import access
        from yakuba.long_term_care.ui.views import SCREENS
        from yakuba.platform.ui import home, nav

        # The 保険年金 staff's screens (issue 16): 資格照会, the month's 年齢到達 and the calculation.
        nav.register("介護保険", "long_term_care:lookup", access.STAFF_ROLES, key="long_term_care")
        home.register("long_term_care", SCREENS.home_tasks, access.STAFF_ROLES, order=30)
        from yakuba.long_term_care.demo import populate
        from yakuba.platform.server import register_demo_hook

        register_demo_hook(populate, after=("registry",))
