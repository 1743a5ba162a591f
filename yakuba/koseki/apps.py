from django.apps import AppConfig


class KosekiConfig(AppConfig):
    name = "yakuba.koseki"
    label = "koseki"
    verbose_name = "戸籍"

    def ready(self) -> None:
        from yakuba.koseki import access, events  # noqa: F401 (registers event types)

        access.declare()  # scopes
        from yakuba.koseki.services import certificates

        certificates.register()  # the 交付履歴 reissues its certificates
        from yakuba.koseki.ui.home_tasks import koseki_tasks
        from yakuba.platform.ui import home, nav

        # The 戸籍係's work: 戸籍照会 and the 届出 (its 受付帳 is reached from there).
        nav.register("戸籍", "koseki:search", access.STAFF_ROLES, key="koseki", order=nav.COUNTER + 4)
        # The 窓口 issues the 戸籍's certificates too (its form takes the 戸籍ID).
        nav.register(
            "戸籍証明書",
            "koseki:certificate",
            frozenset(access.ISSUE_ROLES - access.STAFF_ROLES),
            key="koseki-certificate",
            order=nav.COUNTER + 5,
        )
        home.register("koseki", koseki_tasks, access.STAFF_ROLES, order=25)
