from django.apps import AppConfig


class KosekiAnnexConfig(AppConfig):
    name = "yakuba.koseki_annex"
    label = "koseki_annex"
    verbose_name = "戸籍の附票"

    def ready(self) -> None:
        from yakuba.certificates.services import register_reissue
        from yakuba.koseki_annex import events
        from yakuba.koseki_annex.services import copy, protected_codes
        from yakuba.platform.linkage import feed

        # A row of a person under 支援措置 (marked on it, or a measure in the registry now)
        # reaches only clients that protect them too.
        feed.register_guard(feed.Guard(events.PREFIX, "registry:protected", protected_codes))
        # The 交付履歴's 再発行 of a 附票の写し comes back here (today's rows, the same items).
        register_reissue(copy.KIND, copy.reissue)
        from yakuba.koseki_annex import access
        from yakuba.koseki_annex.ui.home_tasks import annex_tasks
        from yakuba.platform.ui import home, nav

        # The 戸籍係's 附票, beside the 戸籍 in the menu (its copy is issued at the 窓口 too).
        nav.register(
            "附票", "koseki_annex:search", access.STAFF_ROLES, key="koseki_annex", order=nav.COUNTER + 5
        )
        nav.register(
            "附票の写し",
            "koseki_annex:copy",
            access.ISSUE_ROLES,
            key="koseki_annex-copy",
            order=nav.COUNTER + 6,
        )
        home.register("koseki_annex", annex_tasks, access.STAFF_ROLES, order=26)
