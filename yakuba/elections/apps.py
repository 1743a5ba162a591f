from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "yakuba.elections"
    label = "elections"
    verbose_name = "選挙人名簿"

    def ready(self) -> None:
        from yakuba.elections import access, events  # noqa: F401 (registers event types)

        access.declare()  # scopes
        from yakuba.elections.ui.home_tasks import election_tasks
        from yakuba.platform.ui import home, nav

        nav.register("選挙人名簿", "elections:list", access.STAFF_ROLES, key="elections")
        home.register("elections", election_tasks, access.STAFF_ROLES, order=65)
