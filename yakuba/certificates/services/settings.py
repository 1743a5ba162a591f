"""The municipality's issuing settings: 認証者 (市区町村長) and 公印, the office, terminal and
printer of the 発行番号, the 手数料 (住民記録システム標準仕様書 §1: 公印, 認証者; §5.5 発行番号).

Kept with their history: a change is a new row, the newest is in force, and each certificate
keeps what it printed. Until a 管理者 registers them, a certificate names the municipality's
head by title only and cannot be issued (a 住民票の写し without its 認証者 is no certificate).
"""

from __future__ import annotations

from dataclasses import dataclass

from yakuba.certificates.models import IssuerSettings
from yakuba.platform.audit import log as audit_log
from yakuba.platform.audit.log import Action, current_actor
from yakuba.platform.municipalities.master import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.services import RuleViolation

MAX_SEAL_BYTES = 512 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Settings:
    certifier_title: str
    certifier_name: str
    seal_png: bytes
    office_name: str
    terminal_name: str
    printer_name: str
    fee: int
    registered: bool  # False: the defaults, nothing registered yet


def default_title(lg_code: str) -> str:
    """「会津若松市長」: the head of the municipality by its master name (a ward: 区長)."""
    return f"{lookup(lg_code).name}長"


def current() -> Settings:
    row = IssuerSettings.objects.order_by("-created_at", "-id").first()
    if row is None:
        return Settings(
            default_title(require_tenant().lg_code), "", b"", "本庁", "本庁1", "プリンタ001", 300, False
        )
    return Settings(
        row.certifier_title,
        row.certifier_name,
        bytes(row.seal_image),
        row.office_name,
        row.terminal_name,
        row.printer_name,
        row.fee,
        True,
    )


def update(**changes) -> Settings:
    """A new settings row: the current values with ``changes`` (keys of ``Settings`` but
    ``registered``); every broken rule at once."""
    values = {**current().__dict__, **changes}
    values.pop("registered")
    errors = []
    if not str(values["certifier_title"]).strip():
        errors.append(("certifier_title", "認証者の職名を入力してください（例：会津若松市長）"))
    if not str(values["certifier_name"]).strip():
        errors.append(("certifier_name", "認証者の氏名を入力してください"))
    seal = values["seal_png"] or b""
    if seal and (not seal.startswith(PNG_SIGNATURE) or len(seal) > MAX_SEAL_BYTES):
        errors.append(("seal_png", "公印の画像は 512KB 以下の PNG にしてください"))
    fee = values["fee"]
    if not isinstance(fee, int) or not 0 <= fee <= 10_000:
        errors.append(("fee", "手数料は 0〜10,000 円で入力してください"))
    for field in ("office_name", "terminal_name", "printer_name"):
        if not str(values[field]).strip() or len(str(values[field])) > 20:
            errors.append((field, "1〜20文字で入力してください"))
    if errors:
        raise RuleViolation(errors)
    IssuerSettings.objects.create(
        lg_code=require_tenant().lg_code,
        certifier_title=values["certifier_title"].strip(),
        certifier_name=values["certifier_name"].strip(),
        seal_image=seal,
        office_name=values["office_name"].strip(),
        terminal_name=values["terminal_name"].strip(),
        printer_name=values["printer_name"].strip(),
        fee=fee,
        created_by=current_actor().name,
    )
    audit_log.record(
        Action.UPDATE,
        "certificate_settings",
        detail={k: v for k, v in values.items() if k != "seal_png"} | {"seal": bool(seal)},
    )
    return current()


@dataclass(frozen=True)
class Change:
    """One settings row as the 管理者's history lists it (the 公印 only as present or not)."""

    created_at: object  # datetime
    created_by: str
    certifier_title: str
    certifier_name: str
    has_seal: bool
    office_name: str
    terminal_name: str
    printer_name: str
    fee: int


def history(limit: int = 50) -> list[Change]:
    """The settings rows, newest first: who changed what, and when."""
    from django.db.models.functions import Length

    rows = (
        IssuerSettings.objects.order_by("-created_at", "-id")
        .defer("seal_image")
        .annotate(seal_bytes=Length("seal_image"))[:limit]
    )
    return [
        Change(
            r.created_at,
            r.created_by,
            r.certifier_title,
            r.certifier_name,
            bool(r.seal_bytes),
            r.office_name,
            r.terminal_name,
            r.printer_name,
            r.fee,
        )
        for r in rows
    ]
