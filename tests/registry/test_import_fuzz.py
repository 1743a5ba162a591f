"""Fuzzing the import with damaged files: exit 1, every bad row reported, database unchanged.

Hypothesis damages a valid file (``import_samples``) in up to four 世帯 at once, one damage per
世帯, with the faults a migration file really has: a line in the wrong encoding, missing columns,
broken quoting, an impossible date, a bad check digit, a duplicate 宛名番号 or 個人番号, a second
世帯主, a 外国人 without 在留資格. Every damaged line must be reported; a report on an undamaged
line is allowed only where the damage explains it (a member of the same 世帯 — e.g. its 世帯主
line could not be read — or the other half of a duplicate).
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import AIZU
from tests.registry.import_samples import sample_rows
from tests.registry.test_import import _counts, _import
from yakuba.registry.layout import HEADERS

pytestmark = pytest.mark.django_db

HOUSEHOLDS = {0: 1, 1: 1, 2: 1, 3: 1, 4: 2, 5: 3, 6: 3, 7: 4}  # row index -> 世帯
ACTIVE = [i for i, r in enumerate(sample_rows()) if r["住民状態"] != "3"]
DAMAGES = (
    "encoding",
    "columns",
    "quoting",
    "date",
    "check_digit",
    "duplicate_atena",
    "duplicate_my_number",
    "second_head",
    "foreign_without_status",
)


def _line(cells: list[str]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def _damage(data, rows: list[dict]) -> tuple[bytes, set[int], set[int]]:
    """Damage ``rows``; returns (file bytes, damaged lines, lines a report may also name)."""
    count = data.draw(st.integers(1, 4), label="damages")
    households = data.draw(
        st.lists(
            st.sampled_from(sorted(set(HOUSEHOLDS.values()))), min_size=count, max_size=count, unique=True
        ),
        label="households",
    )
    damaged: dict[int, str] = {}
    partners: set[int] = set()
    expected: set[int] = set()
    for household in households:
        members = [i for i, h in HOUSEHOLDS.items() if h == household]
        kind = data.draw(st.sampled_from(DAMAGES), label="kind")
        free = [i for i in ACTIVE if HOUSEHOLDS[i] not in households]
        if kind == "second_head":
            candidates = [i for i in members if i in ACTIVE and rows[i]["続柄"] != "世帯主"]
        elif kind in ("duplicate_atena", "duplicate_my_number"):
            candidates = [i for i in members if i in ACTIVE] if free else []
        else:
            candidates = members
        if not candidates:
            continue
        i = data.draw(st.sampled_from(candidates), label="row")
        line = i + 2
        damaged[i] = kind
        expected.add(line)
        r = rows[i]
        if kind == "date":
            r["生年月日"] = data.draw(
                st.sampled_from(["2023-02-30", "1999-13-01", "2021-02-29", "2024/01/01"])
            )
        elif kind == "check_digit":
            r["宛名番号"] = r["宛名番号"][:-1] + str(
                (int(r["宛名番号"][-1]) + data.draw(st.integers(1, 9))) % 10
            )
        elif kind == "duplicate_atena":
            partner = data.draw(st.sampled_from(free), label="partner")
            r["宛名番号"] = rows[partner]["宛名番号"]
            partners.add(partner + 2)
            expected.discard(line)
            expected.add(max(line, partner + 2))  # the later occurrence is the duplicate
        elif kind == "duplicate_my_number":
            partner = data.draw(st.sampled_from(free), label="partner")
            r["個人番号"] = rows[partner]["個人番号"]
            partners.add(partner + 2)
            expected.discard(line)
            expected.add(max(line, partner + 2))
        elif kind == "second_head":
            r["続柄"] = "世帯主"
        elif kind == "foreign_without_status":
            r["住民種別"], r["在留資格"] = "2", ""
            r["国籍・地域"] = r["国籍・地域"] or "中国"
    text = [_line(list(HEADERS)).encode()]
    for i, r in enumerate(rows):
        cells = [r[h] for h in HEADERS]
        kind = damaged.get(i)
        if kind == "columns":
            cells = cells[: data.draw(st.integers(1, len(HEADERS) - 1), label="width")]
        line = _line(cells)
        if kind == "quoting":
            line = line.replace(cells[4], f'"{cells[4]}"x', 1)
        text.append(line.encode("cp932", "replace") if kind == "encoding" else line.encode())
    mates = {j + 2 for i in damaged for j, h in HOUSEHOLDS.items() if h == HOUSEHOLDS[i]}
    return b"".join(text), expected, expected | partners | mates


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_files_are_refused_with_every_bad_row_reported(aizu, tmp_path_factory, data):
    content, damaged, explained = _damage(data, sample_rows())
    assume(damaged)  # a drawn damage may not fit the drawn 世帯 (a second 世帯主 in a 1-person 世帯)
    path = tmp_path_factory.mktemp("fuzz") / "damaged.csv"
    path.write_bytes(content)
    before = _counts(AIZU)
    summary, issues = _import(path)
    assert summary is None, "a damaged file was imported"
    reported = {int(i.split("行目")[0]) for i in issues}
    assert damaged <= reported, (damaged - reported, issues)
    assert reported <= explained, (reported - explained, issues)
    assert _counts(AIZU) == before
