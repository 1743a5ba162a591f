"""国民健康保険 資格確認書: the 一部負担金の割合 at each boundary of 国保法 §42, every printed item read
back from the PDF, the 有効期限 held to the day before the 75th birthday, a protected person hidden
and withheld from the batch, pages in a fixed number of queries with one audit row each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.health_insurance.test_notices import _text, cli  # noqa: F401 - the CLI with the documents
from tests.registry.ui.test_screens import protect
from yakuba.health_insurance import services as kokuho
from yakuba.health_insurance.rules.copay import copay_share, elderly_from, preschool_until, share_until
from yakuba.health_insurance.services import card
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.tenancy.context import require_tenant, tenant_context
from yakuba.registry import services as registry
from yakuba.registry.generate import generate_population

ON = date(2026, 4, 1)
VALID_UNTIL = date(2027, 7, 31)
ISSUED = date(2026, 3, 25)
INSURER = "070029"
SEE_ALL = registry.Visibility(protected=True)


# --- 一部負担金の割合 (国保法 §42 ①) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "share"),
    [
        (date(2020, 4, 1), date(2026, 3, 31), 2),  # reaches 6 on 3月31日: 就学前 ends that day
        (date(2020, 4, 1), date(2026, 4, 1), 3),
        (date(2020, 4, 2), date(2026, 4, 1), 2),  # reaches 6 on 4月1日: one more year
        (date(2020, 4, 2), date(2027, 3, 31), 2),
        (date(2020, 4, 2), date(2027, 4, 1), 3),
        (date(1956, 5, 1), date(2026, 4, 30), 3),  # reaches 70 on 4月30日: 2割 from 5月
        (date(1956, 5, 1), date(2026, 5, 1), 2),
        (date(1956, 5, 2), date(2026, 5, 31), 3),  # reaches 70 on 5月1日: 2割 from 6月
        (date(1956, 5, 2), date(2026, 6, 1), 2),
        (date(1956, 12, 15), date(2026, 12, 31), 3),  # December: from 1月 of the next year
        (date(1956, 12, 15), date(2027, 1, 1), 2),
        (date(1956, 1, 1), date(2026, 1, 1), 2),  # reaches 70 on 12月31日
        (None, date(2026, 4, 1), 3),  # 生年月日 不詳
    ],
)
def test_the_copay_share_at_each_boundary(birth, on, share):
    assert copay_share(birth, on) == share


def test_a_person_of_seventy_with_an_income_like_the_working_pays_three():
    assert copay_share(date(1956, 5, 1), date(2026, 5, 1), active_income=True) == 3
    assert copay_share(date(2020, 4, 2), date(2026, 4, 1), active_income=True) == 2  # not for a child
    assert preschool_until(date(2020, 4, 2)) == date(2027, 3, 31)
    assert elderly_from(date(1956, 11, 30)) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("birth", "on", "until"),
    [
        (date(2020, 4, 2), date(2026, 4, 1), date(2027, 3, 31)),  # 2割 until the 就学
        (date(2020, 4, 1), date(2026, 4, 1), date(2090, 3, 31)),  # 3割 until the month of reaching 70
        (date(1956, 5, 2), date(2026, 4, 1), date(2026, 5, 31)),  # 70 on 5月1日: 2割 from 6月
        (date(1956, 5, 1), date(2026, 5, 1), None),  # 2割 until 75 (国保 ends)
        (None, date(2026, 4, 1), None),
    ],
)
def test_the_share_holds_until(birth, on, until):
    assert share_until(birth, on) == until


# --- the card ------------------------------------------------------------------------------------


@pytest.fixture
def insured(aizu, system_actor):
    with tenant_context(AIZU):
        generate_population(300, seed=11, as_of=date(2025, 12, 1))
    kokuho.seed_insured(AIZU, date(2026, 3, 1))
    with tenant_context(AIZU):
        return sorted(kokuho.insured_on(ON))


def _pdf(atena_no: str, visibility=SEE_ALL) -> str:
    with tenant_context(AIZU):
        body, name = card.card_pdf(
            atena_no,
            on=ON,
            insurer_no=INSURER,
            valid_until=VALID_UNTIL,
            issued_on=ISSUED,
            visibility=visibility,
        )
    assert name.startswith(f"{card.TITLE}-") and name.endswith(f"-{atena_no}.pdf")
    return _text(body)


def test_the_card_prints_every_item(insured):
    with tenant_context(AIZU):
        people = registry.residents_of(insured, visibility=SEE_ALL)
        numbers = kokuho.insured_numbers(insured)
    child = next(a for a in insured if people[a].birth_date and people[a].birth_date > date(2021, 4, 1))
    adult = next(
        a
        for a in insured
        if people[a].birth_date and date(1960, 1, 1) < people[a].birth_date < date(1990, 1, 1)
    )
    for atena_no, share in ((child, 2), (adult, 3)):
        person = people[atena_no]
        text = _pdf(atena_no)
        with tenant_context(AIZU):
            household = registry.household(person.setai_no, visibility=SEE_ALL)
            head = registry.get_resident(household.head_atena_no, visibility=SEE_ALL)
        symbol, number, branch = numbers[atena_no]
        assert "国民健康保険 資格確認書" in text and "福島県会津若松市" in text
        assert f"保険者番号 {INSURER}" in " ".join(text.split())
        assert f"記号 {symbol} 番号 {number}（枝番 {branch}）" in " ".join(text.split())
        assert person.name in text and format_wareki(person.birth_date) in text
        assert ("男" if person.sex == 1 else "女") in text and head.name in text and person.address in text
        assert f"一部負担金の割合 {share}割" in " ".join(text.split())
        assert f"有効期限 {format_wareki(VALID_UNTIL)}" in " ".join(text.split())
        assert f"交付年月日 {format_wareki(ISSUED)}" in " ".join(text.split())
        assert text.count(format_wareki(ISSUED)) == 2  # the heading's date too
        assert f"資格取得年月日 {format_wareki(date(2026, 3, 1))}" in " ".join(text.split())
    with tenant_context(AIZU):
        printed = AuditEntry.objects.filter(resource=card.RESOURCE, action="print", purpose=card.TITLE)
        assert sorted(tuple(e.subject_ids) for e in printed) == sorted([(child,), (adult,)])


def test_the_card_ends_the_day_before_the_75th_birthday(insured):
    with tenant_context(AIZU):
        people = registry.residents_of(insured, visibility=SEE_ALL)
    old = next(
        a
        for a in insured
        if people[a].birth_date and date(1951, 8, 2) < people[a].birth_date < date(1952, 7, 1)
    )
    birth = people[old].birth_date
    text = " ".join(_pdf(old).split())
    assert f"有効期限 {format_wareki(birth.replace(year=birth.year + 75) - timedelta(days=1))}" in text
    assert "一部負担金の割合 2割" in text  # 70–74: 高齢受給者


def test_the_card_ends_where_its_share_would_change(insured):
    with tenant_context(AIZU):
        people = registry.residents_of(insured, visibility=SEE_ALL)
    born = {a: people[a].birth_date for a in insured if people[a].birth_date}
    school = next(a for a, b in born.items() if date(2020, 4, 2) <= b <= date(2021, 4, 1))
    text = " ".join(_pdf(school).split())
    assert f"有効期限 {format_wareki(date(2027, 3, 31))}" in text and "一部負担金の割合 2割" in text
    seventy = next(a for a, b in born.items() if elderly_from(b) <= VALID_UNTIL and b > date(1956, 4, 1))
    text = " ".join(_pdf(seventy).split())
    until = elderly_from(born[seventy]) - timedelta(days=1)
    assert f"有効期限 {format_wareki(until)}" in text and "一部負担金の割合 3割" in text


def test_refusals_are_one_japanese_message(insured):
    with tenant_context(AIZU):
        everyone = registry.inhabitants_page(ON, after="", limit=1000, purpose="test")[0]
    nobody = next(r.atena_no for r in everyone if r.atena_no not in insured)
    with tenant_context(AIZU), pytest.raises(card.CardRejected, match=f"宛名番号 {nobody} は令和8年4月1日に"):
        card.card_pdf(nobody, on=ON, insurer_no=INSURER, valid_until=VALID_UNTIL, visibility=SEE_ALL)
    with pytest.raises(card.CardRejected, match="保険者番号は6桁"):
        card.Terms.of(ON, "12345", VALID_UNTIL)
    with pytest.raises(card.CardRejected, match="有効期限は基準日以後"):
        card.Terms.of(ON, INSURER, ON - timedelta(days=1))


def test_a_protected_person_is_hidden_and_withheld_from_the_batch(insured):
    hidden = insured[3]
    protect(hidden)
    with bind_actor(SYSTEM), tenant_context(AIZU), pytest.raises(registry.NotFound):
        card.card_pdf(
            hidden, on=ON, insurer_no=INSURER, valid_until=VALID_UNTIL, visibility=registry.Visibility()
        )
    with tenant_context(AIZU):
        assert any(
            e.detail.get("refused") == "protected" for e in AuditEntry.objects.filter(subject_ids=[hidden])
        )
        page = card.cards_page(card.Terms.of(ON, INSURER, VALID_UNTIL), after="")
    assert hidden in page.withheld and hidden not in {c.atena_no for c in page.documents}


def test_a_page_is_read_in_a_fixed_number_of_queries_and_audited_once(insured):
    terms = card.Terms.of(ON, INSURER, VALID_UNTIL, ISSUED)
    counts = {}
    with bind_actor(SYSTEM), tenant_context(AIZU):
        for size in (5, 50):
            with CaptureQueriesContext(connections[require_tenant().alias]) as queries:
                page = card.cards_page(terms, after="", limit=size)
            assert 0 < len(page.documents) <= size
            counts[size] = len(queries)
        audits = AuditEntry.objects.filter(action="print", purpose=card.BATCH_PURPOSE).order_by("id")
        assert [e.detail["after"] for e in audits] == ["", ""]
        assert audits[1].detail["through"] == page.last and audits[1].detail["count"] == len(page.documents)
    assert counts[5] == counts[50] <= 10


def test_the_cli_writes_one_pdf_per_insured_person(insured, cli, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "cards"
    common = ("--date", ON.isoformat(), "--insurer", INSURER, "--valid-until", VALID_UNTIL.isoformat())
    assert cli("cards", AIZU, *common, "--out", str(out)) == 0
    written = sorted(p.name for p in out.iterdir())
    assert sorted(n.rsplit("-", 1)[1].removesuffix(".pdf") for n in written) == insured
    assert f"{len(insured):,} 人" in capsys.readouterr().out
    assert (
        cli("cards", AIZU, *common[:2], "--insurer", "x", "--valid-until", "2027-07-31", "--out", str(out))
        == 2
    )
    assert "保険者番号は6桁の数字で指定してください" in capsys.readouterr().err
    assert cli("cards", AIZU, *common, "--out", str(out), "--atena", "99999999") == 2
    assert "宛名番号 99999999" in capsys.readouterr().err
