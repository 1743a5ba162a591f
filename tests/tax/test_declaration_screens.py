"""申告の入力・修正 and 再計算 on the 税務 screens, through the Django test client against real
PostgreSQL: 入力 → 確認 (the tax it leads to, nothing written) → 登録 (one report, replaced on a
correction, audited with what it replaced) → the 更正 shown on 課税照会; every refusal in Japanese
next to its input, with nothing half-written; 支援措置 and roles as on 課税照会."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import person, registry  # noqa: F401 (fixture)
from tests.registry.ui.test_screens import page, protect, staff_client
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door
from yakuba.registry.generate import generate_population
from yakuba.tax.codes import Match, ReportKind
from yakuba.tax.models import Assessment, ImportBatch, IncomeReport
from yakuba.tax.services import assessment, income_generate

pytestmark = pytest.mark.django_db
YEAR = 2026
URL = "/tax/declaration/"
# A counter 申告: a pension, 医療費, ふるさと納税 and a child of 15 (年少扶養: counted for 非課税).
FORM = {
    "incomes.public_pension": "1,800,000",
    "incomes.miscellaneous": "１２０，０００円",
    "deductions.social_insurance": "150000",
    "deductions.medical_expenses": "300000",
    "deductions.life_insurance.new_general": "60000",
    "tax_credits.furusato_donation": "30000",
    "dependent_rows": "1",
    "dependents[0].birth_date": "H22.5.1",
    "dependents[0].total_income": "",
    "dependents[0].living_together": "1",
    "dependents[0].relation": "child",
}


@pytest.fixture
def town(aizu):
    """120 residents registered since 2025-12-01 with their synthetic 課税資料 of 2026年度."""
    with bind_actor(SYSTEM), tenant_context(AIZU):
        generate_population(120, seed=11, as_of=date(2025, 12, 1))
        income_generate.generate(YEAR)


def adult() -> str:
    """A resident of 1月1日 born before 1990 (no age rule of the calculation in the way)."""
    with bind_actor(SYSTEM), tenant_context(AIZU):
        people, _last = door.inhabitants_page(date(YEAR, 1, 1), after="", limit=200, purpose="試験")
    return next(p.atena_no for p in people if p.birth_date and p.birth_date.year < 1990 and not p.protected)


def post(client, atena_no: str, step: str, **data):
    body = {"atena_no": atena_no, "fiscal_year": str(YEAR), "_step": step, **FORM, **data}
    return client.post(URL, {k: v for k, v in body.items() if v is not None})


def confirm_state(response) -> str:
    text = response.content.decode()
    return text.split('name="state" value="', 1)[1].split('"', 1)[0]


def declarations_of(atena_no: str) -> list[IncomeReport]:
    with tenant_context(AIZU):
        return list(IncomeReport.objects.filter(atena_no=atena_no, kind=ReportKind.DECLARATION))


def test_a_declaration_before_the_annual_run_is_one_report_of_its_own_batch(town):
    atena_no = adult()
    clerk = staff_client("zeimu", ["tax"])
    form = page(clerk.get(f"{URL}?atena_no={atena_no}&fiscal_year={YEAR}"))
    assert "住民税申告（2026年度・2025年分の所得）" in form and "医療費" in form and "扶養親族1" in form
    assert 'name="deductions.life_insurance.new_care_medical"' in form  # every item of the JSON

    confirm = post(clerk, atena_no, "confirm")
    text = page(confirm)
    assert confirm.status_code == 200 and "まだ登録されていません" in text
    assert "扶養親族1：生年月日" in text and "平成22年5月1日" in text and "300,000円" in text
    assert "年税額" in text and "当初課税はまだです" in text and declarations_of(atena_no) == []

    done = post(clerk, atena_no, "commit", state=confirm_state(confirm))
    assert done.status_code == 302 and done["Location"].startswith(f"/tax/?atena_no={atena_no}")
    after = page(clerk.get(done["Location"]))
    assert "申告を登録しました。当初課税のときにこの申告で課税します" in after
    [report] = declarations_of(atena_no)
    assert report.match == Match.MANUAL and report.collection == "direct"
    assert report.facts == {
        "incomes": {"public_pension": 1_800_000, "miscellaneous": 120_000},
        "deductions": {
            "social_insurance": 150_000,
            "medical_expenses": 300_000,
            "life_insurance": {"new_general": 60_000},
        },
        "dependents": [{"birth_date": "2010-05-01", "relation": "child"}],
        "tax_credits": {"furusato_donation": 30_000},
    }
    with tenant_context(AIZU):
        batch = ImportBatch.objects.get(id=report.batch_id)
        assert (batch.file_name, batch.rows, batch.matched, batch.created_by) == ("画面入力", 1, 1, "zeimu")
        audit = AuditEntry.objects.get(resource="tax.income_reports", action="create", subject_ids=[atena_no])
        assert audit.actor == "zeimu" and audit.detail["report"] == report.pk

    # The 当初課税 reads it as it reads a file: the 医療費 is in the assessment's input.
    with bind_actor(SYSTEM):
        assessment.run_initial(AIZU, YEAR)
    with tenant_context(AIZU):
        row = Assessment.objects.get(atena_no=atena_no)
    assert row.calculation["input"]["deductions"]["medical_expenses"] == 300_000


def test_a_correction_replaces_the_declaration_and_recalculates_with_the_reason(town):
    atena_no = adult()
    clerk = staff_client("zeimu", ["tax"])
    post(clerk, atena_no, "commit", state=confirm_state(post(clerk, atena_no, "confirm")))
    with bind_actor(SYSTEM):
        assessment.run_initial(AIZU, YEAR)
    [before] = declarations_of(atena_no)

    # The form opens on the 申告 as stored.
    form = page(clerk.get(f"{URL}?atena_no={atena_no}&fiscal_year={YEAR}"))
    assert 'value="300000"' in form and 'value="H22.5.1"' in form and "申告を修正します" in form

    corrected = {"deductions.medical_expenses": "500000"}
    confirm = post(clerk, atena_no, "confirm", **corrected)
    text = page(confirm)
    assert "今の課税（第1版）" in text and "更正の理由" in text and "登録して再計算する" in text

    # 登録 without the reason: said next to it, nothing written.
    missing = post(clerk, atena_no, "commit", state=confirm_state(confirm), **corrected)
    assert missing.status_code == 422 and "更正の理由を入力してください" in page(missing)
    assert declarations_of(atena_no)[0].facts == before.facts
    with tenant_context(AIZU):
        assert Assessment.objects.filter(atena_no=atena_no).count() == 1

    done = post(
        clerk, atena_no, "commit", state=confirm_state(confirm), note="医療費の領収書の追加", **corrected
    )
    assert done.status_code == 302
    shown = page(clerk.get(done["Location"]))
    assert "申告を修正しました。再計算して第2版になりました" in shown and "医療費の領収書の追加" in shown
    [after] = declarations_of(atena_no)  # replaced, not a second report: incomes are not doubled
    assert after.pk == before.pk and after.facts["deductions"]["medical_expenses"] == 500_000
    with tenant_context(AIZU):
        v2 = Assessment.objects.get(atena_no=atena_no, version=2)
        assert v2.reason == "correction" and v2.note == "医療費の領収書の追加"
        assert v2.calculation["input"]["incomes"]["public_pension"] >= 1_800_000
        audit = AuditEntry.objects.get(resource="tax.income_reports", action="update", subject_ids=[atena_no])
        assert audit.detail["before"] == before.facts  # the history of the 申告 is kept
        assert AuditEntry.objects.filter(
            resource="tax.assessment", action="update", subject_ids=[atena_no]
        ).exists()

    # The 確認 screen's state is stale now: a second 登録 from it is refused, nothing written.
    stale = post(clerk, atena_no, "commit", state=confirm_state(confirm), note="二重送信", **corrected)
    assert stale.status_code == 409 and "他の職員が先にこの人の申告か課税を更新しました" in page(stale)
    with tenant_context(AIZU):
        assert Assessment.objects.filter(atena_no=atena_no).count() == 2


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"dependents[0].birth_date": "R8.2.1"}, "f-dependents-0-birth-date", "12月31日より後に生まれた人"),
        (
            {"deductions.medical_expenses": "-5000"},
            "f-deductions-medical-expenses",
            "0円以上で入力してください",
        ),
        ({"incomes.salary": "百万円"}, "f-incomes-salary", "金額は円単位の数字で入力してください"),
        ({"spouse.total_income": "100000"}, "f-spouse-birth-date", "入力してください"),
        (
            {"taxpayer.widow": "1", "taxpayer.single_parent": "mother"},
            "f-taxpayer-widow",
            "同時に指定できません",
        ),
        ({"dependents[0].birth_date": "S99.1.1"}, "f-dependents-0-birth-date", "日付として読めません"),
        ({"incomes.business": "999999999999"}, "f-incomes-business", "金額が大きすぎます"),
    ],
)
def test_bad_input_is_said_next_to_its_field_and_nothing_is_written(town, data, field_id, message):
    atena_no = adult()
    clerk = staff_client("zeimu", ["tax"])
    response = post(clerk, atena_no, "confirm", **data)
    text = page(response)
    assert response.status_code == 422 and "入力内容に誤りがあります" in text
    block = text.split(f'id="wrap-{field_id}"', 1)[1].split("</div>", 1)[0]
    assert message in block, block
    assert f'href="#{field_id}"' in text  # the summary links to the input
    committed = post(clerk, atena_no, "commit", state="x", **data)
    assert committed.status_code == 422 and declarations_of(atena_no) == []


def test_every_error_at_once(town):
    """A schema refusal (a negative amount) does not hide the engine's (a child born too late)."""
    clerk = staff_client("zeimu", ["tax"])
    text = page(
        post(clerk, adult(), "confirm", **{"incomes.salary": "-1", "dependents[0].birth_date": "2026-03-01"})
    )
    assert "入力内容に誤りがあります（2件）" in text


def test_a_dependant_row_is_added_by_htmx_with_its_focus(town):
    clerk = staff_client("zeimu", ["tax"])
    row = page(clerk.get("/tax/declaration/dependent/?dependent_rows=1"))
    assert 'id="f-dependents-1-birth-date"' in row and "autofocus" in row and "扶養親族2" in row
    assert 'id="dependent-rows" name="dependent_rows" value="2" hx-swap-oob="true"' in row
    assert clerk.get("/tax/declaration/dependent/?dependent_rows=10").status_code == 204


def test_who_may_enter_a_declaration(town, registry):  # noqa: F811
    atena_no = adult()
    assert staff_client("madoguchi", ["counter"]).get(f"{URL}?atena_no={atena_no}").status_code == 403
    clerk = staff_client("zeimu", ["tax"])
    # Moved in after 1月1日: another municipality taxes them this year.
    newcomer = registry.move_in(person("新井 来人", "アライ キタト", "1990-02-02"))["persons"][0]["atena_no"]
    refused = clerk.get(f"{URL}?atena_no={newcomer}&fiscal_year={YEAR}")
    assert refused.status_code == 404 and "2026年1月1日に住民登録がありません" in page(refused)
    assert "宛名番号は数字で" in page(clerk.get(f"{URL}?atena_no=abc"))

    protect(atena_no)
    hidden = clerk.get(f"{URL}?atena_no={atena_no}&fiscal_year={YEAR}")
    assert hidden.status_code == 404 and "見つかりません" in page(hidden)
    sent = post(clerk, atena_no, "commit", state="x")
    assert sent.status_code == 404 and declarations_of(atena_no) == []
    with tenant_context(AIZU):
        refusals = AuditEntry.objects.filter(subject_ids=[atena_no], detail__refused="protected")
        assert refusals.count() >= 2


def test_recalculate_from_the_lookup_needs_a_reason_and_shows_the_new_version(town):
    with bind_actor(SYSTEM):
        assessment.run_initial(AIZU, YEAR)
    atena_no = adult()
    clerk = staff_client("zeimu", ["tax"])
    lookup = page(clerk.get(f"/tax/?atena_no={atena_no}&fiscal_year={YEAR}"))
    assert "再計算（第2版の更正）" in lookup and 'action="/tax/recalculate/"' in lookup

    missing = clerk.post("/tax/recalculate/", {"atena_no": atena_no, "fiscal_year": YEAR, "note": " "})
    assert missing.status_code == 422 and "再計算の理由を入力してください" in page(missing)
    done = clerk.post(
        "/tax/recalculate/", {"atena_no": atena_no, "fiscal_year": YEAR, "note": "職権による見直し"}
    )
    assert done.status_code == 302
    shown = page(clerk.get(done["Location"]))
    assert (
        "再計算しました（第2版" in shown and "職権による見直し" in shown and "再計算（第3版の更正）" in shown
    )
    with tenant_context(AIZU):
        assert list(
            Assessment.objects.filter(atena_no=atena_no).order_by("version").values_list("version", flat=True)
        ) == [1, 2]

    assert (
        staff_client("madoguchi", ["counter"]).post("/tax/recalculate/", {"atena_no": atena_no}).status_code
        == 403
    )
    assert clerk.get("/tax/recalculate/").status_code == 405
    protect(atena_no)
    refused = clerk.post("/tax/recalculate/", {"atena_no": atena_no, "fiscal_year": YEAR, "note": "x"})
    assert refused.status_code == 404
    with tenant_context(AIZU):
        assert Assessment.objects.filter(atena_no=atena_no).count() == 2
        assert AuditEntry.objects.filter(
            resource="tax.assessment", action="update", subject_ids=[atena_no], detail__refused="protected"
        ).exists()
