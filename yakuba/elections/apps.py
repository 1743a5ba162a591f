from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "yakuba.elections"
    label = "elections"
    verbose_name = "選挙人名簿"

    def ready(self) -> None:
        from yakuba.elections import access

        access.declare()  # scopes
