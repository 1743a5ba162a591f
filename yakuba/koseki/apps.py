from django.apps import AppConfig


class KosekiConfig(AppConfig):
    name = "yakuba.koseki"
    label = "koseki"
    verbose_name = "戸籍"

    def ready(self) -> None:
        from yakuba.koseki import access, events  # noqa: F401 (registers event types)

        access.declare()  # scopes
        from yakuba.koseki.ui.home_tasks import koseki_tasks
        from yakuba.platform.ui import home, nav

        # The 戸籍係's work: 戸籍照会 and the 届出 (its 受付帳 is reached from there).
        nav.register("戸籍", "koseki:search", access.STAFF_ROLES, key="koseki", order=nav.COUNTER + 4)
        home.register("koseki", koseki_tasks, access.STAFF_ROLES, order=25)
