"""Demo data for ``yakuba serve --demo``: three 保育所 with places, the 3号 認定 and 利用申込 of
some of the town's youngest children (their parents: the 世帯's adults, working full or part
time) and the 利用調整 of a 入所月 — so that the result list has something to explain.

The demo has the tax app's 当初課税 of this 年度 only, so the 入所月 is one whose 申込 rest on it:
the next month from September to March (a 4〜8月 month follows the previous 年度's tax), or
September while it is April to August — and this March in March. Hence
``register_demo_hook(populate, after=("registry", "tax"))``. A child whose parents were not taxed
here (moved in after 1月1日) is left out, as the counter would refuse the 申込.
"""

from __future__ import annotations

from datetime import date, timedelta

CHILDREN = 24
FACILITIES = (
    ("H001", "さくら保育園", {0: 3, 1: 5, 2: 5}),
    ("H002", "ひまわり保育園", {0: 2, 1: 4, 2: 4}),
    ("H003", "あおば小規模保育所", {0: 2, 1: 2, 2: 2}),
)
PURPOSE = "保育のデモデータ（認定・利用申込）"


def _applicants(today: date, first_birth: date):
    """(child, its adults' 宛名番号) of the youngest children of the town, protected ones left out."""
    from yakuba.platform.japanese.wareki import age_on
    from yakuba.registry import services as registry

    births = [first_birth + timedelta(days=n) for n in range((today - first_birth).days)]
    for child in registry.born_on(births, day=today, purpose=PURPOSE):
        if child.protected:
            continue
        members = registry.birth_dates_of(registry.household_members(child.setai_no) - {child.atena_no})
        adults = sorted(a for a, born in members.items() if born and 18 <= age_on(born, today) < 65)[:2]
        if adults:
            yield child, adults


def _entry_month(today: date, fiscal_year: int) -> date:
    """The 入所月 whose 利用者負担 and 同点の順 rest on this 年度's tax (module docstring)."""
    this = today.replace(day=1)
    following = (this + timedelta(days=32)).replace(day=1)
    if 4 <= today.month <= 8:
        return date(fiscal_year, 9, 1)
    return following if following.month != 4 else this


def populate(lg_code: str) -> str:
    from django.utils import timezone

    from yakuba.childcare import services
    from yakuba.childcare.models import Facility
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.server import demo_fiscal_year
    from yakuba.platform.tenancy.context import tenant_context

    with bind_actor(SYSTEM), tenant_context(lg_code):
        if Facility.objects.exists():
            return "保育の施設・認定・利用調整（前回の起動で作成済み）"
        fiscal_year, today = demo_fiscal_year(), timezone.localdate()
        entry = _entry_month(today, fiscal_year)
        for code, name, places in FACILITIES:
            rows = [{"class_age": age, "places": n} for age, n in places.items()]
            services.save_facility(
                services.FacilityIn(code=code, name=name, fiscal_year=fiscal_year, places=rows)
            )
        # Under 3 through the 入所月's first days (a 3号 認定 ends two days before the 3rd birthday).
        first_birth = entry.replace(year=entry.year - 3) + timedelta(days=3)
        certified = applied = 0
        for n, (child, adults) in enumerate(_applicants(today, first_birth)):
            if applied == CHILDREN:
                break
            hours = [160, 160 if n % 3 else 100][: len(adults)]
            try:  # a 認定 stays even when the 申込 is refused (the parents' tax is not here)
                cert = services.apply_certification(
                    services.CertificationIn(
                        child_atena_no=child.atena_no,
                        base_date=today,
                        parents=[
                            {"atena_no": a, "reason": "work", "monthly_hours": h}
                            for a, h in zip(adults, hours, strict=True)
                        ],
                    )
                )
                certified += 1
                choices = [FACILITIES[(n + k) % len(FACILITIES)][0] for k in range(2)]
                services.apply_application(
                    services.ApplicationIn(
                        certificate_no=cert.certificate_no,
                        month=f"{entry:%Y-%m}",
                        choices=choices,
                        parents=[{"reason": "work", "detail": "outside", "monthly_hours": h} for h in hours],
                        applied_on=today,
                    )
                )
            except services.CalculationRejected:
                continue
            applied += 1
        if not applied:
            return "保育の施設 3 か所（申込できる子どもがいません）"
        run = services.run_allocation(f"{entry:%Y-%m}")
    return (
        f"保育の施設 3 か所・認定 {certified} 件・申込 {applied} 件・{entry.year}年{entry.month}月入所の利用調整"
        f"（内定 {run.offered}、保留 {run.pending}）"
    )
