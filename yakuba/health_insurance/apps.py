from django.apps import AppConfig


class HealthInsuranceConfig(AppConfig):
    name = "yakuba.health_insurance"
    label = "health_insurance"
    verbose_name = "国民健康保険"

    def ready(self) -> None:
        from yakuba.health_insurance import (
            api,  # noqa: F401 - declares the API scopes
            events,  # noqa: F401 - declares the event types
        )
        from yakuba.platform.linkage import feed
        from yakuba.registry.services import protected_among

        # A 資格 change names a person: one under 支援措置 is withheld from clients without the
        # registry's protected-person scope, as the registry's own events are.
        feed.register_guard(feed.Guard("jp.yakuba.health_insurance.", "registry:protected", protected_among))
        from yakuba.health_insurance.access import RATES_WRITE_ROLES, STAFF_ROLES
        from yakuba.health_insurance.ui.home_tasks import insurance_tasks
        from yakuba.platform.ui import home, nav

        nav.register("国民健康保険", "health_insurance:lookup", STAFF_ROLES, key="health_insurance")
        # The 保険年金 staff reach the rates from 照会; the 管理者, who has no 照会, from the menu.
        nav.register("国保の税率", "health_insurance:rates", RATES_WRITE_ROLES, key="health_insurance-rates")
        home.register("health_insurance", insurance_tasks, STAFF_ROLES, order=40)
        from yakuba.health_insurance.demo import populate
        from yakuba.platform.server import register_demo_hook

        register_demo_hook(populate, after=("registry", "tax"))
