from django.apps import AppConfig


class OverseasElectorsConfig(AppConfig):
    name = "yakuba.overseas_electors"
    label = "overseas_electors"
    verbose_name = "在外選挙人名簿"

    def ready(self) -> None:
        from yakuba.overseas_electors import access, events  # noqa: F401 (registers event types)

        access.declare()  # scopes
        from yakuba.overseas_electors.ui.home_tasks import overseas_tasks
        from yakuba.platform.ui import home, nav

        nav.register("在外選挙人名簿", "overseas_electors:book", access.STAFF_ROLES, key="overseas_electors")
        home.register("overseas_electors", overseas_tasks, access.STAFF_ROLES, order=71)
        from yakuba.overseas_electors.demo import populate
        from yakuba.platform.server import register_demo_hook

        register_demo_hook(populate)
