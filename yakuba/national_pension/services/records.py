"""The 届出 and 免除等 申請 the municipality takes for 日本年金機構 (国民年金法 §12: a 第1号被保険者
files with the 市町村長; §90〜§90の3 and 施行令 §6の7〜: the application for 免除・納付猶予・学生納付
特例 goes through the municipality, which confirms the 所得; insurance-welfare-facts §5).

Each is recorded as it was filed — append-only, one transaction with its event and its audit
row — with the person's particulars of that day read through the registry's door (what the 届書
carries and the 年金事務所 file forwards). The 免除等 申請 keeps the municipality's 所得 check beside
it: the 所得 of each person judged come from the tax app's door (``assessment.figures_of``, the
個人住民税 of the same 年度 = the 所得 of the year before the 免除年度's July) unless the clerk
gives one (a person not assessed here); the pure check (``rules.exemption``) is stored with its
steps. 年金機構 decides; the stored result is the municipality's opinion, not the decision.

Bad input is every reason at once as ``CalculationRejected`` (``[{"field", "message"}]``): the
CLI prints them and exits 2, the API answers 422.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from yakuba.national_pension.codes import Applied, Kind, Reason
from yakuba.national_pension.events import APPLIED, NOTIFIED
from yakuba.national_pension.models import Application, Filed, Notification
from yakuba.national_pension.rules import exemption
from yakuba.national_pension.rules import notification as rules
from yakuba.national_pension.services.calculation import PersonFacts, Yen, household_problems, judgement
from yakuba.platform import crypto
from yakuba.platform.audit.log import Action, record
from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.japanese.checkdigits import is_valid_my_number
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax.services import assessment

PURPOSE = "国民年金の届出・免除等申請の受付"
NOTIFICATIONS, APPLICATIONS = "national_pension.notification", "national_pension.application"

AtenaNo = Annotated[str, Field(pattern=r"^\d{1,15}$", title="宛名番号")]
PensionNo = Annotated[str, Field(pattern=r"^(\d{10})?$", title="基礎年金番号（10桁、不明なら空）")]
MyNumber = Annotated[str, Field(pattern=r"^(\d{12})?$", title="個人番号（12桁。基礎年金番号に代えて）")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FiledIn(_Strict):
    atena_no: AtenaNo
    pension_no: PensionNo = ""
    my_number: MyNumber = ""


class NotificationIn(FiledIn):
    kind: Literal[tuple(Kind.values)] = Field(title="種別")
    reason: Literal[tuple(Reason.values)] = Field(title="事由")
    occurred_on: date = Field(title="年月日（取得日・喪失日・変更日）")
    notified_on: date = Field(title="届出日")


class FactsIn(PersonFacts):
    """What the applicant declares of one person judged; the 所得 itself comes from the tax
    records unless given."""

    income: Yen | None = Field(None, title="前年所得（省略時は個人住民税の課税情報から）")


class RelativeIn(FactsIn):
    atena_no: Annotated[str, Field(pattern=r"^(\d{1,15})?$")] = Field(
        "", title="宛名番号（住民でないときは空にして前年所得を入力）"
    )


class ApplicationIn(FiledIn):
    fiscal_year: int = Field(
        title="免除年度（西暦、7月から翌年6月。学生納付特例は4月から翌年3月）", ge=1900, le=2999
    )
    applied: Literal[tuple(Applied.values)] = Field(title="申請区分")
    applied_on: date = Field(title="申請日")
    applicant: FactsIn = Field(title="申請者（本人）")
    spouse: RelativeIn | None = Field(None, title="配偶者")
    householder: RelativeIn | None = Field(None, title="世帯主（本人以外のとき）")
    disaster: bool = Field(False, title="震災・風水害・火災などで財産の概ね2分の1以上の損害を受けた")
    domestic_violence: bool = Field(False, title="配偶者からの暴力により住所が異なる")


class FiledOut(BaseModel):
    id: int = Field(title="番号")
    atena_no: str
    pension_no: str = Field(title="基礎年金番号")
    my_number: str | None = Field(title="個人番号（null: 表示できない）")
    has_my_number: bool = Field(title="個人番号の届出がある")
    name: str = Field(title="氏名（届出時）")
    name_kana: str = Field(title="氏名フリガナ（届出時）")
    birth_date: date | None = Field(title="生年月日")
    address: str = Field(title="住所（届出時）")
    notified_on: date = Field(title="届出日・申請日")
    recorded_at: datetime


class NotificationOut(FiledOut):
    kind: str = Field(title="種別")
    reason: str = Field(title="事由")
    occurred_on: date = Field(title="年月日")


class ApplicationOut(FiledOut):
    fiscal_year: int
    applied: str = Field(title="申請区分")
    dependents: int = Field(title="扶養親族等の数（本人）")
    income: int = Field(title="本人の前年所得")
    spouse_income: int | None = Field(title="配偶者の前年所得")
    householder_income: int | None = Field(title="世帯主の前年所得")
    grant: str | None = Field(title="所得による判定（承認は日本年金機構）")
    steps: list[str] = Field(title="判定の過程")


def my_number_context(atena_no: str) -> str:
    """Associated data of the encrypted 個人番号: a ciphertext moved to another row's person or
    another municipality does not decrypt."""
    return f"{require_tenant().lg_code}/national_pension/{atena_no}"


def _person(atena_no: str, protected: bool, errors: list[dict]) -> registry.ResidentRecord | None:
    """The person's particulars today, or ``None`` with an error (a person under 支援措置 is
    unknown to a caller who may not see them)."""
    try:
        return registry.get_resident(atena_no, visibility=registry.Visibility(protected=protected))
    except registry.NotFound:
        errors.append({"field": "atena_no", "message": f"宛名番号 {atena_no} の住民は見つかりません"})
        return None


def _identity(body: FiledIn, errors: list[dict]) -> None:
    if body.my_number and not is_valid_my_number(body.my_number):
        errors.append({"field": "my_number", "message": "個人番号の検査用数字が正しくありません"})


def _filed(body: FiledIn, person: registry.ResidentRecord, notified_on: date) -> dict:
    return {
        "lg_code": require_tenant().lg_code,
        "atena_no": body.atena_no,
        "pension_no": body.pension_no,
        "my_number_encrypted": crypto.encrypt(body.my_number, context=my_number_context(body.atena_no))
        if body.my_number
        else "",
        "name": person.name,
        "name_kana": person.name_kana,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "address": f"{person.address}{person.address_extra}",
        "notified_on": notified_on,
    }


def _raise(errors: list[dict]) -> None:
    if errors:
        raise CalculationRejected(errors)


def _announce(type_: str, resource: str, row: Filed, data: dict, subjects: list[str]) -> None:
    """The record's event (ids, kinds and dates: no name, 個人番号 or 所得) and its audit row
    naming everyone whose data it holds."""
    emit(
        type_,
        subject=row.atena_no,
        data={"atena_no": row.atena_no, "id": row.id, **data, "notified_on": row.notified_on.isoformat()},
    )
    record(Action.CREATE, resource, subjects=subjects, purpose=PURPOSE, detail={"id": row.id})


def _checked_notification(body: NotificationIn, protected: bool):
    errors: list[dict] = []
    _identity(body, errors)
    person = _person(body.atena_no, protected, errors)
    if person is not None:
        errors += [
            {"field": f, "message": m}
            for f, m in rules.problems(
                body.kind,
                body.reason,
                body.occurred_on,
                body.notified_on,
                person.birth_date,
                timezone.localdate(),
            )
        ]
    return errors, person


def check_notification(body: NotificationIn, *, protected: bool = False) -> list[dict]:
    """Every broken rule of a 届出, nothing written (a screen checks as the clerk types)."""
    return _checked_notification(body, protected)[0]


def record_notification(body: NotificationIn, *, protected: bool = False) -> NotificationOut:
    """Record a 届出 (one transaction: the row, its event, its audit row). ``protected``: the
    caller may see persons under 支援措置. The answer shows no 個人番号 (the caller typed it)."""
    errors, person = _checked_notification(body, protected)
    _raise(errors)
    with transaction.atomic(using=require_tenant().alias):
        row = Notification.objects.create(
            **_filed(body, person, body.notified_on),
            kind=body.kind,
            reason=body.reason,
            occurred_on=body.occurred_on,
        )
        data = {"kind": row.kind, "reason": row.reason, "occurred_on": row.occurred_on.isoformat()}
        _announce(NOTIFIED, NOTIFICATIONS, row, data, [row.atena_no])
    return _notification_out(row, my_number=False)


def _relatives(body: ApplicationIn) -> list[tuple[str, str, FactsIn, str]]:
    """(role, field, facts, 宛名番号) of each person judged, the applicant first."""
    people = [(exemption.APPLICANT, "applicant", body.applicant, body.atena_no)]
    for role, where, given in (
        (exemption.SPOUSE, "spouse", body.spouse),
        (exemption.HOUSEHOLDER, "householder", body.householder),
    ):
        if given is not None:
            people.append((role, where, given, given.atena_no))
    return people


def _incomes(body: ApplicationIn, errors: list[dict]) -> dict[str, tuple[int, str]]:
    """{field: (所得, where it came from)}: given, else the tax records of the 年度 (one query)."""
    people = _relatives(body)
    figures = assessment.figures_of([a for _r, _w, _g, a in people if a], body.fiscal_year)
    found = {}
    for _role, where, given, atena_no in people:
        if given.income is not None:
            found[where] = (given.income, "申請者の申立て")
        elif atena_no in figures:
            found[where] = (figures[atena_no].total_income, f"個人住民税の課税情報（{body.fiscal_year}年度）")
        else:
            errors.append(
                {
                    "field": f"{where}.income",
                    "message": f"{body.fiscal_year}年度の課税情報がありません。前年所得を入力してください",
                }
            )
    return found


def _checked_application(body: ApplicationIn, protected: bool):
    errors: list[dict] = []
    _identity(body, errors)
    errors += household_problems(
        body.fiscal_year,
        [(where, given) for _role, where, given, _a in _relatives(body)],
        domestic_violence=body.domestic_violence,
        spouse=body.spouse is not None,
    )
    if body.applied_on > timezone.localdate():
        errors.append({"field": "applied_on", "message": "未来の日付は指定できません"})
    person = _person(body.atena_no, protected, errors)
    if person is not None and person.birth_date is None:
        errors.append({"field": "atena_no", "message": "生年月日が不詳のため審査できません"})
    incomes = _incomes(body, errors) if not errors else {}
    return errors, person, incomes


def check_application(body: ApplicationIn, *, protected: bool = False) -> list[dict]:
    """Every broken rule of an 申請 (a missing 所得 included), nothing written."""
    return _checked_application(body, protected)[0]


def record_application(body: ApplicationIn, *, protected: bool = False) -> ApplicationOut:
    """Record a 免除等 申請 with the 所得 check (one transaction: the row, its event, its audit
    row naming whose 所得 were read). ``protected`` as for ``record_notification``."""
    errors, person, incomes = _checked_application(body, protected)
    _raise(errors)
    people = [given.person(role, incomes[where][0]) for role, where, given, _a in _relatives(body)]
    result = judgement(
        body.fiscal_year,
        people,
        person.birth_date,
        student=body.applied == Applied.STUDENT,
        disaster=body.disaster,
        domestic_violence=body.domestic_violence,
    )
    result["steps"] = [f"{where}: 所得は{source}" for where, (_i, source) in incomes.items()] + result[
        "steps"
    ]
    with transaction.atomic(using=require_tenant().alias):
        row = Application.objects.create(
            **_filed(body, person, body.applied_on),
            fiscal_year=body.fiscal_year,
            applied=body.applied,
            dependents=body.applicant.dependents,
            income=incomes["applicant"][0],
            spouse_atena_no=body.spouse.atena_no if body.spouse else "",
            spouse_income=incomes["spouse"][0] if body.spouse else None,
            householder_atena_no=body.householder.atena_no if body.householder else "",
            householder_income=incomes["householder"][0] if body.householder else None,
            grant=result["grant"] or "",
            judgement={"input": body.model_dump(mode="json", exclude={"my_number"}), "result": result},
        )
        data = {"fiscal_year": row.fiscal_year, "applied": row.applied}
        _announce(APPLIED, APPLICATIONS, row, data, [a for _r, _w, _g, a in _relatives(body) if a])
    return _application_out(row, my_number=False)


def _filed_out(row: Filed, my_number: bool) -> dict:
    shown = None
    if my_number:
        shown = (
            crypto.decrypt(row.my_number_encrypted, context=my_number_context(row.atena_no))
            if row.my_number_encrypted
            else ""
        )
    return {
        "id": row.id,
        "atena_no": row.atena_no,
        "pension_no": row.pension_no,
        "my_number": shown,
        "has_my_number": bool(row.my_number_encrypted),
        "name": row.name,
        "name_kana": row.name_kana,
        "birth_date": row.birth_date,
        "address": row.address,
        "notified_on": row.notified_on,
        "recorded_at": row.recorded_at,
    }


def _notification_out(row: Notification, *, my_number: bool) -> NotificationOut:
    return NotificationOut(
        **_filed_out(row, my_number), kind=row.kind, reason=row.reason, occurred_on=row.occurred_on
    )


def _application_out(row: Application, *, my_number: bool) -> ApplicationOut:
    return ApplicationOut(
        **_filed_out(row, my_number),
        fiscal_year=row.fiscal_year,
        applied=row.applied,
        dependents=row.dependents,
        income=row.income,
        spouse_income=row.spouse_income,
        householder_income=row.householder_income,
        grant=row.grant or None,
        steps=row.judgement["result"]["steps"],
    )


def filed_by(
    atena_no: str, *, my_number: bool = False, protected: bool = False
) -> tuple[list[NotificationOut], list[ApplicationOut]]:
    """A person's 届出 and 申請, oldest first (two queries), audited as one read; ``my_number``:
    the caller may see 個人番号 (then the row says it was shown). A person under 支援措置 is
    unknown to a caller who may not see them (``registry.NotFound``)."""
    if not protected and registry.is_protected(atena_no):
        raise registry.NotFound(atena_no)
    notifications = list(Notification.objects.filter(atena_no=atena_no).order_by("id"))
    applications = list(Application.objects.filter(atena_no=atena_no).order_by("id"))
    shown = my_number and any(r.my_number_encrypted for r in [*notifications, *applications])
    record(Action.READ, "national_pension.filed", subjects=[atena_no], purpose=PURPOSE, my_number_shown=shown)
    return (
        [_notification_out(r, my_number=my_number) for r in notifications],
        [_application_out(r, my_number=my_number) for r in applications],
    )
