"""The 就学 notices to the 保護者 (civil-facts §4.2, §4.5), one PDF per envelope (per child):

- 就学時健康診断 通知 (学校保健安全法 第11条, 同施行令 第1条・第4条): the day of the check — held by
  11月30日 of the year before entry, so the notice goes before it — for each 就学予定者 on the
  学齢簿;
- 就学通知 (入学期日の通知, 学校教育法施行令 第5条): the 入学期日 (4月1日) and the 指定学校, by 1月31日.

The 保護者 is the 世帯主 the 学齢簿 holds (services/roll.py explains the approximation), named
and addressed through the registry's door (``residents_of``: one bulk read a page). A child under
支援措置 is never in the batch (the print shop must not hold the address): the batch names them
for a clerk with the right to print one by one (``notice_of``). Every print is an audit row: per
page of the batch naming its range of 宛名番号, or per child; every notice of a child not under
支援措置 is one ``notice.issued`` event (events.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.linkage import outbox
from yakuba.platform.municipalities import lookup as municipality_of
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.school_enrollment.codes import WorkKind, WorkStatus
from yakuba.school_enrollment.events import NOTICE_ISSUED
from yakuba.school_enrollment.models import RollEntry, WorkItem
from yakuba.school_enrollment.services import lookup
from yakuba.school_enrollment.services.schedule import schedule_of

RESOURCE = "school_enrollment.notice"
KINDS = {
    WorkKind.HEALTH_CHECK: "就学時健康診断のお知らせ",
    WorkKind.ENROLMENT_NOTICE: "就学通知書（入学期日及び就学すべき学校の通知）",
}
PAGE = 500


class NoticeRefused(ValueError):
    """The child cannot be sent this notice (the message says why, in Japanese)."""


@dataclass(frozen=True)
class Notice:
    kind: str
    entry_year: int
    atena_no: str
    child_name: str
    child_birth: str  # 和暦
    guardian_name: str
    address: str
    school_name: str  # "" for the 健診 notice
    health_check_on: str  # 和暦
    entry_on: str  # 和暦

    @property
    def title(self) -> str:
        return KINDS[self.kind]

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.entry_year}-{self.atena_no}.pdf"


@dataclass(frozen=True)
class Page:
    documents: list[Notice]
    withheld: list[str]  # 宛名番号 of protected children left out
    heading: dict
    last: str  # the page's last 宛名番号: the next page starts after it ("" once none is left)


def heading() -> dict:
    municipality = municipality_of(require_tenant().lg_code)
    return {
        "municipality": municipality.full_name,
        "board": f"{municipality.name}教育委員会",
        "issued_on": format_wareki(timezone.localdate()),
    }


def _notices(kind: str, entry_year: int, lines: list[lookup.Line], guardians: dict) -> list[Notice]:
    check_on, _notice_on = schedule_of(entry_year)
    out = []
    for line in lines:
        guardian = guardians.get(line.guardian_atena_no)
        out.append(
            Notice(
                kind,
                entry_year,
                line.atena_no,
                line.name,
                format_wareki(line.birth_date),
                f"{guardian.name} 様" if guardian else f"{line.name} 様の保護者 様",
                line.address,
                line.school_name if kind == WorkKind.ENROLMENT_NOTICE else "",
                format_wareki(check_on),
                format_wareki(date(entry_year, 4, 1)),
            )
        )
    return out


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise NoticeRefused(f"通知の種類は {' / '.join(KINDS)} のどれかです（{kind}）")


def notices_page(kind: str, entry_year: int, *, after: str = "", limit: int = PAGE) -> Page:
    """The next page of the batch: the 就学予定者 of ``entry_year`` (grade 0 on the day before
    entry) after ``after``, protected children withheld. One audit row (``print``) per page."""
    check_kind(kind)
    lines, _more = lookup.page_for_print(entry_year, after=after, limit=limit, on=timezone.localdate())
    shown = [x for x in lines if not x.protected]
    guardians = registry.residents_of({x.guardian_atena_no for x in shown} - {""})
    documents = _notices(kind, entry_year, shown, guardians)
    outbox.emit_many([_issued(n) for n in documents])
    if lines:
        record(
            Action.PRINT,
            RESOURCE,
            purpose=KINDS[kind],
            detail={"kind": kind, "entry_year": entry_year, "after": after, "through": lines[-1].atena_no,
                    "count": len(documents), "withheld": len(lines) - len(documents)},
        )  # fmt: skip
    return Page(
        documents, [x.atena_no for x in lines if x.protected], heading(), lines[-1].atena_no if lines else ""
    )


def late_warning(kind: str, entry_year: int) -> str:
    """A line for the operator when the notice goes out after its day (civil-facts §4.2): the 健診
    notice after the 健診 itself, the 就学通知 after 1月31日 (施行令 第5条) — "" otherwise."""
    today = timezone.localdate()
    health_check, _notice = schedule_of(entry_year)
    if kind == WorkKind.HEALTH_CHECK and today >= health_check:
        return f"注意: 就学時健康診断の日（{format_wareki(health_check)}）を過ぎています"
    deadline = date(entry_year, 1, 31)
    if kind == WorkKind.ENROLMENT_NOTICE and today > deadline:
        return f"注意: 就学通知の期限（{format_wareki(deadline)}、学校教育法施行令第5条）を過ぎています"
    return ""


def to_print(entry_year: int) -> int:
    """How many children the batch goes through (its progress bar)."""
    return RollEntry.objects.filter(entry_year=entry_year, closed_on__isnull=True).count()


def render(notice: Notice, head: dict) -> bytes:
    """One notice's PDF (no database: the batch renders outside its transaction)."""
    context = {**head, "title": notice.title, "notice": notice}
    return pdf.render("school_enrollment/pdf/notice.html", context, stylesheets=(pdf.NOTICE_CSS,))


def notice_of(kind: str, atena_no: str, *, visibility: registry.Visibility) -> tuple[bytes, str]:
    """One child's notice (a late 転入, a protected child printed at the counter), closing the
    child's open work item of that kind; one audit row naming the child."""
    check_kind(kind)
    today = timezone.localdate()
    lines = lookup.lines_of([atena_no], on=today, visibility=visibility)
    if not lines or (lines[0].protected and not visibility.protected):
        raise NoticeRefused(f"宛名番号 {atena_no} は学齢簿に記載されていません")
    line = lines[0]
    if kind == WorkKind.HEALTH_CHECK and line.grade > 0:
        raise NoticeRefused("就学時健康診断の通知は就学予定者（入学前の子ども）にだけ作成できます")
    guardians = registry.residents_of({line.guardian_atena_no} - {""}, visibility=visibility)
    notice = _notices(kind, line.entry_year, [line], guardians)[0]
    WorkItem.objects.filter(kind=kind, atena_no=atena_no, status=WorkStatus.OPEN).update(
        status=WorkStatus.DONE
    )
    record(Action.PRINT, RESOURCE, purpose=KINDS[kind], subjects=[atena_no], detail={"kind": kind})
    if not line.protected:
        outbox.emit_many([_issued(notice)])
    return render(notice, heading()), notice.filename


def _issued(notice: Notice) -> tuple[str, str, dict]:
    return (
        NOTICE_ISSUED,
        notice.atena_no,
        {"kind": notice.kind, "entry_year": notice.entry_year, "school": notice.school_name},
    )
