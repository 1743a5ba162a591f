from django.apps import AppConfig


class LateElderlyMedicalConfig(AppConfig):
    name = "yakuba.late_elderly_medical"
    label = "late_elderly_medical"
    verbose_name = "後期高齢者医療"

    def ready(self) -> None:
        from yakuba.late_elderly_medical import events  # noqa: F401 - declares the event types
        from yakuba.platform.linkage import feed
        from yakuba.registry.services import protected_among

        # A 資格 change names a person: one under 支援措置 is withheld as the registry's events are.
        feed.register_guard(
            feed.Guard("jp.yakuba.late_elderly_medical.", "registry:protected", protected_among)
        )
        from yakuba.late_elderly_medical import access
        from yakuba.late_elderly_medical.ui.views import SCREENS
        from yakuba.platform.ui import home, nav

        # The 保険年金 staff's screens (issue 16): 資格照会, the month's 年齢到達 and the calculation.
        nav.register(
            "後期高齢者医療", "late_elderly_medical:lookup", access.STAFF_ROLES, key="late_elderly_medical"
        )
        home.register("late_elderly_medical", SCREENS.home_tasks, access.STAFF_ROLES, order=30)
        from yakuba.late_elderly_medical.demo import populate
        from yakuba.platform.server import register_demo_hook

        register_demo_hook(populate, after=("registry",))
