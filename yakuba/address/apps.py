from django.apps import AppConfig


class AddressConfig(AppConfig):
    name = "yakuba.address"
    label = "address"
    verbose_name = "住所辞書"

    def ready(self) -> None:
        from yakuba.address import access

        access.declare()  # scopes
        from yakuba.address import events  # noqa: F401 - declares the event types
        from yakuba.platform.server import register_demo_hook
        from yakuba.platform.ui import nav

        nav.register("住所辞書", "address:town-areas", access.READ_ROLES, key="address")
        from yakuba.address.demo import populate

        register_demo_hook(populate)
