"""What the 教育委員会 records on a child's entry: the 保護者 it confirmed (``apply_guardian``), and
指定校変更 (学校教育法施行令 第8条) and 区域外就学 (第9条) records (civil-facts §4.4): the school
the 教育委員会 approved on the 保護者's 申立 instead of the 通学区域's, with its 事由, 承認日 and
period. A record is never rewritten: a later one for the same days wins (``lookup``), so a
cancellation is a new record naming the 通学区域 school again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.school_enrollment.codes import Change, DesignationKind, Level
from yakuba.school_enrollment.models import Designation, RollChange, RollEntry, School

RESOURCE = "school_enrollment.designation"


class Refused(ValueError):
    """Every broken rule as (field, Japanese message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("\n".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


@dataclass(frozen=True)
class DesignationIn:
    atena_no: str
    kind: str  # DesignationKind
    level: str  # Level
    school_code: str  # 指定校変更: a school of the town
    school_name: str  # 区域外就学: the school outside the town
    reason: str
    approved_on: date | None
    starts_on: date | None
    ends_on: date | None


def check_designation(given: DesignationIn) -> list[tuple[str, str]]:
    """Every rule, no writes (a screen checks as the clerk types)."""
    errors = []
    if not RollEntry.objects.filter(atena_no=given.atena_no, closed_on__isnull=True).exists():
        errors.append(("atena_no", "学齢簿に記載されている子どもではありません"))
    if given.kind not in DesignationKind.values:
        errors.append(("kind", "指定校変更か区域外就学を選んでください"))
    if given.level not in Level.values:
        errors.append(("level", "小学校か中学校を選んでください"))
    if given.kind == DesignationKind.CHANGE:
        if not School.objects.filter(code=given.school_code, level=given.level).exists():
            errors.append(("school_code", "町内の学校（通学区域に登録された同じ種別の学校）を選んでください"))
    elif given.kind == DesignationKind.OUTSIDE and not given.school_name.strip():
        errors.append(("school_name", "就学する学校名を入力してください（区域外就学）"))
    elif given.kind == DesignationKind.OUTSIDE and len(given.school_name.strip()) > 60:
        errors.append(("school_name", "学校名は60文字以内で入力してください"))
    if not given.reason.strip():
        errors.append(("reason", "事由を入力してください"))
    elif len(given.reason) > 200:
        errors.append(("reason", "事由は200文字以内で入力してください"))
    if given.approved_on is None:
        errors.append(("approved_on", "承認日を入力してください"))
    elif given.approved_on > timezone.localdate():
        errors.append(("approved_on", "承認日に未来の日は指定できません"))
    if given.starts_on is None:
        errors.append(("starts_on", "期間の開始日を入力してください"))
    elif given.ends_on is not None and given.ends_on < given.starts_on:
        errors.append(("ends_on", "期間の終了日は開始日以後にしてください"))
    return errors


def apply_designation(given: DesignationIn) -> Designation:
    """Record it with a history line on the child's entry and an audit row (one transaction: the
    caller's)."""
    errors = check_designation(given)
    if errors:
        raise Refused(errors)
    name = given.school_name.strip()
    if given.kind == DesignationKind.CHANGE:
        name = School.objects.get(code=given.school_code).name
    now, actor = timezone.now(), current_actor().name
    made = Designation.objects.create(
        lg_code=require_tenant().lg_code,
        atena_no=given.atena_no,
        kind=given.kind,
        level=given.level,
        school_code=given.school_code if given.kind == DesignationKind.CHANGE else "",
        school_name=name,
        reason=given.reason.strip(),
        approved_on=given.approved_on,
        starts_on=given.starts_on,
        ends_on=given.ends_on,
        created_at=now,
        created_by=actor,
    )
    entry = RollEntry.objects.get(atena_no=given.atena_no, closed_on__isnull=True)
    RollChange.objects.create(
        lg_code=entry.lg_code,
        entry=entry,
        change=Change.DESIGNATED,
        on=given.starts_on,
        detail={"kind": given.kind, "level": given.level, "school": name, "reason": made.reason,
                "approved_on": given.approved_on.isoformat(), "ends_on": given.ends_on.isoformat() if given.ends_on else None},
        created_at=now,
        created_by=actor,
    )  # fmt: skip
    record(
        Action.CREATE,
        RESOURCE,
        purpose="指定校変更・区域外就学の記録",
        subjects=[given.atena_no],
        detail={"kind": given.kind},
    )
    return made


def apply_guardian(atena_no: str, guardian_atena_no: str, reason: str) -> RollEntry:
    """Name the child's 保護者 on the 学齢簿 (学校教育法 第16条: the 親権者 or 未成年後見人, which the
    住民基本台帳 does not record — the 編製 starts from the 世帯主): a person of the registry, with
    the reason; the registry's 世帯主 no longer overwrites it. A history line and an audit row."""
    errors = []
    entry = RollEntry.objects.filter(atena_no=atena_no, closed_on__isnull=True).first()
    if entry is None:
        errors.append(("atena_no", "学齢簿に記載されている子どもではありません"))
    if guardian_atena_no == atena_no or not registry.names_of([guardian_atena_no]):
        errors.append(("guardian_atena_no", "住民記録にある保護者の宛名番号を入力してください"))
    if not reason.strip() or len(reason) > 200:
        errors.append(("guardian_reason", "確認の根拠を200文字以内で入力してください"))
    if errors:
        raise Refused(errors)
    before = entry.guardian_atena_no
    entry.guardian_atena_no, entry.guardian_fixed, entry.updated_at = guardian_atena_no, True, timezone.now()
    entry.save(update_fields=["guardian_atena_no", "guardian_fixed", "updated_at"])
    RollChange.objects.create(
        lg_code=entry.lg_code,
        entry=entry,
        change=Change.UPDATED,
        on=timezone.localdate(),
        detail={"guardian_atena_no": [before, guardian_atena_no], "reason": reason.strip()},
        created_at=entry.updated_at,
        created_by=current_actor().name,
    )
    record(Action.UPDATE, RESOURCE, purpose="保護者の確認（学齢簿）", subjects=[atena_no, guardian_atena_no])
    return entry
