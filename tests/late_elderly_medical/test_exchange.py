"""The files exchanged with the 広域連合 on a generated town: the 所得 file out, a 賦課結果 in the
広域連合's layout computed from it, the import, our check finding no difference — and the one
we altered; the 異動 file starting where the last one ended; queries per page that do not grow
with the page; audit rows and events."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from yakuba.late_elderly_medical import services as kouki
from yakuba.late_elderly_medical.codes import Collection, Decided, ExportKind
from yakuba.late_elderly_medical.events import RECEIVED
from yakuba.late_elderly_medical.models import Export, PremiumResult, Qualification
from yakuba.late_elderly_medical.rules.parameters import kouiki_rates
from yakuba.late_elderly_medical.services import exchange, recompute
from yakuba.late_elderly_medical.services.premium_import import COLUMNS, MONTH_COLUMNS
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.generate import generate_population
from yakuba.tax.services import assessment, income_generate

YEAR = 2025
# 福島県's rates are not in kouki.toml: given as the operator would (--rates).
RATES = {"rates": {"per_capita": 47300, "income_rate": "9.67"}}


@pytest.fixture
def town(aizu, system_actor):
    with tenant_context(AIZU):
        generate_population(300, seed=7, as_of=date(2024, 12, 1))
        income_generate.generate(YEAR)
    assessment.run_initial(AIZU, YEAR)
    kouki.seed_insured(AIZU, date(2025, 3, 1))
    with tenant_context(AIZU):
        insured = kouki.insured_on(date(YEAR, 4, 1))
    assert len(insured) > 10
    return insured


def _rows(path, encoding="cp932") -> list[dict]:
    with open(path, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def _kouiki_file(shotoku: list[dict], *, encoding="cp932") -> bytes:
    """What the 広域連合 sends back: each 被保険者's premium computed from the 所得 file as it was
    received (grouped by 世帯番号), in the 賦課結果 layout — 徴収方法 left to the municipality,
    the pension given, the whole premium in July."""
    households = defaultdict(list)
    for row in shotoku:
        households[row["世帯番号"]].append(row)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    number = 10000000
    for people in households.values():
        people.sort(key=lambda r: r["続柄"] != "世帯主")
        body = {"fiscal_year": YEAR, **RATES, "household": [_person(r) for r in people]}
        result = kouki.calculate_kouki(kouki.KoukiIn.model_validate(body))
        insured = [r for r in people if r["被保険者"] == "1"]
        for row, member in zip(insured, result["members"], strict=True):
            number += 1
            months = {c: "" for c in MONTH_COLUMNS} | {"7月": member["annual_premium"] or ""}
            writer.writerow(
                [
                    YEAR,
                    number,
                    row["宛名番号"],
                    member["annual_premium"],
                    member["per_capita_levy"],
                    member["income_levy"],
                    "" if member["reduction"] == "none" else member["reduction"],
                    "",
                    row["公的年金等収入"] or "0",
                    "0",
                    *months.values(),
                ]
            )
    return out.getvalue().encode(encoding)


def _person(row: dict) -> dict:
    amounts = {
        k: int(row[k] or 0)
        for k in ("総所得金額等", "公的年金等収入", "公的年金等所得", "給与収入", "給与所得")
    }
    return {
        "role": "世帯主" if row["続柄"] == "世帯主" else "世帯員",
        "member": row["被保険者"] == "1",
        "birth_date": row["生年月日"],
        "public_pension_revenue": amounts["公的年金等収入"],
        "salary_revenue": amounts["給与収入"],
        "other_income": max(0, amounts["総所得金額等"] - amounts["公的年金等所得"] - amounts["給与所得"]),
    }


def test_round_trip_finds_no_difference_then_the_one_altered(town, tmp_path):
    out = tmp_path / "shotoku.csv"
    with tenant_context(AIZU):
        sent = kouki.export_shotoku(str(out), YEAR)
    shotoku = _rows(out)
    assert sent.rows == len(shotoku)
    assert {r["宛名番号"] for r in shotoku if r["被保険者"] == "1"} == town
    assert all(r["年度"] == str(YEAR) and r["課税区分"] in ("1", "2") for r in shotoku)
    # The 被保険者 and the 世帯主 of their 世帯 (the 軽減判定's persons), no other 世帯員.
    assert {r["続柄"] for r in shotoku if r["被保険者"] == "0"} == {"世帯主"}
    assert {r["世帯番号"] for r in shotoku} == {r["世帯番号"] for r in shotoku if r["被保険者"] == "1"}

    data = _kouiki_file(shotoku)
    with tenant_context(AIZU):
        try:
            lines = kouki.read_premiums(data)
        except kouki.PremiumsRejected as exc:
            raise AssertionError([str(i) for i in exc.issues]) from None
        received = kouki.load_premiums(lines, file_name="fuka.csv", data=data)
        assert received.rows == len(town) and received.fiscal_year == YEAR
        clean = kouki.verify(YEAR, rates=RATES)
    assert clean.differences == [] and clean.checked == len(town) == clean.same
    assert clean.not_received == [] and clean.not_insured_on_day == []

    # A corrected line for one person: a new version of that person only, and the check names it.
    lines = data.decode("cp932").splitlines()
    cells = lines[1].split(",")
    atena_no, before = cells[2], int(cells[3])
    cells[3] = cells[COLUMNS.index("7月")] = str(before - 100)
    corrected = "\r\n".join([lines[0], ",".join(cells)]).encode("cp932")
    with tenant_context(AIZU):
        kouki.load_premiums(kouki.read_premiums(corrected), file_name="fuka-2.csv", data=corrected)
        altered = kouki.verify(YEAR, rates=RATES)
        in_force = kouki.latest_results(YEAR)
    assert in_force[atena_no].version == 2 and in_force[atena_no].premium == before - 100
    assert {r.version for a, r in in_force.items() if a != atena_no} == {1}
    assert altered.differences == [
        recompute.Difference(atena_no, "保険料額", f"{before - 100:,}", f"{before:,}")
    ]
    with tenant_context(AIZU):
        checks = AuditEntry.objects.filter(action="read", resource="late_elderly_medical.premium")
        assert [e.detail["differences"] for e in checks.order_by("id")] == [0, 1]


def test_collection_decided_by_rule_when_the_file_leaves_it_and_events_and_audit(town, tmp_path):
    out = tmp_path / "shotoku.csv"
    with tenant_context(AIZU):
        kouki.export_shotoku(str(out), YEAR, encoding="utf-8")
    data = _kouiki_file(_rows(out, "utf-8"))
    with tenant_context(AIZU):
        kouki.load_premiums(kouki.read_premiums(data), file_name="fuka.csv", data=data)
        rows = list(PremiumResult.objects.all())
        events = Event.objects.filter(type=RECEIVED).count()
        audit = set(AuditEntry.objects.values_list("action", "resource"))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert events == len(rows) == len(town)
    assert {r.decided_by for r in rows} == {Decided.RULE}
    for r in rows:  # 18万円 or more and the premium within half → 特別徴収 (rules/withholding)
        expected = (
            Collection.PENSION if r.pension >= 180000 and r.premium * 2 <= r.pension else Collection.DIRECT
        )
        assert r.collection == expected, (r.pension, r.premium)
    assert {Collection.PENSION, Collection.DIRECT} <= {r.collection for r in rows}
    assert ("export", "late_elderly_medical.export") in audit
    assert ("create", "late_elderly_medical.premium") in audit


def test_the_check_lists_a_collection_that_disagrees_with_the_rule(town, tmp_path):
    out = tmp_path / "shotoku.csv"
    with tenant_context(AIZU):
        kouki.export_shotoku(str(out), YEAR)
    lines = _kouiki_file(_rows(out)).decode("cp932").splitlines()
    way, pension = COLUMNS.index("徴収方法"), COLUMNS.index("特別徴収対象年金額")
    cells = lines[1].split(",")
    cells[way], cells[pension] = "特別", "100000"  # a pension under 18万円 cannot be withheld from
    data = "\r\n".join([lines[0], ",".join(cells), *lines[2:]]).encode("cp932")
    with tenant_context(AIZU):
        kouki.load_premiums(kouki.read_premiums(data), file_name="fuka.csv", data=data)
        result = kouki.verify(YEAR, rates=RATES)
    (difference,) = result.differences
    assert (difference.atena_no, difference.column, difference.theirs) == (cells[2], "徴収方法", "特別徴収")
    assert difference.ours.startswith("普通徴収（年金額 100,000円 が 180,000円 未満")


def test_verify_needs_the_kouiki_rates_of_the_year(town):
    with tenant_context(AIZU), pytest.raises(kouki.VerifyRejected, match="都道府県コード 07"):
        kouki.verify(YEAR)


def test_no_shotoku_file_or_check_before_the_resident_tax_of_the_year(town, tmp_path):
    with tenant_context(AIZU):
        with pytest.raises(kouki.ExchangeRejected, match="2024年度の個人住民税の当初課税が終わっていません"):
            kouki.export_shotoku(str(tmp_path / "s.csv"), 2024)
        with pytest.raises(kouki.ExchangeRejected, match="当初課税が終わっていません"):
            kouki.verify(2024, rates=RATES)
    assert not (tmp_path / "s.csv").exists()


def _queries(monkeypatch, page: int, run) -> int:
    monkeypatch.setattr(exchange, "PAGE", page)
    monkeypatch.setattr(recompute, "PAGE", max(page // 5, 1))
    with tenant_context(AIZU), CaptureQueriesContext(connections["default"]) as ctx:
        run()
    return len(ctx.captured_queries)


def test_queries_per_page_do_not_grow_with_the_page(town, tmp_path, monkeypatch):
    """A page of 1,000 persons costs the same few queries as a page of 40: nothing per person."""
    small = _queries(monkeypatch, 40, lambda: kouki.export_shotoku(str(tmp_path / "a.csv"), YEAR))
    large = _queries(monkeypatch, 1000, lambda: kouki.export_shotoku(str(tmp_path / "b.csv"), YEAR))
    assert large * 3 < small, (large, small)
    data = _kouiki_file(_rows(tmp_path / "b.csv"))
    with tenant_context(AIZU):
        kouki.load_premiums(kouki.read_premiums(data), file_name="fuka.csv", data=data)
    small = _queries(monkeypatch, 40, lambda: kouki.verify(YEAR, rates=RATES))
    large = _queries(monkeypatch, 1000, lambda: kouki.verify(YEAR, rates=RATES))
    assert large * 3 < small, (large, small)
    assert large < 40
    # The 異動 file: every 被保険者's 資格 row and 氏名・住所 digest, in fewer queries than persons.
    queries = _queries(monkeypatch, 1000, lambda: kouki.export_idou(str(tmp_path / "i.csv")))
    assert queries < 20 < len(town), (queries, len(town))


def test_the_idou_file_starts_where_the_last_one_ended(town, tmp_path):
    first, second, third = (tmp_path / f"idou-{n}.csv" for n in (1, 2, 3))
    with tenant_context(AIZU):
        done = kouki.export_idou(str(first))
        assert done.rows == Qualification.objects.count() == len(town)
        assert kouki.export_idou(str(second)).rows == 0
        # Someone 70 is certified 障害認定 by the 広域連合: the next file carries that one row.
        rows = _rows(first)
    assert {r["異動区分"] for r in rows} == {"取得"} and {r["異動事由"] for r in rows} == {"移行（初期登録）"}
    assert all(r["氏名カナ"] and r["生年月日"] and r["性別"] in ("1", "2") and r["住所"] for r in rows)
    with tenant_context(AIZU):
        candidate = _aged(70)
        kouki.enrol(candidate, date(2025, 6, 1), date(2025, 6, 3))
        later = kouki.export_idou(str(third))
        exports = list(
            Export.objects.filter(kind=ExportKind.IDOU)
            .order_by("id")
            .values_list("after_id", "through_id", "rows")
        )
    (row,) = _rows(third)
    assert (row["宛名番号"], row["異動事由"], row["異動日"], row["届出日"]) == (
        candidate,
        "障害認定",
        "2025-06-01",
        "2025-06-03",
    )
    assert later.after_id == done.through_id
    assert exports == [
        (0, done.through_id, len(town)),
        (done.through_id, done.through_id, 0),
        (done.through_id, later.through_id, 1),
    ]


def _aged(age: int) -> str:
    from yakuba.registry import services as registry

    people, _after = registry.inhabitants_page(date(2025, 6, 1), after="", limit=1000, purpose="test")
    return next(
        p.atena_no
        for p in people
        if p.birth_date and date(2025 - age - 1, 6, 2) <= p.birth_date <= date(2025 - age, 6, 1)
    )


def test_a_name_shift_jis_cannot_hold_refuses_the_file_naming_the_person(town, tmp_path, monkeypatch):
    original = exchange._idou_line

    def with_a_variant(*args):
        line = original(*args)
        return (line[0], "𠮷田 太郎", *line[2:])  # 𠮷 (U+20BB7) is not in cp932

    monkeypatch.setattr(exchange, "_idou_line", with_a_variant)
    target = tmp_path / "idou.csv"
    with tenant_context(AIZU), pytest.raises(kouki.ExchangeRejected, match="の氏名に Shift_JIS"):
        kouki.export_idou(str(target))
    assert not target.exists() and not (tmp_path / "idou.csv.partial").exists()
    with tenant_context(AIZU):
        assert not Export.objects.exists()
        kouki.export_idou(str(target), encoding="utf-8")
    assert "𠮷田 太郎" in target.read_text(encoding="utf-8-sig")


def test_the_cli_exports_imports_and_verifies(town, tmp_path, capsys):
    from yakuba.cli import main

    shotoku, rates = tmp_path / "shotoku.csv", tmp_path / "rates.json"
    rates.write_text(json.dumps(RATES), encoding="utf-8")
    assert main(["insurance", "kouki", "export", AIZU, "--kind", "shotoku", "--out", str(shotoku)]) == 2
    assert "--year（年度）を指定してください" in capsys.readouterr().err
    assert (
        main(
            [
                "insurance",
                "kouki",
                "export",
                AIZU,
                "--kind",
                "shotoku",
                "--year",
                str(YEAR),
                "--out",
                str(shotoku),
            ]
        )
        == 0
    )
    assert f"{YEAR}年度の所得 {len(_rows(shotoku))} 人" in capsys.readouterr().out
    assert main(["insurance", "kouki", "verify", AIZU, "--year", str(YEAR), "--rates", str(rates)]) == 1
    out = capsys.readouterr()
    assert out.out.count("\t賦課なし\t4月1日の被保険者") == len(town)  # nothing received yet
    fuka = tmp_path / "fuka.csv"
    fuka.write_bytes(_kouiki_file(_rows(shotoku)))
    assert main(["insurance", "kouki", "import", AIZU, "--file", str(fuka)]) == 0
    capsys.readouterr()
    assert main(["insurance", "kouki", "verify", AIZU, "--year", str(YEAR), "--rates", str(rates)]) == 0
    out = capsys.readouterr()
    assert out.out == "宛名番号\t項目\t広域連合\t検算\n"
    assert f"検算 {len(town)} 人、一致 {len(town)} 人、相違 0 人" in out.err
    assert main(["insurance", "kouki", "verify", AIZU, "--year", str(YEAR)]) == 2  # 福島県: no rates
    assert "都道府県コード 07" in capsys.readouterr().err
    assert (
        main(["insurance", "kouki", "export", AIZU, "--kind", "idou", "--out", str(tmp_path / "i.csv")]) == 0
    )
    assert f"被保険者異動 {len(town)} 件" in capsys.readouterr().out
    assert main(["insurance", "kouki", "exports", AIZU]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[1].split("\t")[1:5] == [
        "被保険者異動",
        f"資格の記録 1〜{_last_qualification()}",
        f"{len(town):,}",
        "i.csv",
    ]
    assert listed[2].split("\t")[1:5] == ["所得", f"{YEAR}年度", f"{len(_rows(shotoku)):,}", "shotoku.csv"]


def _last_qualification() -> int:
    with tenant_context(AIZU):
        return Qualification.objects.order_by("-id").values_list("id", flat=True)[0]


def test_every_kouiki_rate_in_the_data_is_a_valid_input_of_the_engine():
    """kouki.toml's rates per 年度 and prefecture go into the engine as contract §9.4's rates."""
    from yakuba.late_elderly_medical.rules.parameters import for_year, supported_years

    seen = 0
    for year in supported_years():
        table = for_year(year).kouiki_rates
        for prefecture in range(1, 48):
            rates = kouiki_rates(year, f"{prefecture:02d}")
            if rates is None:
                continue
            name = rates.pop("name")
            body = {
                "fiscal_year": year,
                "rates": rates,
                "household": [{"role": "世帯主", "birth_date": "1945-05-01"}],
            }
            (member,) = kouki.calculate_kouki(kouki.KoukiIn.model_validate(body))["members"]
            assert member["per_capita_levy"] <= rates["per_capita"], (year, name)
            seen += 1
        assert table is not None or year == 2026
    assert seen >= 20
    # 埼玉県 令和6年度 as its 算定例 prints: 7割軽減後の均等割 13,770円 (not 45,930 × 0.3 = 13,779)
    assert kouiki_rates(2024, "11")["reduced_per_capita"]["7割"] == 13770


def test_persons_under_shien_sochi_are_sent_flagged(town, tmp_path):
    """They are insured like anyone, so they are in the files — flagged for the 広域連合 to guard:
    the 所得 file by the 支援措置 of its 賦課期日, the 異動 file by today's."""
    from django.utils import timezone

    from yakuba.registry import services as registry

    then, now = sorted(town)[:2]
    with tenant_context(AIZU):
        registry.set_measure(then, starts_on=date(2025, 3, 1), kind="dv")
        registry.set_measure(now, starts_on=timezone.localdate(), kind="dv")
        kouki.export_shotoku(str(tmp_path / "s.csv"), YEAR)
        kouki.export_idou(str(tmp_path / "i.csv"))
    shotoku = {r["宛名番号"]: r["支援措置"] for r in _rows(tmp_path / "s.csv")}
    idou = {r["宛名番号"]: r["支援措置"] for r in _rows(tmp_path / "i.csv")}
    assert {a for a, flag in shotoku.items() if flag == "1"} == {then}
    assert {a for a, flag in idou.items() if flag == "1"} == {now}
    assert set(idou.values()) == {"", "1"}


def test_a_premium_for_someone_not_insured_on_april_1st_is_listed_not_compared(town):
    """A 障害認定 in June is 月割 by the 広域連合: our annual recomputation does not apply."""
    with tenant_context(AIZU):
        joined = _aged(70)
        kouki.enrol(joined, date(2025, 6, 1), date(2025, 6, 3))
        data = f"{','.join(COLUMNS)}\r\n{YEAR},20000001,{joined},39400,39400,0,,普通{',' * 14}".encode(
            "cp932"
        )
        kouki.load_premiums(kouki.read_premiums(data), file_name="fuka.csv", data=data)
        result = kouki.verify(YEAR, rates=RATES)
    assert result.not_insured_on_day == [joined] and result.checked == 0 and result.differences == []
    assert sorted(result.not_received) == sorted(town)
