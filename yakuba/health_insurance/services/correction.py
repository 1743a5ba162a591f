"""異動 更正: a 国保世帯's tax recalculated when its 資格 or its members' 所得 changed after the
本算定, stored as a new version — the versions before are never rewritten.

The 国民健康保険税 is 月割 from the 取得月 to the month before the 喪失月 (facts §2.6), so a 取得 or
喪失 during the 年度, a 75歳到達, or a 更正 of an assessment of 所得 changes the year's tax: the
municipality sends a 変更(更正)通知書 (facts §2: 湯沢市) and the difference is levied — or
given back — on the 納期 still to come; the 納期 already due stay as they were (南伊勢町: the
年税額 less what earlier 納期 levied, over the remaining ones,
https://www.town.minamiise.lg.jp/admin/shoshiki/zeimujumin/kenkouhoken/kokuhozei/3713.html). A
納期 is due from its month on (its 納期限 is in that month, 長久手・栄町: facts §2.7). Levied beyond
the new total, the excess is a 過納 (地方税法 §17: refunded or applied), kept in the version.

Which 世帯: those named, or those whose 資格 rows (国保's own) or whose members' (and 世帯主's)
assessments (the tax app's door, ``assessments_changed_since``) changed after the 世帯's latest
version — or after a given day. A 世帯 whose recalculated amounts equal its latest version's gets
no new version. Pages of 世帯, each one transaction with its rows, events and one audit row; a
page's queries do not grow with its size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import connections, transaction
from django.utils import timezone

from yakuba.health_insurance.codes import CorrectionCause, PremiumReason, RunKind, RunState
from yakuba.health_insurance.events import CORRECTED
from yakuba.health_insurance.models import KokuhoHousehold, Member, PremiumAssessment, PremiumRun
from yakuba.health_insurance.services.annual import (
    PAGE,
    PARTS,
    Levied,
    Page,
    copy_row,
    engine_result,
    event_data,
    household_inputs,
    latest_versions,
    levy_rest,
    premium_row,
    schedule,
    write_versions,
)
from yakuba.health_insurance.services.calculation import CalculationRejected
from yakuba.health_insurance.services.rates import Settings, settings_for
from yakuba.platform.audit.log import current_actor
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.tax import services as tax

PURPOSE = "国民健康保険税（料）の賦課（更正）"
# What of a person's input is their 所得 (the rest — who, role, 資格 dates, birth — is 資格).
INCOME_KEYS = frozenset(
    {
        "total_income",
        "salary_revenue",
        "public_pension_revenue",
        "pension_income",
        "salary_income",
        "income_declared",
    }
)


class CorrectionRejected(ValueError):
    """A 更正 that cannot be made (the message is for the operator)."""


@dataclass
class Recalculated:
    checked: int = 0
    corrected: int = 0
    rejected: list[str] = field(default_factory=list)


# Each 世帯's latest version of the 年度 and when it was made.
_LATEST = (
    "latest AS (SELECT DISTINCT ON (setai_no) setai_no, created_at FROM health_insurance_premium"
    " WHERE fiscal_year = %(year)s ORDER BY setai_no, version DESC)"
)


def _since_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def changed_households(fiscal_year: int, since: date | None = None) -> set[str]:
    """世帯番号 of the 国保世帯 whose 資格 rows of the 年度 or whose members' or 世帯主's assessments
    of the 年度 changed after the 世帯's latest version (or after the start of ``since``) — a
    世帯 without a version counts from the start of the 本算定 (it entered 国保 later). Four
    queries whatever their number."""
    moment = _since_moment(since) if since else None
    end = date(fiscal_year + 1, 4, 1)
    params = {"year": fiscal_year, "end": end, "since": moment, "kind": RunKind.ANNUAL}
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            f"WITH {_LATEST} SELECT DISTINCT q.setai_no FROM health_insurance_qualification q"
            " LEFT JOIN latest l ON l.setai_no = q.setai_no"
            " WHERE q.effective_on < %(end)s AND q.created_at > COALESCE(%(since)s, l.created_at,"
            " (SELECT started_at FROM health_insurance_premium_run WHERE fiscal_year = %(year)s AND kind = %(kind)s))",
            params,
        )
        found = {r[0] for r in cursor.fetchall()}
        # Assessments changed after the oldest of the 世帯' latest versions (not after the
        # 仮算定: the 当初課税 itself came after it) — each then compared with its own 世帯's.
        cursor.execute(f"WITH {_LATEST} SELECT min(created_at) FROM latest", params)
        first = moment or cursor.fetchone()[0]
    if first is None:
        return found
    changed = tax.assessments_changed_since(fiscal_year, first)
    if not changed:
        return found
    # The 世帯 each changed person is in now — as a member, or as the 世帯主 (擬制世帯主 too).
    owners: dict[str, datetime] = {}
    people = Member.objects.filter(atena_no__in=list(changed)).values_list("atena_no", "setai_no")
    heads = KokuhoHousehold.objects.filter(head_atena_no__in=list(changed)).values_list(
        "head_atena_no", "setai_no"
    )
    for atena_no, setai_no in people.union(heads):
        owners[setai_no] = max(owners.get(setai_no, changed[atena_no]), changed[atena_no])
    if moment is not None:
        return found | set(owners)
    latest = dict(
        PremiumAssessment.objects.filter(fiscal_year=fiscal_year, setai_no__in=list(owners))
        .order_by("setai_no", "-version")
        .distinct("setai_no")
        .values_list("setai_no", "created_at")
    )
    return found | {s for s, at in owners.items() if s in latest and at > latest[s]}


def _cause(previous: Levied | None, body: dict | None) -> str:
    """資格異動 when who is insured or for which months changed, else 所得更正."""

    def qualification(given: dict | None) -> list[dict]:
        people = (given or {}).get("household", [])
        return [{k: v for k, v in p.items() if k not in INCOME_KEYS} for p in people]

    if previous is None or previous.input is None or body is None:
        return CorrectionCause.QUALIFICATION
    same = qualification(previous.input) == qualification(body)
    return CorrectionCause.INCOME if same else CorrectionCause.QUALIFICATION


def _plan(
    previous: Levied | None, total: int, fiscal_year: int, settings: Settings, on: date
) -> tuple[list[list], int]:
    """The new version's 納期: those due by ``on``'s month as the previous version had them, the
    rest of ``total`` over the schedule's 納期 still to come — or, after the last, in the next
    month (a 随時 納期)."""
    now = f"{on.year}-{on.month:02d}"
    kept = [i for i in (previous.installments if previous else []) if i[0] <= now]
    numbers = settings.provisional + settings.months
    remaining = tuple(
        n for n, name in zip(numbers, schedule(fiscal_year, settings), strict=True) if name > now
    )
    if remaining:
        return levy_rest(kept, total, fiscal_year, remaining, settings)
    rest = total - sum(a for _m, a in kept)
    following = f"{on.year + on.month // 12}-{on.month % 12 + 1:02d}"
    return [list(i) for i in kept] + ([[following, rest]] if rest > 0 else []), max(0, -rest)


def _correct_page(
    setai_nos: list[str], fiscal_year: int, settings: Settings, on: date, done: Recalculated
) -> None:
    """Recalculate the 世帯 of one page in one transaction (their rows locked first)."""
    lg_code = require_tenant().lg_code
    with transaction.atomic(using=require_tenant().alias):
        households = list(
            KokuhoHousehold.objects.select_for_update()
            .filter(setai_no__in=setai_nos)
            .order_by("setai_no")
            .values_list("setai_no", "head_atena_no")
        )
        if not households:
            return
        previous = latest_versions([s for s, _h in households], fiscal_year)
        inputs = {s: rest for s, *rest in household_inputs(households, fiscal_year, settings)}
        page = Page(
            lg_code,
            fiscal_year,
            households[0][0],
            households[-1][0],
            [],
            len(households),
            settings,
            current_actor().name,
            timezone.now(),
        )
        rows, events = [], []
        for setai_no, head in households:
            done.checked += 1
            before = previous.get(setai_no)
            head, body, atena_nos = inputs.get(setai_no, (head, None, None))
            try:
                result = engine_result(body) if body is not None else None
            except (CalculationRejected, ValueError):
                done.rejected.append(setai_no)
                continue
            total = result["annual_total"] if result else 0
            parts = tuple(((result or {}).get(p) or {}).get("total", 0) for p in PARTS)
            if before is not None and (before.total, before.parts) == (total, parts):
                continue
            if before is None and total == 0:
                continue
            plan, over = _plan(before, total, fiscal_year, settings, on)
            row = premium_row(
                page,
                setai_no,
                head,
                version=before.version + 1 if before else 1,
                reason=PremiumReason.CORRECTION,
                cause=_cause(before, body),
                plan=plan,
                overpaid=over,
                body=body,
                atena_nos=atena_nos,
                result=result,
                total=total,
            )
            rows.append(copy_row(row))
            events.append(
                (
                    CORRECTED,
                    setai_no,
                    event_data(
                        row,
                        cause=str(row["cause"]),
                        previous_total=before.total if before else 0,
                        overpaid=over,
                    ),
                )
            )
        write_versions(rows, events, page, purpose=PURPOSE, checked=len(households))
        done.corrected += len(rows)


def recalculate(
    lg_code: str,
    fiscal_year: int,
    *,
    setai_nos: list[str] | None = None,
    since: date | None = None,
    rates: dict | None = None,
    on: date | None = None,
) -> Recalculated:
    """The 更正 of ``setai_nos``, or of every 世帯 whose 資格 or 所得 changed (``changed_households``)
    — after the 本算定 of the 年度 has finished. ``on`` is the day the 更正 is made (today): the
    納期 of its month and before are already due. The rates are ``rates`` or the stored current
    version. Call with an audit actor bound."""
    on = on or timezone.localdate()
    with tenant_context(lg_code):
        run = PremiumRun.objects.filter(fiscal_year=fiscal_year, kind=RunKind.ANNUAL).first()
        if run is None or run.state != RunState.DONE:
            raise CorrectionRejected(f"{fiscal_year}年度の本算定が終わっていません（更正は本算定の後です）")
        settings = settings_for(fiscal_year, rates)
        wanted = sorted(set(setai_nos) if setai_nos is not None else changed_households(fiscal_year, since))
    done = Recalculated()
    for start in range(0, len(wanted), PAGE):
        with tenant_context(lg_code):
            _correct_page(wanted[start : start + PAGE], fiscal_year, settings, on, done)
    return done
