from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "yakuba.statistics"
    label = "statistics"
    verbose_name = "統計"

    def ready(self) -> None:
        from yakuba.statistics import access

        access.declare()  # scopes
        from yakuba.platform.ui import nav

        nav.register("統計", "statistics:dashboard", access.STAFF_ROLES, key="statistics")
