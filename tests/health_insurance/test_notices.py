"""国民健康保険税 納税通知書 of a generated town's 本算定: every printed figure is the stored
version's (read back from the PDF's text), a 更正 says so, the 納期限 are the month's last open
day, a protected 納税義務者 is hidden as on the tax notice and withheld from the batch, the batch
reads a page in a fixed number of queries and writes one audit row per page."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.health_insurance.conftest import CHILD_REARING, RATES, THRESHOLDS_R8
from tests.health_insurance.test_annual import YEAR, town  # noqa: F401 - the generated town, 資格 seeded
from tests.registry.ui.test_screens import protect
from yakuba.health_insurance import services as kokuho
from yakuba.health_insurance.codes import LostReason
from yakuba.health_insurance.models import KokuhoHousehold, Member, PremiumAssessment
from yakuba.health_insurance.rules.due_dates import due_on
from yakuba.health_insurance.services import annual, notices
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.registry import services as registry
from yakuba.registry.models import Resident

SEE_ALL = registry.Visibility(protected=True)
# 支援金分 held to a low limit so that some 世帯 reach it
FILE = {
    "rates": {
        "child_rearing": CHILD_REARING,
        **RATES,
        "support": {**RATES["support"], "limit": 40000},
    },
    "reduction_thresholds": THRESHOLDS_R8,
    "installments": {"months": [7, 8, 9, 10, 11, 12, 1, 2], "unit": 100},
}


def _text(body: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def assessed(town):  # noqa: F811
    annual.run_annual(AIZU, YEAR, rates=FILE, workers=0)
    with tenant_context(AIZU):
        return list(PremiumAssessment.objects.order_by("setai_no"))


def _yen(n: int) -> str:
    return f"{n:,}"


def test_the_notice_prints_every_stored_figure(assessed):
    reduced = next(r for r in assessed if r.calculation["result"]["reduction"] != "none")
    capped = next(r for r in assessed if r.support == 40000)
    child = next(r for r in assessed if any(m["preschool"] for m in r.calculation["result"]["members"]))
    for row in {r.setai_no: r for r in (reduced, capped, child)}.values():
        with tenant_context(AIZU):
            body, name = notices.notice_pdf(row.setai_no, YEAR, visibility=SEE_ALL)
            head = registry.get_resident(row.head_atena_no, visibility=SEE_ALL)
        text = _text(body)
        result = row.calculation["result"]
        assert name == f"国民健康保険税 納税通知書-{YEAR}-{row.setai_no}.pdf"
        assert "令和8年度 国民健康保険税 納税通知書" in text and "会津若松市長" in text
        assert f"{head.name} 様" in text and head.address in text and row.setai_no in text
        assert f"〒{head.postal_code[:3]}-{head.postal_code[3:]}" in text
        for key, label in notices.PARTS:
            part = result[key]
            if not part["total"] and key == "care":
                continue
            line = next(line for line in text.splitlines() if line.strip().startswith(label))
            figures = [
                part[k] for k in ("income_levy", "per_capita_levy", "per_household_levy", "limit", "total")
            ]
            assert line.split()[1:6] == [_yen(f) for f in figures[:4]] + [
                _yen(figures[4]) + ("（限度額）" if sum(figures[:3]) > figures[3] else "")
            ]
        assert f"{_yen(row.total)} 円" in text
        for n, (month, amount) in enumerate(row.installments, 1):
            line = next(line for line in text.splitlines() if line.strip().startswith(f"第{n}期"))
            due = format_wareki(due_on(month))
            assert due in line and f"{_yen(amount)} 円" in line
        insured = [m for m in result["members"] if m["member"]]
        with tenant_context(AIZU):
            listed = notices.notice_of(row.setai_no, YEAR, visibility=SEE_ALL).insured
            names = registry.names_of([p.atena_no for p in listed], visibility=SEE_ALL)
        assert [p.months for p in listed] == [m["months"] for m in insured] and len(names) == len(listed)
        for person in listed:
            line = next(
                line for line in text.splitlines() if names[person.atena_no] in line and "か月" in line
            )
            assert f"{person.months}か月" in line and person.birth in line
        if result["reduction"] != "none":
            assert f"均等割額と平等割額を{result['reduction']}軽減しています" in text
        assert ("未就学児（均等割5割軽減）" in text) == any(m["preschool"] for m in insured)
        assert ("賦課限度額 40,000 円を超えるため" in text) == (row is capped or row.support == 40000)
        assert "更正後" not in text
    with tenant_context(AIZU):
        printed = AuditEntry.objects.filter(resource=annual.RESOURCE, action="print")
        assert {e.detail["setai_no"] for e in printed} == {reduced.setai_no, capped.setai_no, child.setai_no}
        assert all(
            row.head_atena_no in e.subject_ids for e in printed if e.detail["setai_no"] == row.setai_no
        )


def _version_2(row, **result) -> None:
    with tenant_context(AIZU):
        PremiumAssessment.objects.create(
            lg_code=AIZU,
            fiscal_year=YEAR,
            setai_no=row.setai_no,
            version=2,
            reason="correction",
            head_atena_no=row.head_atena_no,
            medical=row.medical,
            support=row.support,
            care=row.care,
            child_rearing=row.child_rearing,
            total=row.total - 1000,
            installments=[[row.installments[0][0], row.installments[0][1] - 1000], *row.installments[1:]],
            calculation={**row.calculation, "result": {**row.calculation["result"], **result}},
            created_at=row.created_at,
            created_by="test",
        )


def test_a_correction_says_it_and_the_total_before(assessed):
    row = assessed[0]
    _version_2(row)
    with tenant_context(AIZU):
        text = _text(notices.notice_pdf(row.setai_no, YEAR, visibility=SEE_ALL)[0])
    assert f"更正後の国民健康保険税です（第2版。更正前の年額 {_yen(row.total)} 円）" in text
    assert f"{_yen(row.total - 1000)} 円" in text and f"{_yen(row.installments[0][1] - 1000)} 円" in text


def test_a_premium_is_a_payment_notice_and_its_appeal_goes_to_the_prefectures_board(assessed):
    row = assessed[0]
    _version_2(row, levy_type="premium")
    with tenant_context(AIZU):
        body, name = notices.notice_pdf(row.setai_no, YEAR, visibility=SEE_ALL)
    text = _text(body)
    assert name.startswith("国民健康保険料 納入通知書-") and "令和8年度 国民健康保険料 納入通知書" in text
    assert "福島県国民健康保険審査会" in text and "国民健康保険法第91条" in text


def test_a_head_not_insured_is_the_pseudo_head(assessed):
    row = next(
        r
        for r in assessed
        if any(m["role"] == "世帯主" and not m["member"] for m in r.calculation["result"]["members"])
    )
    with tenant_context(AIZU):
        notice = notices.notice_of(row.setai_no, YEAR, visibility=SEE_ALL)
        text = _text(notices.notice_pdf(row.setai_no, YEAR, visibility=SEE_ALL)[0])
    assert notice.pseudo_head and row.head_atena_no not in {p.atena_no for p in notice.insured}
    assert "納税義務者（世帯主・擬制世帯主）" in text and "擬制世帯主" in text


def test_the_due_date_is_the_months_last_open_day():
    assert due_on("2026-07") == date(2026, 7, 31)  # a Friday
    assert due_on("2026-10") == date(2026, 11, 2)  # 10月31日 is a Saturday
    assert due_on("2027-01") == date(2027, 2, 1)  # 1月31日 is a Sunday
    assert due_on("2026-12") == date(2027, 1, 4)  # 12月29日–1月3日 are closed (地方税法 §20の5 ②)
    assert due_on("2027-02") == date(2027, 3, 1)  # 2月28日 is a Sunday
    assert due_on("2029-04") == date(2029, 5, 1)  # 4月30日 is the 振替休日 of 昭和の日 (a Monday)


def test_a_protected_head_is_hidden_and_the_batch_leaves_the_household_out(assessed):
    row = assessed[1]
    protect(row.head_atena_no)
    with bind_actor(SYSTEM), tenant_context(AIZU), pytest.raises(registry.NotFound):
        notices.notice_pdf(row.setai_no, YEAR, visibility=registry.Visibility())  # refusal written at unbind
    with tenant_context(AIZU):
        refused = AuditEntry.objects.filter(subject_ids=[row.head_atena_no])
        assert any(e.detail.get("refused") == "protected" for e in refused)
        page = notices.notices_page(YEAR, after="")
    assert row.setai_no in page.withheld and row.setai_no not in {n.setai_no for n in page.documents}
    with tenant_context(AIZU):  # a clerk with the right prints it
        assert row.head_atena_no in notices.notice_of(row.setai_no, YEAR, visibility=SEE_ALL).subjects


def test_a_household_without_a_premium_is_one_japanese_message(assessed):
    with tenant_context(AIZU), pytest.raises(notices.PremiumMissing, match="算定されていません"):
        notices.notice_pdf("999999999", YEAR, visibility=SEE_ALL)


def test_a_page_is_read_in_a_fixed_number_of_queries_and_audited_once(assessed):
    counts = {}
    with bind_actor(SYSTEM), tenant_context(AIZU):
        for size in (5, 50):
            with CaptureQueriesContext(connections[require_tenant().alias]) as queries:
                page = notices.notices_page(YEAR, after="", limit=size)
            assert len(page.documents) + len(page.withheld) == size
            counts[size] = len(queries)
        audits = AuditEntry.objects.filter(action="print", purpose=notices.BATCH_PURPOSE).order_by("id")
        assert [(e.detail["after"], e.detail["through"], e.detail["count"]) for e in audits] == [
            ("", assessed[4].setai_no, 5),
            ("", assessed[49].setai_no, 50),
        ]
    assert counts[5] == counts[50] <= 9


@pytest.fixture
def cli():
    """``yakuba insurance kokuho …`` (the documents' commands are in the same group)."""
    from yakuba.cli import main

    return lambda *options: main(["insurance", "kokuho", *options])


def test_the_cli_writes_one_pdf_per_household(assessed, cli, tmp_path, capsys):
    protect(assessed[2].head_atena_no)
    out = tmp_path / "notices"
    assert cli("notices", AIZU, "--year", str(YEAR), "--out", str(out)) == 0
    written = sorted(p.name for p in out.iterdir())
    expected = [r for r in assessed if r.setai_no != assessed[2].setai_no]
    assert written == [f"国民健康保険税 納税通知書-{YEAR}-{r.setai_no}.pdf" for r in expected]
    said = capsys.readouterr().out
    assert f"{len(expected):,} 世帯" in said and f"1 件 {assessed[2].setai_no}" in said
    assert f"{_yen(expected[0].total)} 円" in _text((out / written[0]).read_bytes())
    assert cli("notices", AIZU, "--year", str(YEAR), "--out", str(out), "--setai", "9999") == 2
    assert "世帯番号 9999 の2026年度の国民健康保険税（料）は算定されていません" in capsys.readouterr().err
    assert cli("notices", AIZU, "--year", "2025", "--out", str(out)) == 2
    assert "2025年度の本算定がありません" in capsys.readouterr().err


def test_the_provisional_notice_shows_its_basis_and_the_annual_keeps_its_months(town):  # noqa: F811
    from tests.health_insurance.test_annual import FILE as ANNUAL_FILE
    from tests.health_insurance.test_provisional import SCHEDULE
    from yakuba.health_insurance.codes import RunKind
    from yakuba.health_insurance.services import rates

    annual.run_annual(AIZU, YEAR - 1, rates={"rates": RATES})  # last 年度's tax, the 仮算定's base
    rates.set_rates(AIZU, YEAR, {**ANNUAL_FILE, "installments": SCHEDULE}, "仮算定あり", SYSTEM)
    annual.run_levy(AIZU, YEAR, RunKind.PROVISIONAL)
    with tenant_context(AIZU):
        row = PremiumAssessment.objects.filter(fiscal_year=YEAR, reason="provisional").order_by("setai_no")[0]
        body, name = notices.notice_pdf(row.setai_no, YEAR, visibility=SEE_ALL)
    text = _text(body)
    basis = row.calculation["provisional"]
    assert name == f"国民健康保険税 仮算定 納税通知書-{YEAR}-{row.setai_no}.pdf"
    assert "令和8年度 国民健康保険税 仮算定 納税通知書" in text
    assert f"年額 {_yen(basis['previous_total'])} 円を{basis['installments_in_year']}回" in " ".join(
        text.split()
    )
    assert [line.split()[0] for line in text.splitlines() if line.strip().startswith("第")] == [
        "第1期",
        "第2期",
        "第3期",
    ]
    assert "令和8年4月30日" in text and f"{_yen(row.installments[0][1])} 円" in text  # 4月30日: a Thursday
    assert "所得割額" not in text  # no parts before the 本算定

    annual.run_annual(AIZU, YEAR)
    with tenant_context(AIZU):
        decided = PremiumAssessment.objects.get(fiscal_year=YEAR, setai_no=row.setai_no, version=2)
        text = _text(notices.notice_pdf(row.setai_no, YEAR, visibility=SEE_ALL)[0])
    assert "令和8年度 国民健康保険税 納税通知書" in text and "仮算定の納期の額を含みます" in text
    assert "更正後" not in text and f"{_yen(decided.total)} 円" in text
    dues = [line for line in text.splitlines() if line.strip().startswith("第")]
    assert len(dues) == len(decided.installments) and f"{_yen(row.installments[0][1])} 円" in dues[0]


def test_two_members_born_the_same_day_are_named_by_their_stored_numbers(town):  # noqa: F811
    """Twins, the first by 宛名番号 gone from 国保 before the 年度 (not charged, not in the input):
    the notice names the other — matching by 生年月日 would have named the first."""
    with tenant_context(AIZU):
        heads = dict(KokuhoHousehold.objects.values_list("setai_no", "head_atena_no"))
        members = {}
        for setai_no, atena_no in (
            Member.objects.filter(insured=True)
            .order_by("setai_no", "atena_no")
            .values_list("setai_no", "atena_no")
        ):
            members.setdefault(setai_no, []).append(atena_no)
        setai_no, (first, second) = next(
            (s, [a for a in people if a != heads[s]][:2])
            for s, people in members.items()
            if len([a for a in people if a != heads[s]]) >= 2
        )
        Resident.objects.filter(atena_no__in=[first, second]).update(birth_date=date(2000, 5, 5))
        kokuho.withdraw(first, date(YEAR, 3, 31), LostReason.JOINED_EMPLOYEE_INSURANCE, date(YEAR, 4, 2))
    annual.run_annual(AIZU, YEAR, rates=FILE, workers=0)
    with tenant_context(AIZU):
        row = PremiumAssessment.objects.get(setai_no=setai_no)
        notice = notices.notice_of(setai_no, YEAR, visibility=SEE_ALL)
        names = registry.names_of([first, second], visibility=SEE_ALL)
    assert first not in row.calculation["atena_nos"] and second in row.calculation["atena_nos"]
    assert len(row.calculation["atena_nos"]) == len(row.calculation["input"]["household"])
    insured = {p.atena_no: p.name for p in notice.insured}
    assert second in insured and first not in insured and insured[second] == names[second]
    # A version stored before the numbers were kept falls back to matching by 生年月日 and does
    # name the first twin: the reason they are stored now.
    with tenant_context(AIZU):
        old = {k: v for k, v in row.calculation.items() if k != "atena_nos"}
        PremiumAssessment.objects.filter(id=row.id).update(calculation=old)
        before = notices.notice_of(setai_no, YEAR, visibility=SEE_ALL)
    assert first in {p.atena_no for p in before.insured}
