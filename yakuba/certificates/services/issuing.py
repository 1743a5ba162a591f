"""Issuing a certificate: who may have it, its 発行番号, the document, its signature and the
交付履歴 row — one transaction, so a certificate is either issued and recorded or not at all.

住民基本台帳法 第12条 (本人・同一世帯の者の請求), 第12条の2 (公用), 第12条の3 (第三者, with its
請求事由); 住民記録システム標準仕様書 §5 (証明: 認証文, 電子公印, 発行番号 §5.5, 公用 §5.7).
支援措置 (住民基本台帳事務処理要領): a certificate of a protected person goes to the person alone
— or, with a recorded reason, by a clerk allowed to see protected persons; every refusal is
audited with the persons it named.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from django.db import connections
from django.utils import timezone

from yakuba.certificates.codes import Kind, Requester
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import fees, ledger, qr, render, settings, signing
from yakuba.certificates.services.content import CertificateRequest, Document, build
from yakuba.platform.audit import log as audit_log
from yakuba.platform.audit.log import Action, current_actor
from yakuba.platform.municipalities.master import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.registry.services import NotFound, RuleViolation, Visibility

REISSUED = "再交付"
PROTECTED_REFUSAL = "支援措置の対象者が含まれるため、本人以外の請求には交付できません"


@dataclass(frozen=True)
class RequesterInfo:
    """Who asked (住民基本台帳法 第12条〜第12条の3; for the 戸籍 戸籍法 第10条〜第10条の2)."""

    type: str  # codes.Requester
    atena_no: str = ""  # 本人・同一世帯の者: who they are in the registry
    name: str = ""  # 代理人, 第三者, 公用, 配偶者, 直系, 職務上請求: the person or office
    purpose: str = ""  # 請求事由 (第三者, 職務上請求), 利用目的
    override_reason: str = ""  # 支援措置: why a protected person's certificate goes to another
    # 本人 known by the issuing app in its own records when they have no 宛名番号 here (they live
    # elsewhere): the 戸籍's 個人ID, the 附票's 住民票コード. The app checks it against its rows.
    person_id: str = ""


# Who may ask for a 住民票 certificate (住民基本台帳法 第12条〜第12条の3); 配偶者, 直系 and 職務上請求
# are the 戸籍's (戸籍法 第10条, 第10条の2) and are decided by the app that issues it.
RESIDENT_REQUESTERS = frozenset(
    {Requester.SELF, Requester.HOUSEHOLD, Requester.AGENT, Requester.THIRD_PARTY, Requester.OFFICIAL}
)
NAMED = frozenset(
    {
        Requester.AGENT,
        Requester.THIRD_PARTY,
        Requester.OFFICIAL,
        Requester.SPOUSE,
        Requester.LINEAL,
        Requester.PROFESSIONAL,
    }
)
WITH_PURPOSE = frozenset({Requester.THIRD_PARTY, Requester.OFFICIAL, Requester.PROFESSIONAL})


@dataclass(frozen=True)
class Issued:
    number: str
    pdf: bytes
    pages: int
    atena_nos: list[str]


def _requester_problems(requester: RequesterInfo, *, official_use: bool) -> list[tuple[str, str]]:
    errors = []
    if requester.type not in Requester.values:
        errors.append(("requester.type", "請求者の区分を選んでください"))
    identified = requester.atena_no or (requester.type == Requester.SELF and requester.person_id)
    if requester.type in (Requester.SELF, Requester.HOUSEHOLD) and not identified:
        errors.append(("requester.atena_no", "請求者（本人・同一世帯の者）の宛名番号を入力してください"))
    if requester.type in NAMED and not requester.name.strip():
        errors.append(("requester.name", "請求者の氏名（公用は機関名）を入力してください"))
    if requester.type in WITH_PURPOSE and not requester.purpose.strip():
        errors.append(
            (
                "requester.purpose",
                "請求事由を入力してください（住民基本台帳法 第12条の2・第12条の3、戸籍法 第10条の2）",
            )
        )
    if official_use and requester.type != Requester.OFFICIAL:
        errors.append(("official_use", "「公用」は国・地方公共団体の機関の請求にだけ付けます"))
    return errors


def _subjects(request: CertificateRequest) -> set[str]:
    """Everyone the certificate could name: the persons asked for, or the whole 世帯."""
    subjects = set(request.atena_nos)
    if request.setai_no:
        subjects |= registry.household_members(request.setai_no)
    return subjects


def _visibility_for(subjects: set[str], requester: RequesterInfo, visibility: Visibility) -> Visibility:
    """The caller's visibility, opened to the protected persons this certificate may name: for
    the protected person's own request (and those covered with them, §3.4), or a recorded
    override by a clerk who may see protected persons. Anyone else is refused, audited."""
    protected = registry.protected_among(subjects)
    if not protected:
        return visibility
    own = requester.type == Requester.SELF and requester.atena_no in protected
    override = visibility.protected and requester.override_reason.strip()
    if own or override:
        return replace(visibility, protected=True)
    audit_log.refuse(
        Action.PRINT, "certificate", subjects=sorted(protected), reason="protected", requester=requester.type
    )
    raise RuleViolation([("requester", PROTECTED_REFUSAL)])


def _next_number(lg_code: str, day) -> tuple[str, int]:
    """証明書番号 ``YYYYMMDD-NNNNNN``: the day and its serial (§5.5 発行番号: 発行年月日 … 連番),
    taken in the issuing transaction (a rolled-back issue takes none)."""
    with connections[require_tenant().alias].cursor() as cursor:
        cursor.execute(
            "INSERT INTO certificates_day_counter (lg_code, day, last) VALUES (%s, %s, 1)"
            " ON CONFLICT (lg_code, day) DO UPDATE SET last = certificates_day_counter.last + 1"
            " RETURNING last",
            [lg_code, day],
        )
        serial = cursor.fetchone()[0]
    return f"{day:%Y%m%d}-{serial:06d}", serial


def _prepared(
    build: Callable[[Visibility], Document],
    *,
    subjects: set[str],
    requester: RequesterInfo,
    official_use: bool,
    visibility: Visibility,
    problems: tuple[tuple[str, str], ...] = (),
) -> tuple[Document, settings.Settings]:
    """The checks every certificate passes, whoever builds it: who asked (第12条〜第12条の3),
    支援措置 for everyone it may name, the issuing settings registered; then the document.
    ``problems``: the caller's own refusals, reported with the requester's."""
    errors = _requester_problems(requester, official_use=official_use) + list(problems)
    if errors:
        raise RuleViolation(errors)
    vis = _visibility_for(subjects, requester, visibility)
    issuer = settings.current()
    if not issuer.registered:
        raise RuleViolation(
            [
                (
                    "settings",
                    "証明書の発行設定（認証者の氏名・公印）が登録されていません。管理者が登録してください",
                )
            ]
        )
    return build(vis), issuer


def prepare(
    request: CertificateRequest, *, requester: RequesterInfo, visibility: Visibility
) -> tuple[Document, settings.Settings]:
    """Every rule of an issue checked and the document built; nothing numbered or written. For
    ``issue`` and for the 確認's preview, so a preview is refused exactly where an issue is."""
    problems = []
    if requester.type in Requester.values and requester.type not in RESIDENT_REQUESTERS:
        label = Requester(requester.type).label
        problems.append(("requester.type", f"住民票の証明書は「{label}」の区分では請求できません"))
    if request.my_number and not visibility.my_number:
        problems.append(("include.my_number", "個人番号を記載する権限がありません"))
    return _prepared(
        lambda vis: build(request, visibility=vis),
        subjects=_subjects(request),
        requester=requester,
        official_use=request.official_use,
        visibility=visibility,
        problems=tuple(problems),
    )


def issue_info(
    issuer: settings.Settings, *, number: str, issued_on: date, serial: int, qr_svg: str
) -> render.IssueInfo:
    """What the page prints besides the document: 発行番号 (§5.5), 認証者 and 公印."""
    return render.IssueInfo(
        number=number,
        issued_on=issued_on,
        municipality=lookup(
            require_tenant().lg_code
        ).full_name,  # the built-in master: no query, no UI import
        terminal=issuer.terminal_name,
        printer=issuer.printer_name,
        serial=serial,
        certifier_title=issuer.certifier_title,
        certifier_name=issuer.certifier_name,
        seal_png=issuer.seal_png,
        qr_svg=qr_svg,
    )


def issue(
    request: CertificateRequest,
    *,
    requester: RequesterInfo,
    visibility: Visibility,
    fee_exempt_reason: str = "",
    reissue_of: Certificate | None = None,
) -> Issued:
    """Issue one registry certificate (住民票の写し …) inside the caller's ``tenant_context``.

    A 転出証明書 issued again says 「再交付」 and the one it replaces is voided in the same
    transaction: the 転入届 is filed with one 転出証明書 (住民基本台帳法施行令 第23条 [article
    unverified]), so when one is lost before the 転入 only the newest may be valid."""
    document, issuer = prepare(request, requester=requester, visibility=visibility)
    if reissue_of is not None and document.kind == Kind.MOVE_OUT_CERTIFICATE:
        document = replace(document, subtitle=REISSUED)
        if reissue_of.voided_at is None:
            ledger.void(reissue_of.number, reason=f"{REISSUED}により無効")
    return _seal(
        document,
        issuer,
        options=_options(request),
        requester=requester,
        fee_exempt_reason=fee_exempt_reason,
        reissue_of=reissue_of,
        my_number_shown=request.my_number,
    )


def issue_document(
    kind: str,
    build: Callable[[Visibility], Document],
    *,
    subjects: set[str],
    options: dict,
    requester: RequesterInfo,
    visibility: Visibility,
    fee_exempt_reason: str = "",
    reissue_of: str = "",
    problems: tuple[tuple[str, str], ...] = (),
) -> Issued:
    """Issue a certificate another app writes (the 所得・課税証明書 of the tax app …) with the
    same machinery: the checks of ``_prepared``, then ``build(visibility)`` — the app's
    document, read through its own door — numbered, QR-coded, signed and recorded in the
    交付履歴 in the caller's transaction. ``options`` are what the app needs to build it again
    (再発行: ``register_reissue``); ``reissue_of`` the number of the certificate it replaces;
    ``problems`` the app's own refusals (its request rules), reported with the machinery's at
    once, each at its field."""
    if kind not in Kind.values:
        raise RuleViolation([("kind", f"証明書の種類が正しくありません: {kind}"), *problems])
    document, issuer = _prepared(
        build,
        subjects=subjects,
        requester=requester,
        official_use=False,
        visibility=visibility,
        problems=problems,
    )
    return _seal(
        document,
        issuer,
        options=options,
        requester=requester,
        fee_exempt_reason=fee_exempt_reason,
        reissue_of=ledger.get(reissue_of) if reissue_of else None,
        my_number_shown=False,
    )


def _seal(
    document: Document,
    issuer: settings.Settings,
    *,
    options: dict,
    requester: RequesterInfo,
    fee_exempt_reason: str,
    reissue_of: Certificate | None,
    my_number_shown: bool,
) -> Issued:
    """Number, QR, PDF, signature, 交付履歴 row and print audit: one transaction (the caller's)."""
    tenant = require_tenant()
    content_digest = hashlib.sha256(document.content_text().encode()).hexdigest()
    now = timezone.now()
    number, serial = _next_number(tenant.lg_code, timezone.localdate(now))
    info = issue_info(
        issuer,
        number=number,
        issued_on=timezone.localdate(now),
        serial=serial,
        qr_svg=qr.qr_svg(number, content_digest),
    )
    pdf, pages = render.render(document, info)
    signed = signing.sign(pdf, number=number)
    fee = (
        0
        if (document.official_use or fee_exempt_reason)
        else fees.fee_for(document.kind, timezone.localdate(now), ordinance_fee=issuer.fee)
    )
    actor = current_actor()
    Certificate.objects.create(
        lg_code=tenant.lg_code,
        number=number,
        kind=document.kind,
        layout=document.layout,
        setai_no=document.setai_no,
        atena_nos=list(document.atena_nos),
        options=options,
        requester=requester.type,
        requester_name=requester.name,
        purpose=requester.purpose,
        official_use=document.official_use,
        fee=fee,
        fee_exempt_reason=fee_exempt_reason,
        pages=pages,
        issued_at=now,
        actor=actor.name,
        terminal=actor.terminal,
        pdf_digest=hashlib.sha256(signed).hexdigest(),
        content_digest=content_digest,
        reissue_of=reissue_of,
    )
    audit_log.record(
        Action.PRINT,
        "certificate",
        subjects=document.atena_nos,
        purpose=requester.purpose,
        my_number_shown=my_number_shown,
        detail={
            "number": number,
            "kind": document.kind,
            "options": options,
            "requester": requester.type,
            "reissue_of": reissue_of.number if reissue_of else None,
            "protected_override": requester.override_reason or None,
        },
    )
    return Issued(number, signed, pages, list(document.atena_nos))


# 再発行 of a certificate another app writes: its kind → how the app issues it again from the
# options it recorded (registered by the app when it starts; ``register_reissue``).
_REISSUERS: dict[str, Callable[..., Issued]] = {}


def register_reissue(kind: str, reissuer: Callable[..., Issued]) -> None:
    """``reissuer(options, *, requester, visibility, fee_exempt_reason, reissue_of)`` issues the
    certificate of ``kind`` again (through ``issue_document``) from its recorded options."""
    _REISSUERS[kind] = reissuer


def reissue(
    number: str, *, requester: RequesterInfo, visibility: Visibility, fee_exempt_reason: str = ""
) -> Issued:
    """再発行: the same certificate (kind, persons, items) from today's records, under a new
    number that names the one it replaces (§5.5: each copy its own 発行番号)."""
    original = ledger.get(number)
    if original.kind in _REISSUERS:
        return _REISSUERS[original.kind](
            dict(original.options),
            requester=requester,
            visibility=visibility,
            fee_exempt_reason=fee_exempt_reason,
            reissue_of=original.number,
        )
    options = dict(original.options)
    as_of = options.pop("as_of", None)
    request = CertificateRequest(
        kind=original.kind,
        layout=original.layout,
        setai_no=options.pop("setai_no", original.setai_no),
        atena_nos=tuple(options.pop("atena_nos", ())),
        as_of=date.fromisoformat(as_of) if as_of else None,
        **{k: v for k, v in options.items() if k in CertificateRequest.__dataclass_fields__},
    )
    return issue(
        request,
        requester=requester,
        visibility=visibility,
        fee_exempt_reason=fee_exempt_reason,
        reissue_of=original,
    )


def _options(request: CertificateRequest) -> dict:
    data = {k: v for k, v in request.__dict__.items() if k not in ("kind", "layout", "setai_no", "atena_nos")}
    data["as_of"] = request.as_of.isoformat() if request.as_of else None
    data["atena_nos"] = list(request.atena_nos)
    data["setai_no"] = request.setai_no
    return data


__all__ = [
    "Issued",
    "NotFound",
    "RequesterInfo",
    "RuleViolation",
    "issue",
    "issue_document",
    "register_reissue",
    "reissue",
]
