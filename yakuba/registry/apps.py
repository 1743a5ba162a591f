from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yakuba.registry"
    label = "registry"
    verbose_name = "住民記録"

    def ready(self) -> None:
        from yakuba.registry import events  # noqa: F401 - declares the event types
