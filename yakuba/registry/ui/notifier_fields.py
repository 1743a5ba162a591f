"""The 届出人・本人確認 inputs of a 届出's form and the request items they make.

住民基本台帳法 第26条 (the 世帯主 or a 世帯員 may file for the others), 第27条 (the clerk checks
the identity of whoever files; 施行規則 第9条の2: one photo ID, or two other documents). The rules
are the service's (``services/notifier.py``); the form offers the choices and passes them on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yakuba.registry.codes import Channel, IdentityDocument, MoveKind, NotifierKind
from yakuba.registry.ui.fields import Section

if TYPE_CHECKING:
    from yakuba.registry.ui.forms import MoveForm

_CHOOSE = (("", "（選んでください）"),)


def notifier_section(form: MoveForm) -> Section:
    """Who filed and the document checked; 郵送 is offered for a 転出 only."""
    fields = [
        form._f(
            "notifier.kind",
            "届出人",
            kind="select",
            options=_CHOOSE + tuple(NotifierKind.choices),
            required=True,
            validate=False,
            size="s",
        ),
        form._f("notifier.name", "届出人の氏名", hint="本人以外のとき", size="m", maxlength=100),
        form._f("notifier.relation", "本人との関係", hint="例：妻、母、知人", size="s", maxlength=40),
        form._f("notifier.address", "届出人の住所", hint="代理人のとき", size="l"),
        form._f(
            "notifier.power_of_attorney",
            "委任状",
            kind="flag",
            options=(("1", "委任状を確認した（代理人のとき必須）"),),
            validate=False,
        ),
        form._f(
            "notifier.identity_document",
            "本人確認書類",
            kind="select",
            options=_CHOOSE + tuple(IdentityDocument.choices),
            required=True,
            validate=False,
            size="l",
        ),
        form._f(
            "notifier.identity_note", "本人確認の補足", hint="例：2点目の書類名", size="m", maxlength=100
        ),
    ]
    if form.kind == MoveKind.MOVE_OUT:
        fields.append(
            form._f(
                "notifier.channel",
                "届出の方法",
                kind="radio",
                options=tuple(Channel.choices),
                default=Channel.COUNTER,
                validate=False,
            )
        )
    note = "窓口に来た人の本人確認書類を選びます。写真のない書類は2点を確認し、補足に書きます。"
    return Section("届出人・本人確認", fields=fields, note=note)


def duplicates_section(form: MoveForm) -> Section:
    """The clerk's confirmation when the service finds a resident with the same 氏名 and 生年月日
    (``services/duplicates.py``): shown on every recording form, needed only then."""
    flag = form._f(
        "confirm_duplicates",
        "同一人でないことを確認済み",
        kind="flag",
        options=(("1", "氏名・生年月日が同じ住民と同一人でないことを確認した"),),
        validate=False,
    )
    note = "「氏名・生年月日が同じ住民がいます」と表示されたときだけ、本人に確認してからチェックします。"
    return Section("二重登録の確認", fields=[flag], note=note)


def notifier_request(form: MoveForm) -> dict:
    """The ``notifier`` item of the request, as typed (empty choices left to the service's
    messages)."""
    value = form._value
    notifier: dict = {
        "name": value("notifier.name"),
        "relation": value("notifier.relation"),
        "address": value("notifier.address"),
        "power_of_attorney": bool(value("notifier.power_of_attorney")),
        "identity_note": value("notifier.identity_note"),
        "channel": value("notifier.channel") or Channel.COUNTER,
    }
    for key in ("kind", "identity_document"):
        if value(f"notifier.{key}"):
            notifier[key] = value(f"notifier.{key}")
    return notifier


def notifier_lines(notifier) -> list[tuple[str, str]]:
    """The 届出人 as (label, text) lines for the 確認 screen, the history and the 処理票
    (``notifier``: the request's NotifierIn or the dict kept with the 異動)."""
    if notifier is None:
        return []
    data = notifier if isinstance(notifier, dict) else notifier.model_dump(mode="json")
    labels = {
        "kind": ("届出人", dict(NotifierKind.choices)),
        "name": ("氏名", None),
        "relation": ("本人との関係", None),
        "address": ("住所", None),
        "identity_document": ("本人確認書類", dict(IdentityDocument.choices)),
        "identity_note": ("本人確認の補足", None),
        "channel": ("届出の方法", dict(Channel.choices)),
    }
    lines = []
    for key, (label, choices) in labels.items():
        value = data.get(key)
        if value:
            lines.append((label, choices.get(value, value) if choices else str(value)))
    if data.get("power_of_attorney"):
        lines.append(("委任状", "あり"))
    return lines
