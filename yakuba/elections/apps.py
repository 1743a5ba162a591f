from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "yakuba.elections"
    label = "elections"
    verbose_name = "選挙人名簿"

    def ready(self) -> None:
        from yakuba.elections import access, events  # noqa: F401 (registers event types)

        access.declare()  # scopes
