"""Demo data for ``yakuba serve --demo``: three 在外公館申請 of persons whose 本籍 is in the town
(they never lived here, so the registry is not needed): two registered today, one held until its
three months in the 在外公館's area end — so the 在外選挙人名簿 screens have a book and a pending
application."""

from __future__ import annotations

from datetime import date, timedelta

PEOPLE = (
    ("在外 一郎", date(1975, 4, 1), "在英国日本国大使館", "英国ロンドン市ベーカー街221番地", 400),
    (
        "在外 花子",
        date(1988, 9, 15),
        "在ニューヨーク日本国総領事館",
        "アメリカ合衆国ニューヨーク州ニューヨーク市",
        200,
    ),
    (
        "在外 次郎",
        date(2001, 2, 3),
        "在シンガポール日本国大使館",
        "シンガポール共和国オーチャード通り1番",
        30,
    ),
)


def populate(lg_code: str) -> str:
    from django.utils import timezone

    from yakuba.overseas_electors import services
    from yakuba.overseas_electors.models import Application
    from yakuba.overseas_electors.services.entries import municipality_name
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context

    with bind_actor(SYSTEM), tenant_context(lg_code):
        if Application.objects.exists():
            return "在外選挙人名簿（前回の起動で作成済み）"
        today, domicile = timezone.localdate(), f"{municipality_name(lg_code)}本町1番"
        registered = 0
        for name, birth, mission, address, days_abroad in PEOPLE:
            app = services.apply_mission(
                services.MissionIn(
                    today, name, birth, domicile, mission, address, today - timedelta(days=days_abroad)
                )
            )
            if services.registrable_from(app) <= today:
                services.register(services.Registration(app.pk, today, "", ""))
                registered += 1
    return f"在外選挙人名簿: 登録 {registered} 人、審査中 {len(PEOPLE) - registered} 件"
