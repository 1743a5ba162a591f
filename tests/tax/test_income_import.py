"""課税資料 import (docs/tax-income-files.md) against real PostgreSQL: the files of tests/tax/data,
matched to a small 会津若松市 registered through the registry's API.

The town's persons moved in on 2025-06-01, so they are registered on 1月1日 of 令和8年度 (2026);
one moved in three days ago (registered only on a later 1月1日).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS, ADDRESS_2, days_ago, person, registry  # noqa: F401 (fixture)
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.tax import income_cli
from yakuba.tax.codes import Collection, Match, ReportKind
from yakuba.tax.models import ImportBatch, IncomeReport
from yakuba.tax.services.calculation import ResidentTaxIn, calculate_resident_tax
from yakuba.tax.services.income_import import (
    PURPOSE,
    RESOURCE,
    ReportsRejected,
    _same_place,
    load_reports,
    read_reports,
)

DATA = Path(__file__).parent / "data"
YEAR = 2026
BEFORE_JANUARY = "2025-06-01"


@pytest.fixture
def town(registry):  # noqa: F811
    """会津 太郎 (個人番号 on file) and 花子 in one 世帯; 若松 次郎 alone with a 方書; two 佐藤 誠 of
    the same birth at the same address (two 世帯); 新城 五郎, moved in after 1月1日."""
    family = registry.move_in(
        person("会津 太郎", "アイヅ タロウ", "1980-04-01", 1, "世帯主", my_number="123456789018"),
        person("会津 花子", "アイヅ ハナコ", "1987-04-01", 2, "妻"),
        move_date=BEFORE_JANUARY,
    )
    jiro = registry.move_in(
        person("若松 次郎", "ワカマツ ジロウ", "1975-05-05"), address=ADDRESS_2, move_date=BEFORE_JANUARY
    )
    for _ in range(2):
        registry.move_in(
            person("佐藤 誠", "サトウ マコト", "1990-02-02"),
            address=ADDRESS_2,
            move_date=BEFORE_JANUARY,
            confirm_duplicates=True,
        )
    goro = registry.move_in(
        person("新城 五郎", "シンジョウ ゴロウ", "2000-10-10", my_number="345678901234"), address=ADDRESS_2
    )
    ids = [p["atena_no"] for p in family["persons"]]
    return {
        "taro": ids[0],
        "hanako": ids[1],
        "jiro": jiro["persons"][0]["atena_no"],
        "goro": goro["persons"][0]["atena_no"],
    }


def _load(name: str, kind: str = ReportKind.SALARY, encoding: str = "utf-8"):
    data = (DATA / name).read_bytes()
    with bind_actor(SYSTEM), tenant_context(AIZU):
        return load_reports(
            read_reports(data, kind=kind, fiscal_year=YEAR, encoding=encoding),
            kind=kind,
            fiscal_year=YEAR,
            file_name=name,
        )


def _reports() -> dict[str, IncomeReport]:
    with tenant_context(AIZU):
        return {r.name: r for r in IncomeReport.objects.order_by("line_no")}


def _counts() -> tuple[int, int]:
    with tenant_context(AIZU):
        return ImportBatch.objects.count(), IncomeReport.objects.count()


def test_salary_file_imports_every_row_matched_by_number_and_by_identity(town):
    summary = _load("salary.csv")

    assert (summary.rows, summary.matched) == (7, 4)
    reports = _reports()
    assert len(reports) == 7
    taro, hanako, jiro, goro = (reports[n] for n in ("会津 太郎", "会津　花子", "若松 次郎", "新城 五郎"))
    assert (taro.match, taro.atena_no) == (Match.MY_NUMBER, town["taro"])
    # full-width space and digits, no prefecture, 和暦: the same person
    assert (hanako.match, hanako.atena_no) == (Match.IDENTITY, town["hanako"])
    assert str(hanako.birth_date) == "1987-04-01"
    # S50.5.5 and the 方書 after the registered address
    assert (jiro.match, jiro.atena_no) == (Match.IDENTITY, town["jiro"])
    assert (goro.match, goro.atena_no) == (Match.MY_NUMBER, town["goro"])
    assert (taro.payer_no, taro.payer_name, taro.collection) == (
        "0000012345",
        "株式会社会津精機",
        Collection.PAYROLL,
    )
    assert jiro.collection == Collection.DIRECT  # 普通徴収 = 1
    with tenant_context(AIZU):
        batch = ImportBatch.objects.get()
    assert (batch.id, batch.kind, batch.fiscal_year, batch.rows, batch.matched) == (
        summary.batch_id,
        ReportKind.SALARY,
        YEAR,
        7,
        4,
    )
    assert (batch.file_name, batch.created_by) == ("salary.csv", "system")
    assert {r.batch_id for r in reports.values()} == {batch.id}
    # moved in after 1月1日: matched by 個人番号, but a clerk should look at it
    assert summary.notes == [(8, "新城 五郎", "個人番号で該当しましたが、1月1日に住民登録がありません")]


def test_facts_come_out_in_the_calculation_shape(town):
    _load("salary.csv")
    reports = _reports()

    taro = reports["会津 太郎"].facts
    assert taro == {
        "incomes": {"salary": 5_000_000},
        "deductions": {"social_insurance": 500_000},
        "spouse": {"birth_date": "1987-04-01", "total_income": 450_000},
        "dependents": [
            {"birth_date": "2007-06-01", "total_income": 0},
            {"birth_date": "2011-06-01", "total_income": 0},
        ],
    }
    assert reports["若松 次郎"].facts == {
        "incomes": {"salary": 3_200_000},
        "deductions": {
            "social_insurance": 420_000,
            "life_insurance": {
                "new_general": 40_000,
                "old_general": 60_000,
                "old_pension": 12_000,
                "new_care_medical": 30_000,
            },
            "earthquake_insurance": 15_000,
        },
        "dependents": [{"birth_date": "2012-04-01", "total_income": 0}],
        # ひとり親 marked 1: 父 from the registry's 性別
        "taxpayer": {"disability": "general", "single_parent": "father"},
    }
    # The calculation takes the facts as they are: 新潟市's published example (docs/tax.md), in
    # 新潟市 (in 会津若松市 福島県's 森林環境税 adds 1,000 to the 均等割).
    body = {"fiscal_year": YEAR, "lg_code": "151009", **taro}
    body["taxpayer"] = {"birth_date": "1980-04-01", **taro.get("taxpayer", {})}
    assert calculate_resident_tax(ResidentTaxIn.model_validate(body))["total"] == 194_500
    jiro = reports["若松 次郎"].facts
    calculate_resident_tax(
        ResidentTaxIn.model_validate(
            {**jiro, "fiscal_year": YEAR, "taxpayer": {"birth_date": "1975-05-05", **jiro["taxpayer"]}}
        )
    )


def test_unmatched_rows_are_stored_and_listed_with_their_reason(town):
    summary = _load("salary.csv")

    assert summary.unmatched == [
        (5, "磐梯 三郎", "該当なし"),
        (6, "猪苗代 四郎", "該当なし"),  # a valid 個人番号 nobody here holds
        (7, "佐藤 誠", "複数該当（2 人）"),
    ]
    reports = _reports()
    for name in ("磐梯 三郎", "猪苗代 四郎", "佐藤 誠"):
        assert (reports[name].match, reports[name].atena_no) == (Match.UNMATCHED, "")


def test_identity_needs_the_same_address_a_room_may_follow(town):
    data = (
        "氏名,生年月日,住所,支払金額\n"
        "会津 太郎,1980-04-01,福島県会津若松市東栄町3番4号,1\n"  # not 3番46号
        "会津 花子,1987-04-01,東栄町3番46号 2階,1\n"  # the room after the address
        "会津 花子,1987-04-01,,1\n"
    ).encode()
    with bind_actor(SYSTEM), tenant_context(AIZU):
        summary = load_reports(
            read_reports(data, kind=ReportKind.SALARY, fiscal_year=YEAR),
            kind=ReportKind.SALARY,
            fiscal_year=YEAR,
            file_name="x.csv",
        )
    assert summary.unmatched == [
        (2, "会津 太郎", "該当なし（氏名・生年月日が一致する人はいますが住所が異なります）"),
        (4, "会津 花子", "該当なし（住所がないため突合できません）"),
    ]
    with tenant_context(AIZU):
        assert IncomeReport.objects.get(line_no=3).atena_no == town["hanako"]


def test_a_room_after_a_trailing_number_needs_a_separator():
    assert _same_place("123番地1-101", "123番地1")
    assert not _same_place("123番地10", "123番地1")
    assert _same_place("3番46号101", "3番46号")
    assert not _same_place("3番4", "3番46号")


def test_a_file_with_three_bad_rows_names_all_three_and_writes_nothing(town):
    before = _counts()

    with pytest.raises(ReportsRejected) as caught:
        _load("salary_bad.csv")

    assert [str(i) for i in caught.value.issues] == [
        "3行目 個人番号: 個人番号の検査数字が正しくありません",
        "4行目 生年月日: 日付として読めません（昭和64年1月8日は存在しません（平成元年1月8日です））: 昭和64年1月8日",
        "6行目 支払金額: 金額は0以上です: -100",
    ]
    assert _counts() == before


def test_header_and_row_problems_are_reported_together():
    data = "氏名,生年月日,賞与,寡婦,ひとり親,配偶者の合計所得\n青木 一郎,2026-02-01,,1,母,100\n,1980-01-01,,x,,\n".encode()
    with pytest.raises(ReportsRejected) as caught:
        read_reports(data, kind=ReportKind.SALARY, fiscal_year=YEAR)
    assert [str(i) for i in caught.value.issues] == [
        "1行目 賞与: 給与支払報告書にない列です",
        "1行目 支払金額: 必須の列がありません",
        "2行目 生年月日: 所得の年（2025年）の12月31日より後の日付です: 2026-02-01",
        "2行目 寡婦: 寡婦とひとり親は同時に指定できません",
        "2行目 配偶者の生年月日: 配偶者の合計所得があるのに生年月日がありません",
        "3行目 氏名: 氏名がありません",
        "3行目 寡婦: 1（該当）か空欄です: x",
    ]


def test_cp932_file(town):
    data = (DATA / "salary_cp932.csv").read_bytes()
    with pytest.raises(ReportsRejected) as caught:
        read_reports(data, kind=ReportKind.SALARY, fiscal_year=YEAR)
    assert [str(i) for i in caught.value.issues] == ["1行目: 文字コードが utf-8 ではありません"]

    summary = _load("salary_cp932.csv", encoding="cp932")

    assert (summary.rows, summary.matched, summary.unmatched) == (1, 1, [])
    hanako = _reports()["会津 花子"]
    assert (hanako.atena_no, hanako.payer_name, str(hanako.birth_date)) == (
        town["hanako"],
        "株式会社会津精機",
        "1987-04-01",
    )
    assert hanako.facts == {"incomes": {"salary": 1_030_000}, "deductions": {"social_insurance": 150_000}}


def test_pension_and_declaration_files(town):
    pension = _load("pension.csv", kind=ReportKind.PENSION)
    declaration = _load("declaration.csv", kind=ReportKind.DECLARATION)

    assert (pension.matched, declaration.matched) == (1, 1)
    with tenant_context(AIZU):
        rows = {r.kind: r for r in IncomeReport.objects.all()}
    assert (rows[ReportKind.PENSION].atena_no, rows[ReportKind.PENSION].collection) == (
        town["jiro"],
        Collection.PENSION,
    )
    assert rows[ReportKind.PENSION].facts == {
        "incomes": {"public_pension": 1_200_000},
        "deductions": {"social_insurance": 60_000},
    }
    assert (rows[ReportKind.DECLARATION].atena_no, rows[ReportKind.DECLARATION].match) == (
        town["taro"],
        Match.MY_NUMBER,
    )
    assert rows[ReportKind.DECLARATION].facts == {
        "incomes": {"business": 800_000, "dividends": 50_000},
        "deductions": {
            "social_insurance": 120_000,
            "life_insurance": {"new_general": 60_000},
            "medical_expenses": 150_000,
        },
        "tax_credits": {"furusato_donation": 30_000},
        "taxpayer": {"disability": "special"},
        "spouse": {"birth_date": "1987-04-01", "total_income": 0},
    }


def test_the_registry_reads_and_the_import_are_audited(town):
    summary = _load("salary.csv")

    with tenant_context(AIZU):
        reads = list(
            AuditEntry.objects.filter(resource="registry.inhabitants")
            .order_by("chain_no")
            .values("action", "purpose", "detail")
        )
        (write,) = AuditEntry.objects.filter(resource=RESOURCE).values("action", "purpose", "detail", "actor")
    assert [(r["action"], r["purpose"]) for r in reads] == [("read", PURPOSE), ("read", PURPOSE)]
    assert reads[0]["detail"] == {"my_numbers": 3, "found": 2}  # by 個人番号
    assert reads[1]["detail"]["as_of"] == "2026-01-01"  # the persons of 1月1日
    assert write == {
        "action": "create",
        "purpose": PURPOSE,
        "actor": "system",
        "detail": {
            "batch": str(summary.batch_id),
            "kind": "salary",
            "fiscal_year": YEAR,
            "file": "salary.csv",
            "rows": 7,
            "matched": 4,
        },
    }


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="yakuba")
    income_cli.register(parser.add_subparsers(dest="command"), str)
    args = parser.parse_args(list(argv))
    return args.handler(args)


def test_cli_imports_lists_the_unmatched_and_check_keeps_nothing(town, capsys):
    path = str(DATA / "salary.csv")

    assert _cli("import", "tax-income", AIZU, path, "--kind", "salary", "--year", "2026", "--check") == 0
    out = capsys.readouterr().out
    assert "7 件（突合済み 4 件、未突合 3 件）を検証しました" in out
    assert "7行目 佐藤 誠: 未突合 複数該当（2 人）" in out
    assert _counts() == (0, 0)

    assert _cli("import", "tax-income", AIZU, path, "--kind", "salary", "--year", "2026") == 0
    out = capsys.readouterr().out
    assert f"{path} を取り込みました: 7 件（突合済み 4 件、未突合 3 件）" in out
    assert _counts() == (1, 7)


def test_cli_prints_every_bad_row_and_exits_1(town, capsys):
    path = str(DATA / "salary_bad.csv")

    assert _cli("import", "tax-income", AIZU, path, "--kind", "salary", "--year", "2026") == 1

    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{path}: 3行目 個人番号: 個人番号の検査数字が正しくありません"
    assert err[-1] == f"{path}: 3 件の誤りがあるため取り込みませんでした"
    assert _counts() == (0, 0)


def test_cli_refuses_a_bad_year():
    with pytest.raises(SystemExit):
        _cli("import", "tax-income", AIZU, "x.csv", "--kind", "salary", "--year", "26")
