from django.apps import AppConfig


class NationalPensionConfig(AppConfig):
    name = "yakuba.national_pension"
    label = "national_pension"
    verbose_name = "国民年金"

    def ready(self) -> None:
        from yakuba.national_pension import access

        access.declare()  # scopes
        from yakuba.national_pension import events  # noqa: F401 - declares the event types
        from yakuba.platform.linkage import feed
        from yakuba.registry.services import protected_among

        # A 届出 names a person: one under 支援措置 is withheld as the registry's events are.
        feed.register_guard(feed.Guard("jp.yakuba.national_pension.", "registry:protected", protected_among))
        from yakuba.national_pension.ui.views import home_tasks
        from yakuba.platform.ui import home, nav

        # The 保険年金 staff's screens (issue 16): 照会, the month's 20歳到達 and the 免除 judgement.
        nav.register("国民年金", "national_pension:lookup", access.STAFF_ROLES, key="national_pension")
        home.register("national_pension", home_tasks, access.STAFF_ROLES, order=30)
