"""Demo data for ``yakuba serve --demo``: a 通学区域 over the town's 町字 (from the 住所辞書: the
town split among three 小学校 and two 中学校, each 町字 in two 番地 ranges) and this year's 学齢簿
編製 on today's registry — so that the 学齢簿 screen lists children with their 指定学校. Hence
``register_demo_hook(populate, after=("address", "registry"))``."""

from __future__ import annotations

ELEMENTARY = (("E01", "第一小学校"), ("E02", "第二小学校"), ("E03", "第三小学校"))
JUNIOR = (("J01", "第一中学校"), ("J02", "第二中学校"))


def districts_csv(towns: list[str]) -> bytes:
    lines = ["町字,番地から,番地まで,小学校コード,小学校名,中学校コード,中学校名"]
    for n, town in enumerate(sorted(towns)):
        for k, (start, end) in enumerate((("1", "20"), ("21", ""))):
            e_code, e_name = ELEMENTARY[(n + k) % len(ELEMENTARY)]
            j_code, j_name = JUNIOR[n % len(JUNIOR)]
            lines.append(f"{town},{start},{end},{e_code},{e_name},{j_code},{j_name}")
    return "\r\n".join(lines).encode()


def populate(lg_code: str) -> str:
    from django.utils import timezone

    from yakuba.address import services as address
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.school_enrollment.models import Generation
    from yakuba.school_enrollment.rules.events import roll_year
    from yakuba.school_enrollment.services import book, districts

    with bind_actor(SYSTEM), tenant_context(lg_code):
        if Generation.objects.exists():
            return "学齢簿・通学区域（前回の起動で作成済み）"
        towns = sorted(address.town_area_names())
        if towns:
            districts.load(districts_csv(towns))
        today = timezone.localdate()
        made = book.generate(roll_year(today), as_of=today)
    return f"学齢簿: {made.added:,} 人（{made.entry_year}年入学まで）、通学区域 {len(towns):,} 町字"
