"""What the 印鑑登録 screens list (read-only): a person's registrations with their history, one
registration by its number, and the 照会書 waiting for their 回答書.

The writes are ``registrations`` (the door's use cases); these reads exist for the counter's
screens (docs/seal_registration.md, "Screens"). None of them reads the seal's image — that is
``registrations.seal_image``, one audit row per view — and none copies a 氏名 or 住所: the names
of a list come from the registry's door in one call for the page (no N+1).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from yakuba.registry import services as registry
from yakuba.seal_registration import codes
from yakuba.seal_registration.models import GuardianshipNotice, Inquiry, Registration, RegistrationChange
from yakuba.seal_registration.services.registrations import RegistrationView

PAGE = 50

__all__ = [
    "Change",
    "Detail",
    "Pending",
    "Notice",
    "detail",
    "guardianship_of",
    "inquiries_of",
    "pending_count",
    "pending_page",
    "registrations_of",
    "waiting_inquiry",
]


@dataclass(frozen=True)
class Change:
    """One line of a registration's history (登録, 廃止, 抹消) as the screen shows it."""

    on: date
    status: str
    reason: str
    by_registry: bool  # the registry's 異動 caused it (転出, 死亡 …), not a 届出 at the counter
    created_by: str


@dataclass(frozen=True)
class Detail:
    """A registration for its page: the door's view (its fields read through, e.g.
    ``detail.card_no``), how it was applied for, and its history."""

    view: RegistrationView
    procedure: str
    applicant: str
    identity: str
    history: tuple[Change, ...]

    def __getattr__(self, name: str):
        if name == "view":  # not yet set (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.view, name)

    @property
    def is_open(self) -> bool:
        return self.view.status == codes.Status.REGISTERED

    @property
    def guarantor_registration_no(self) -> str:
        return self.view.checks.get("guarantor_registration_no", "")


def _changes(row: Registration) -> tuple[Change, ...]:
    return tuple(
        Change(
            c.on,
            codes.Status(c.status).label,
            codes.EndReason(c.reason).label if c.reason else "",
            c.source_event is not None,
            c.created_by,
        )
        for c in row.changes.all()
    )


_VIEW_FIELDS = [f.name for f in fields(RegistrationView)]


def _detail(row: Registration) -> Detail:
    view = RegistrationView(
        **{name: getattr(row, name) for name in _VIEW_FIELDS} | {"status": codes.Status(row.status)}
    )
    return Detail(
        view,
        codes.Procedure(row.procedure).label,
        codes.Applicant(row.applicant).label,
        codes.Identity(row.identity).label,
        _changes(row),
    )


def _with_history():
    return Registration.objects.defer("image").prefetch_related(
        Prefetch("changes", queryset=RegistrationChange.objects.order_by("on", "id"))
    )


def detail(registration_no: str) -> Detail | None:
    """One registration with its history (two queries), without its image."""
    row = _with_history().filter(registration_no=registration_no).first()
    return _detail(row) if row else None


def registrations_of(atena_no: str) -> list[Detail]:
    """Every registration of the person, newest first, each with its history (two queries)."""
    rows = _with_history().filter(atena_no=atena_no).order_by("-registered_on", "-id")
    return [_detail(row) for row in rows]


@dataclass(frozen=True)
class Pending:
    """A 照会書 waiting for its 回答書; ``name`` is empty for a person the caller may not see."""

    inquiry_no: str
    atena_no: str
    name: str
    seal_text: str
    applicant: str
    sent_on: date
    deadline: date

    @property
    def lapsed(self) -> bool:
        """Past the deadline: the 回答書 can no longer be accepted (rules/procedure.check_reply)."""
        return timezone.localdate() > self.deadline


def _pending(rows, visibility: registry.Visibility) -> list[Pending]:
    names = registry.names_of([r.atena_no for r in rows], visibility=visibility)
    return [
        Pending(
            r.inquiry_no,
            r.atena_no,
            names.get(r.atena_no, ""),
            r.seal_text,
            codes.Applicant(r.applicant).label,
            r.sent_on,
            r.deadline,
        )
        for r in rows
    ]


def _open_inquiries():
    return Inquiry.objects.filter(status=codes.InquiryStatus.SENT).defer("image", "checks")


def pending_page(*, after: str = "", visibility: registry.Visibility) -> tuple[list[Pending], str]:
    """One page of the 照会書 waiting for their 回答書, oldest first (keyset on 照会番号), and the
    照会番号 to continue after ("" on the last page): one query and the names' two. A person hidden
    from the caller by 支援措置 is listed without the name."""
    query = _open_inquiries().order_by("inquiry_no")
    if after:
        query = query.filter(inquiry_no__gt=after)
    rows = list(query[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return _pending(rows, visibility), rows[-1].inquiry_no if more else ""


def waiting_inquiry(inquiry_no: str, *, visibility: registry.Visibility) -> Pending | None:
    """One 照会書 still waiting for its 回答書 (to print it), or None."""
    found = _pending(list(_open_inquiries().filter(inquiry_no=inquiry_no)), visibility)
    return found[0] if found else None


def inquiries_of(atena_no: str, *, visibility: registry.Visibility) -> list[Pending]:
    """The person's 照会書 still waiting (normally none or one)."""
    return _pending(list(_open_inquiries().filter(atena_no=atena_no).order_by("inquiry_no")), visibility)


def pending_count() -> int:
    """照会書 waiting for their 回答書 within the deadline (the home screen's tile; one query)."""
    return _open_inquiries().filter(deadline__gte=timezone.localdate()).count()


@dataclass(frozen=True)
class Notice:
    """A 登記事項通知 of 成年後見 as received (services/guardianship.py)."""

    kind: str
    registered_on: date
    received_on: date
    struck_registration_no: str


def guardianship_of(atena_no: str) -> list[Notice]:
    """The person's 登記事項通知, the latest first (one query): the latest says whether they are a
    成年被後見人 for the registration rules."""
    rows = (
        GuardianshipNotice.objects.filter(atena_no=atena_no)
        .order_by("-received_on", "-id")
        .values_list("kind", "registered_on", "received_on", "registration__registration_no")
    )
    return [Notice(codes.GuardianshipKind(k).label, reg, rec, no or "") for k, reg, rec, no in rows]
