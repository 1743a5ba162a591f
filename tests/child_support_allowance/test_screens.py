"""児童扶養手当 staff screens (福祉): the 認定請求 typed, refused next to its inputs, shown on a
確認 screen with the amount it decides (nothing recorded yet), then recorded; the 照会 with every
version and its steps; the 現況届 the same way; the 未提出 list (a protected 受給者 unnamed); other
roles 403; the 照会's queries do not grow with the history."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.child_support_allowance import town
from tests.conftest import AIZU
from tests.registry.ui.test_screens import protect, staff_client
from yakuba.child_support_allowance.models import Determination, Entitlement
from yakuba.child_support_allowance.services import FactsIn, entitlement, status_report
from yakuba.platform.tenancy.context import tenant_context

FULL = {"other_deductions": 50_000_000}


@pytest.fixture
def seeded(aizu, system_actor):
    town.build()
    return town.families(2)


@pytest.fixture
def clerk(seeded):
    return staff_client("fukushi", ["welfare"])


def _claim_form(parent: str, kids: list[str], **more) -> dict:
    return {
        "claimant_atena_no": parent,
        "claimant_kind": "mother",
        "ground": "divorce",
        "children": ", ".join(kids),
        "claimed_on": "R7.6.10",
        "certified_on": "2025-06-20",
        "other_deductions": "50,000,000",
        "bank_code": "0001",
        "branch_code": "123",
        "account_type": "1",
        "account_number": "1234567",
        "account_holder_kana": "ヤマダ ハナコ",
        **more,
    }


def test_a_claim_is_confirmed_then_recorded_and_shown_with_its_steps(clerk, seeded):
    (parent, kids), _other = seeded
    bad = clerk.post(
        "/child_support_allowance/claim/", {**_claim_form(parent, kids, bank_code="1"), "_step": "confirm"}
    )
    assert bad.status_code == 422
    assert 'href="#f-bank-code"' in bad.content.decode()
    unknown = clerk.post(
        "/child_support_allowance/claim/", {**_claim_form(parent, [kids[0], "12x"]), "_step": "confirm"}
    )
    assert unknown.status_code == 422 and 'href="#f-children"' in unknown.content.decode()
    confirm = clerk.post("/child_support_allowance/claim/", {**_claim_form(parent, kids), "_step": "confirm"})
    page = confirm.content.decode()
    assert confirm.status_code == 200 and "まだ登録されていません" in page and "全部支給" in page
    assert "2025年7月〜2025年10月" in page
    with tenant_context(AIZU):
        assert not Entitlement.objects.exists()
    done = clerk.post("/child_support_allowance/claim/", {**_claim_form(parent, kids), "_step": "apply"})
    assert done.status_code == 302 and done["Location"].endswith(f"atena_no={parent}")
    shown = clerk.get(done["Location"]).content.decode()
    assert "認定しました" in shown and "第1版 認定：全部支給" in shown and "所得額" in shown
    assert 'id="steps"' in shown and "所得制限限度額" in shown


def test_the_status_report_screen_and_the_work_list(clerk, seeded):
    (parent, kids), (other, other_kids) = seeded
    with tenant_context(AIZU):
        entitlement.apply_claim(town.claim(parent, kids, **FULL))
        entitlement.apply_claim(town.claim(other, other_kids, **FULL))
    status_report.open_reports(AIZU, 2025)
    protect(other)
    listed = clerk.get("/child_support_allowance/work/?year=2025").content.decode()
    assert (
        "未提出 2 件" in listed
        and parent in listed
        and other not in listed
        and "（表示できません）" in listed
    )
    url = f"/child_support_allowance/report/?atena_no={parent}&year=2025"
    form = {"received_on": "2025-08-20", "other_deductions": "50,000,000"}
    confirm = clerk.post(url, {**form, "_step": "confirm"}).content.decode()
    assert "2025年11月〜2026年3月" in confirm and "まだ登録されていません" in confirm
    assert clerk.post(url, {**form, "_step": "apply"}).status_code == 302
    with tenant_context(AIZU):
        assert Determination.objects.filter(benefit_year=2025).count() == 1
    again = clerk.post(url, {**form, "_step": "confirm"})
    assert again.status_code == 422 and "受付済み" in again.content.decode()
    hidden = clerk.get(f"/child_support_allowance/?atena_no={other}")
    assert hidden.status_code == 404


def test_the_lookup_costs_the_same_queries_however_long_the_history(clerk, seeded):
    (parent, kids), _other = seeded
    with tenant_context(AIZU):
        entitlement.apply_claim(town.claim(parent, kids, **FULL))
    with CaptureQueriesContext(connection) as short:
        clerk.get(f"/child_support_allowance/?atena_no={parent}")
    with tenant_context(AIZU):
        status_report.record_report(parent, 2025, date(2025, 8, 20), FactsIn(**FULL))
        row = Entitlement.objects.get()
        entitlement.determine(row, 2025, FactsIn(), "revised")
    with CaptureQueriesContext(connection) as long:
        response = clerk.get(f"/child_support_allowance/?atena_no={parent}")
    assert "第2版 額改定" in response.content.decode()
    assert len(long) == len(short)


def test_other_roles_get_403(seeded):
    counter = staff_client("madoguchi", ["counter"])
    assert counter.get("/child_support_allowance/").status_code == 403
    assert counter.get("/child_support_allowance/work/").status_code == 403


def test_a_loss_notice_is_confirmed_then_ends_the_entitlement_with_that_month(clerk, seeded):
    (parent, kids), _other = seeded
    with tenant_context(AIZU):
        entitlement.apply_claim(town.claim(parent, kids, **FULL))
    url = f"/child_support_allowance/end/?atena_no={parent}"
    early = clerk.post(url, {"ended_on": "2025-01-31", "_step": "confirm"})
    assert early.status_code == 422 and 'href="#f-ended-on"' in early.content.decode()
    confirm = clerk.post(url, {"ended_on": "R7.9.15", "_step": "confirm"}).content.decode()
    assert "2025年9月（この月分まで支給）" in confirm
    assert clerk.post(url, {"ended_on": "R7.9.15", "_step": "apply"}).status_code == 302
    with tenant_context(AIZU):
        row = Entitlement.objects.get()
    assert (row.status, row.end_reason, row.last_month) == ("ended", "notified", date(2025, 9, 1))


def test_the_home_screen_counts_the_outstanding_reports_for_the_welfare_staff(clerk, seeded):
    page = clerk.get("/").content.decode()
    assert "児童扶養手当" in page and "現況届 未提出" in page


def test_an_added_child_is_confirmed_then_revises_the_year(clerk, seeded):
    (parent, kids), _other = seeded
    with tenant_context(AIZU):
        entitlement.apply_claim(town.claim(parent, kids[:1], **FULL))
    url = f"/child_support_allowance/child/?atena_no={parent}"
    form = {"child_atena_no": kids[1], "claimed_on": "R7.8.5"}
    confirm = clerk.post(url, {**form, "_step": "confirm"}).content.decode()
    assert "2025年9月分から" in confirm
    assert clerk.post(url, {**form, "_step": "apply"}).status_code == 302
    twice = clerk.post(url, {**form, "_step": "confirm"})
    assert twice.status_code == 422 and 'href="#f-child-atena-no"' in twice.content.decode()
    with tenant_context(AIZU):
        assert Determination.objects.filter(benefit_year=2024).count() == 2
