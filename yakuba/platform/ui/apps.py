from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "yakuba.platform.ui"
    label = "ui"
    verbose_name = "職員画面"

    def ready(self) -> None:
        from yakuba.platform.identity.roles import Role
        from yakuba.platform.ui import home, nav, views

        nav.register(
            "連携（Webhook）", "ui:webhooks", [Role.ADMIN], key="linkage-webhooks", order=nav.ADMINISTRATION
        )
        home.register("linkage-dead-letters", views.dead_letter_tasks, [Role.ADMIN], order=90)
