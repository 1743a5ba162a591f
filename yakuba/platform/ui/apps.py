from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "yakuba.platform.ui"
    label = "ui"
    verbose_name = "職員画面"

    def ready(self) -> None:
        from yakuba.platform.identity.roles import Role
        from yakuba.platform.ui import nav

        nav.register("連携（Webhook）", "ui:webhooks", [Role.ADMIN], key="linkage-webhooks")
