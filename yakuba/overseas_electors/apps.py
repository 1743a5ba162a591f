from django.apps import AppConfig


class OverseasElectorsConfig(AppConfig):
    name = "yakuba.overseas_electors"
    label = "overseas_electors"
    verbose_name = "在外選挙人名簿"

    def ready(self) -> None:
        from yakuba.overseas_electors import access, events  # noqa: F401 (registers event types)

        access.declare()  # scopes
