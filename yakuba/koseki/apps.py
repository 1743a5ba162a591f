from django.apps import AppConfig


class KosekiConfig(AppConfig):
    name = "yakuba.koseki"
    label = "koseki"
    verbose_name = "戸籍"

    def ready(self) -> None:
        from yakuba.koseki import access, events  # noqa: F401 (registers event types)

        access.declare()  # scopes
