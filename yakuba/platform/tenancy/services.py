"""Registering municipalities (the only door to the tenant directory)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

from yakuba.platform.municipalities import UnknownMunicipality, lookup, registrable_reason
from yakuba.platform.tenancy.context import forget_alias
from yakuba.platform.tenancy.models import Municipality


class MunicipalityError(ValueError):
    """The code cannot be registered (one-line reason for the user)."""


# Sent once per municipality, after its directory row is committed, with ``lg_code``: the domains
# set up what a new municipality needs from its first day (e.g. the certificates' signing key)
# in their own ``AppConfig.ready`` — the platform names none of them. A receiver runs inside the
# municipality's ``tenant_context`` and binds its own audit actor (registering is the system's act).
municipality_registered = Signal()


def register_municipality(lg_code: str, *, db_alias: str = "default") -> tuple[Municipality, bool]:
    """Register ``lg_code`` with its name from the built-in master; idempotent.

    Refuses malformed codes, wrong check digits, unknown codes, prefectures and the wards of
    指定都市 (their registry is the city's), and unknown database aliases.
    """
    try:
        info = lookup(lg_code)
    except UnknownMunicipality as exc:
        raise MunicipalityError(str(exc)) from None
    reason = registrable_reason(info)
    if reason:
        raise MunicipalityError(reason)
    if db_alias not in settings.DATABASES:
        known = ", ".join(settings.DATABASES)
        raise MunicipalityError(f"データベース {db_alias!r} は設定されていません（設定済み: {known}）")
    with transaction.atomic(using="default"):
        existing = Municipality.objects.using("default").select_for_update().filter(lg_code=lg_code).first()
        if existing is not None:
            if existing.db_alias != db_alias:
                raise MunicipalityError(
                    f"{existing.full_name} は既にデータベース {existing.db_alias} に登録されています"
                )
            return existing, False
        municipality = Municipality.objects.using("default").create(
            lg_code=lg_code,
            name=info.name,
            name_kana=info.name_kana,
            prefecture=info.prefecture,
            full_name=info.full_name,
            db_alias=db_alias,
        )
    forget_alias(lg_code)
    _announce(lg_code)
    return municipality, True


def _announce(lg_code: str) -> None:
    from yakuba.platform.tenancy.context import tenant_context

    with tenant_context(lg_code):
        municipality_registered.send(sender=Municipality, lg_code=lg_code)
