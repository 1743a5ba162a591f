"""Catching a person recorded twice: a 転入, 出生 or 職権記載 of someone already a resident.

A 住民票 is one per person (住民基本台帳法 第6条・第7条); a second 転入 of the same family (a
double submission, a client retrying after a timeout, two clerks at two counters) would give
them two 住民票, two 住民票コード and two entries in every tax and insurance roll. A person with
the same 氏名 (or フリガナ) and 生年月日 as a current resident is held until the clerk confirms
that they are not the same person (``confirm_duplicates``); the same person twice in one 異動
is refused outright.
"""

from __future__ import annotations

from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.prepared import prepared_cursor
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.codes import Status
from yakuba.registry.services import store
from yakuba.registry.services.move_work import Work
from yakuba.registry.services.protection import protected_among
from yakuba.registry.services.records import Visibility

_COLUMNS = ("atena_no", "name_key", "kana_key", "birth_sort_date", "address")
# Two index lookups (フリガナ, 氏名) in one prepared statement. Not a condition on 生年月日
# (a shared birth date would walk everyone born that day), nor one scan with OR (under row-level
# security its plan walks the whole town): the pairs with the 生年月日 are matched in Python.
_CANDIDATES_SQL = f"""
    SELECT {", ".join(_COLUMNS)} FROM registry_resident
     WHERE kana_key = ANY(%(kana)s::varchar[]) AND status = ANY(%(current)s::smallint[])
    UNION ALL
    SELECT {", ".join(_COLUMNS)} FROM registry_resident
     WHERE name_key = ANY(%(names)s::varchar[]) AND status = ANY(%(current)s::smallint[])
"""
CONFIRM = "同一人でないことを確認したうえで「同一人でないことを確認済み」を指定してください"


def check_duplicates(work: Work, visibility: Visibility) -> None:
    """Persons this 異動 records who look like a current resident (one query for all of them).

    A protected resident (支援措置) is never named to a caller who may not see them, not even as
    a possible duplicate: the match is left out and only counted in the 異動's audit row."""
    new = {
        int(k.removeprefix("new:")): v
        for k, v in work.changes.items()
        if k.startswith("new:") and v.get("birth_sort_date") and (v.get("name") or v.get("name_kana"))
    }
    if not new:
        return
    keys: dict[int, tuple[str, str]] = {}
    seen: dict[tuple, int] = {}
    for index, values in sorted(new.items()):
        name_key, kana_key, _alias = store.search_keys(
            values.get("name") or "", values.get("name_kana") or "", None
        )
        keys[index] = (name_key, kana_key)
        for key in ((name_key, values["birth_sort_date"]), (kana_key, values["birth_sort_date"])):
            if key[0] and key in seen and seen[key] != index:
                work.errors.add(f"persons[{index}].name", f"{seen[key] + 1}人目と同じ人が入力されています")
                break
            seen.setdefault(key, index)
    pairs = {(k, new[i]["birth_sort_date"]) for i, both in keys.items() for k in both if k}
    with prepared_cursor(require_tenant().alias) as cursor:
        cursor.execute(
            _CANDIDATES_SQL,
            {
                "kana": sorted({kana for _name, kana in keys.values() if kana}),
                "names": sorted({name for name, _kana in keys.values() if name}),
                "current": [Status.RESIDENT, Status.MOVING_OUT],
            },
        )
        found = [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    # The same フリガナ or 氏名 is common; only those born the same day matter (each once).
    matches = list(
        {
            m["atena_no"]: m
            for m in found
            if (m["kana_key"], m["birth_sort_date"]) in pairs
            or (m["name_key"], m["birth_sort_date"]) in pairs
        }.values()
    )
    if not matches:
        return
    hidden = set() if visibility.protected else protected_among({m["atena_no"] for m in matches})
    if hidden:
        work.audit_detail["possible_duplicates_protected"] = len(hidden)
    confirmed = []
    for index, (name_key, kana_key) in sorted(keys.items()):
        born = new[index]["birth_sort_date"]
        same = [
            m
            for m in matches
            if m["atena_no"] not in hidden
            and m["birth_sort_date"] == born
            and (m["name_key"] == name_key or m["kana_key"] == kana_key)
        ]
        for m in same:
            who = f"宛名番号 {m['atena_no']}、{format_wareki(born)}生、{m['address']}"
            if work.request.confirm_duplicates:
                confirmed.append(m["atena_no"])
                work.warnings.append(
                    f"氏名・生年月日が同じ住民（{who}）と同一人でないことを確認して記載しました"
                )
            else:
                work.errors.add(
                    f"persons[{index}].name", f"氏名・生年月日が同じ住民がいます（{who}）。{CONFIRM}"
                )
    if confirmed:
        work.audit_detail["duplicates_confirmed"] = confirmed
