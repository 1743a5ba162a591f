"""国保の税率 screen: the 年度's current rates and every version (版, 登録日時, 登録者, 理由) for the
保険年金 staff and the 管理者, 403 for 窓口; the 管理者's new version typed over the current one,
shown as what changes, then registered with its reason and an audit row; a bad rate or no
reason is refused on its input (422) with nothing written; the page's queries are bounded."""

from __future__ import annotations

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import AIZU
from tests.health_insurance.test_annual import FILE, YEAR
from tests.registry.ui.test_screens import staff_client
from yakuba.health_insurance.models import RatesVersion
from yakuba.health_insurance.services import rates
from yakuba.platform.audit.log import Actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db
URL = f"/health_insurance/rates/?year={YEAR}"
EDIT = f"/health_insurance/rates/edit/?year={YEAR}"


@pytest.fixture
def stored(aizu):
    """Version 1 of the 年度's rates, registered from the CLI's file."""
    return rates.set_rates(AIZU, YEAR, FILE, "令和8年度 条例", Actor("staff", "管理者 一郎"))


@pytest.fixture
def admin(stored):
    return staff_client("kanri", ["admin"])


def _text(response) -> str:
    return response.content.decode()


def _inputs(html: str) -> dict[str, str]:
    """The form's inputs as the page prefilled them (name → value; a select's chosen option)."""
    found = dict(
        re.findall(r'<input class="input" type="text" id="[^"]+" name="([^"]+)" value="([^"]*)"', html)
    )
    for name, options in re.findall(
        r'<select class="input" id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        found[name] = chosen.group(1) if chosen else ""
    return found


def test_the_insurance_staff_and_the_admin_see_the_rates_and_their_history(stored, admin):
    clerk = staff_client("hoken", ["insurance"])
    page = _text(clerk.get(URL))
    assert "第1版" in page and "令和8年度 条例" in page and "管理者 一郎" in page
    assert "医療分" in page and "7.0％" in page and "30,000円" in page
    assert "子ども・子育て支援納付金分" in page and "18歳以上 +100円" in page
    assert "6月・7月・8月・9月・10月・11月・12月・1月・2月・3月" in page and "1,000円" in page
    assert 'id="rates-form"' not in page  # the 保険年金 staff read; the 管理者 registers
    assert 'id="rates-link"' in _text(clerk.get("/health_insurance/"))
    shown = _text(admin.get(URL))
    assert 'id="rates-form"' in shown and "第1版" in shown
    inputs = _inputs(shown)
    assert inputs["rates.medical.income_rate"] == "7.0" and inputs["rates.medical.per_capita"] == "30000"
    assert inputs["installments.months"] == "6, 7, 8, 9, 10, 11, 12, 1, 2, 3"
    assert inputs["installments.unit"] == "1000"
    assert "国保の税率" in shown  # the 管理者's menu has it (no 照会 for this role)
    assert _text(admin.get("/health_insurance/rates/?year=2030")).count("版はありません") == 1


def test_other_roles_get_403(stored):
    counter = staff_client("madoguchi", ["counter"])
    assert counter.get(URL).status_code == 403
    assert counter.post(EDIT, {"_step": "confirm"}).status_code == 403
    clerk = staff_client("hoken", ["insurance"])
    assert clerk.post(EDIT, {"_step": "apply", "reason": "x"}).status_code == 403
    with tenant_context(AIZU):
        assert RatesVersion.objects.count() == 1


def test_a_change_through_the_form_is_confirmed_then_a_new_version_with_its_reason(admin):
    typed = {
        **_inputs(_text(admin.get(URL))),
        "rates.medical.per_capita": "32,000",
        "reason": "議会の修正議決",
    }
    confirm = admin.post(EDIT, {**typed, "_step": "confirm"})
    page = _text(confirm)
    assert confirm.status_code == 200 and "第2版の確認" in page
    changes = re.search(r'<table class="table changes-table" id="rates-changes">(.*?)</table>', page, re.S)[1]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td><strong>(.*?)</strong>", changes)
    assert rows == [
        ("医療分（基礎課税額）：均等割（被保険者1人あたり）", "30,000円", "32,000円"),
        ("変更の理由", "—", "議会の修正議決"),
    ]
    with tenant_context(AIZU):
        assert RatesVersion.objects.count() == 1  # the 確認 writes nothing
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    done = admin.post(EDIT, {**hidden, "_step": "apply"})
    assert done.status_code == 302 and done["Location"] == URL
    with tenant_context(AIZU):
        current = rates.rates_of(YEAR)
        audit = AuditEntry.objects.filter(resource=rates.RESOURCE, action="update").order_by("-id").first()
    assert current.version == 2 and current.reason == "議会の修正議決" and current.created_by == "kanri"
    assert current.payload["rates"]["medical"]["per_capita"] == 32000
    assert current.payload["rates"]["care"] == {**FILE["rates"]["care"]}  # the rest as it was
    assert current.payload["installments"]["months"] == FILE["installments"]["months"]
    assert audit.detail == {"fiscal_year": YEAR, "version": 2, "reason": "議会の修正議決"}
    assert audit.actor == "kanri" and audit.actor_type == "staff"
    assert "第2版" in _text(admin.get(URL))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rates.medical.income_rate", "120", "100"),
        ("rates.support.per_capita", "abc", "数字で入力してください"),
        ("installments.months", "7, 8", "納期"),
    ],
)
def test_a_bad_field_shows_its_error_and_writes_nothing(admin, field, value, message):
    typed = {**_inputs(_text(admin.get(URL))), field: value, "reason": "誤り"}
    for step in ("confirm", "apply"):
        response = admin.post(EDIT, {**typed, "_step": step})
        page = _text(response)
        assert response.status_code == 422
        wrap = re.search(
            r'id="wrap-f-' + re.escape(re.sub(r"[^0-9A-Za-z]+", "-", field)) + r'".*?</div>', page, re.S
        )
        assert 'aria-invalid="true"' in wrap[0] and message in wrap[0], wrap[0]
        assert "入力内容に誤りがあります" in page
    with tenant_context(AIZU):
        assert RatesVersion.objects.count() == 1


def test_a_reason_is_required(admin):
    typed = {**_inputs(_text(admin.get(URL))), "reason": " "}
    response = admin.post(EDIT, {**typed, "_step": "apply"})
    assert response.status_code == 422 and "変更の理由を入力してください" in _text(response)
    with tenant_context(AIZU):
        assert RatesVersion.objects.count() == 1


def test_a_bad_year_is_a_message(admin):
    response = admin.get("/health_insurance/rates/?year=abcd")
    assert response.status_code == 404 and "年度は西暦4桁で指定してください" in _text(response)


def test_the_page_reads_in_a_bounded_number_of_queries(admin):
    for n in range(5):
        rates.set_rates(AIZU, YEAR, FILE, f"改正{n}", Actor("staff", "管理者 一郎"))
    with CaptureQueriesContext(connections["default"]) as few:
        admin.get(URL)
    for n in range(20):
        rates.set_rates(AIZU, YEAR, FILE, f"再改正{n}", Actor("staff", "管理者 一郎"))
    with CaptureQueriesContext(connections["default"]) as many:
        page = _text(admin.get(URL))
    assert "第26版" in page and len(many) == len(few) <= 16, len(few)
