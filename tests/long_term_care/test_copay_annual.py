"""The annual 利用者負担割合 (facts §4.3) on a generated town: 所得 from the tax app's 当初課税, 世帯
from the registry, each certified 第1号 decided once as the rule decides from an independent read
of both doors; a killed run resumes; queries bounded per page; one person later in the year; the
介護保険負担割合証 PDF (its printed items read back from the PDF's text), one and the batch; bad input
named per field and exit 2."""

from __future__ import annotations

import stat
from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.registry.ui.test_history_screens import pdf_text
from tests.registry.ui.test_screens import protect
from yakuba.long_term_care import services as kaigo
from yakuba.long_term_care.codes import CareLevel, CertificationKind
from yakuba.long_term_care.events import COPAY_DECIDED
from yakuba.long_term_care.models import CopayDecision
from yakuba.long_term_care.rules import copay as rules
from yakuba.long_term_care.rules.qualification import qualifying_day
from yakuba.long_term_care.services import Rejected, certification, copay, documents
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.registry.generate import generate_population
from yakuba.tax.services import assessment, income_generate

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = 2026
AUG1 = date(YEAR, 8, 1)
EVERYONE = registry.Visibility(protected=True)
COPAY = ["insurance", "kaigo", "copay", AIZU, "--year", str(YEAR)]


def test_the_judged_sum_counts_the_pension_revenue_instead_of_its_income():
    from types import SimpleNamespace

    # 年金収入 200万 (年金所得 90万) and 給与所得 50万: その他の合計所得金額 = 140万 − 90万 − 10万 = 40万.
    figures = SimpleNamespace(
        total_income=1_400_000,
        public_pension_revenue=2_000_000,
        pension_income=900_000,
        salary_income=500_000,
    )
    assert rules.judged_sum(YEAR, figures) == 2_400_000
    # Never below the 年金収入: a loss elsewhere does not take it under.
    figures.total_income = 800_000
    assert rules.judged_sum(YEAR, figures) == 2_000_000


def _certify(atena_no: str, applied: date, until: date) -> None:
    certification.add_certification(
        atena_no,
        applied,
        CertificationKind.NEW,
        level=CareLevel.CARE_1,
        decided_on=applied,
        valid_from=applied,
        valid_until=until,
    )


@pytest.fixture
def town(aizu, system_actor):
    """300 persons, the 2026 当初課税, 第1号 seeded on 3月1日; a 認定 from 6月10日 for the 8 65+ with the
    highest 所得 and 4 with the lowest, one 認定 that ended before 8月1日."""
    with tenant_context(AIZU):
        generate_population(300, seed=11, as_of=date(2025, 12, 1))
        income_generate.generate(YEAR)
    assessment.run_initial(AIZU, YEAR)
    kaigo.seed_insured(AIZU, date(2026, 3, 1))
    with tenant_context(AIZU):
        insured = sorted(kaigo.insured_on(AUG1))
        figures = assessment.figures_of(insured, YEAR)
        by_income = sorted(insured, key=lambda a: (-(figures[a].total_income if a in figures else 0), a))
        chosen = by_income[:8] + by_income[-4:]
        for atena_no in chosen:
            _certify(atena_no, date(2026, 6, 10), date(2026, 12, 31))
        ended = by_income[9]
        _certify(ended, date(2026, 3, 10), date(2026, 6, 30))
    return sorted(chosen), ended


def _expected(atena_no: str) -> tuple[int, int]:
    """(割合, 第1号 in the 世帯) from the registry's and the tax app's doors read another way."""
    person = registry.get_resident(atena_no, visibility=EVERYONE)
    births = registry.birth_dates_of(registry.household_members(person.setai_no) | {atena_no})
    members = [a for a, b in births.items() if b and qualifying_day(b) <= AUG1]
    figures = assessment.figures_of(members, YEAR)
    sums = [rules.judged_sum(YEAR, f) for f in (figures.get(m) for m in members) if f is not None]
    own = figures[atena_no].total_income if atena_no in figures else 0
    share, _reason = rules.decide(YEAR, own_income=own, household=sums)
    return int(share[0]), len(members)


def _decided() -> dict[str, tuple[int, int]]:
    with tenant_context(AIZU):
        return {
            a: (s, n)
            for a, s, n in CopayDecision.objects.filter(year=YEAR).values_list(
                "atena_no", "share", "household_count"
            )
        }


class Stop(Exception):
    pass


def test_each_certified_person_is_decided_once_as_the_rule_decides(town):
    chosen, ended = town

    def stop(_n):
        raise Stop

    with pytest.raises(Stop):
        copay.run_copay(AIZU, YEAR, progress=stop, page=3)
    assert len(_decided()) == 3  # the first page committed with the run's position
    with CaptureQueriesContext(connections["default"]) as queries:
        status = copay.run_copay(AIZU, YEAR, page=3)
    assert status.state == "done" and status.done == len(chosen)
    decided = _decided()
    assert sorted(decided) == chosen and ended not in decided
    with tenant_context(AIZU):
        expected = {a: _expected(a) for a in chosen}
    assert decided == expected
    assert {s for s, _n in decided.values()} >= {1, 2}  # the town has both
    # 3 more pages and the empty one: the queries per page do not grow with the persons.
    pages = 4
    # Measured: 60 — 6 to read a page, 8 to write it, the run's opening and end.
    assert len(queries) <= 12 + 14 * pages, [q["sql"][:80] for q in queries.captured_queries]
    with tenant_context(AIZU):
        assert Event.objects.filter(type=COPAY_DECIDED).count() == len(chosen)
        assert AuditEntry.objects.filter(resource=copay.RESOURCE, action="create").count() == 4
    # Done: running again writes nothing.
    assert copay.run_copay(AIZU, YEAR).done == len(chosen)
    assert len(_decided()) == len(chosen)


def test_the_card_prints_the_decision_and_the_person(town, tmp_path):
    chosen, _ended = town
    copay.run_copay(AIZU, YEAR)
    with tenant_context(AIZU):
        line = max((copay.copay_of(a, YEAR) for a in chosen), key=lambda x: x.share)
        body, name = documents.copay_card_pdf(line.atena_no, YEAR, visibility=EVERYONE)
        person = registry.get_resident(line.atena_no, visibility=EVERYONE)
    text = pdf_text(body, tmp_path)
    assert name == f"介護保険負担割合証-{YEAR}-{line.atena_no}.pdf"
    for printed in (
        "介護保険負担割合証",
        line.atena_no,
        person.name,
        person.address,
        line.share_label,
        "令和8年8月1日",
        "令和9年7月31日",
        "072028",
        "会津若松市",
        "交付年月日",
    ):
        assert printed in text, printed
    assert "昭和" in text or "大正" in text  # the 生年月日 in 和暦
    # 支援措置: not printed for staff who may not see the person.
    protect(line.atena_no)
    with tenant_context(AIZU), pytest.raises(registry.NotFound):
        documents.copay_card_pdf(line.atena_no, YEAR, visibility=registry.Visibility())
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(
            resource=copay.RESOURCE, action="print", subject_ids__contains=[line.atena_no]
        ).exists()


def test_the_cli_decides_and_writes_every_card_but_the_protected(town, tmp_path, capsys):
    from yakuba.cli import main

    chosen, _ended = town
    out = tmp_path / "cards"
    protect(chosen[1])  # withheld from the batch: his card is made at the counter
    assert (
        main(
            [
                *COPAY,
                "--out",
                str(out),
                "--insurer-no",
                "070001",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert f"{len(chosen)} 人" in printed and "1割" in printed
    assert f"一括作成から除きました（窓口で個別に作成してください）: 1 件 {chosen[1]}" in printed
    files = sorted(out.iterdir())
    assert len(files) == len(chosen) - 1 and not any(chosen[1] in f.name for f in files)
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert "070001" in pdf_text(files[0].read_bytes(), tmp_path)
    assert main(["insurance", "kaigo", "copay", AIZU, "--year", "2031"]) == 2
    assert "year:" in capsys.readouterr().err
    assert main([*COPAY, "--insurer-no", "12"]) == 2
    assert "insurer_no: 保険者番号は6桁の数字です" in capsys.readouterr().err
    (tmp_path / "a-file").write_text("")
    assert (
        main(
            [
                *COPAY,
                "--out",
                str(tmp_path / "a-file" / "x"),
            ]
        )
        == 2
    )
    assert "出力先に書き込めません" in capsys.readouterr().err


def test_a_certification_later_in_the_year_is_decided_from_its_start(town):
    chosen, ended = town
    later = date(2026, 9, 10)
    with tenant_context(AIZU):
        with pytest.raises(Rejected) as refused:
            copay.decide_one(ended, YEAR, from_day=later)
        assert refused.value.errors[0]["field"] == "atena_no"
        _certify(ended, later, date(2027, 3, 31))
        line = copay.decide_one(ended, YEAR, from_day=later)
        assert line.valid_from == later and line.valid_until == date(2027, 7, 31)
        assert (line.share, line.household_count) == _expected(ended)
        with pytest.raises(Rejected) as refused:
            copay.decide_one(ended, YEAR, from_day=date(2027, 8, 1))
        assert refused.value.errors[0]["field"] == "from_day"
        with pytest.raises(Rejected) as refused:
            documents.copay_card_pdf(chosen[0], YEAR, visibility=EVERYONE)  # not decided yet
        assert refused.value.errors[0]["field"] == "atena_no"
