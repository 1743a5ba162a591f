"""The 受給 records through each door: the API (scopes, other tenant → 404, 422 naming the field,
支援措置 hidden without registry:protected), the CLI (JSON out, exit 2 with each reason) and the
福祉 staff screens (照会 with the amount history and steps, the 認定請求 form with its 確認 step,
額改定 and 消滅 forms, the work list and the 受給者 list in a fixed number of queries; other
roles get 403; a protected 受給者 does not exist for this role)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.child_allowance.conftest import ACCOUNT, claim_body
from tests.conftest import AIZU, CHIYODA
from tests.registry.conftest import TODAY, person, registry  # noqa: F401 (fixture)
from tests.registry.ui.test_screens import protect, staff_client
from yakuba.child_allowance.models import AmountPeriod, Entitlement, WorkItem
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(registry, system_actor):  # noqa: F811
    filed = registry.move_in(
        person("請求 太郎", "セイキュウ タロウ", "1983-02-02", 1, "世帯主"),
        person("請求 和子", "セイキュウ カズコ", "1985-03-03", 2, "妻"),
        person("請求 一子", "セイキュウ イチコ", "2019-09-09", 2, "子"),
        move_date=(TODAY - timedelta(days=20)).isoformat(),
    )
    return [p["atena_no"] for p in filed["persons"]]


def _body(claimant: str, **extra) -> dict:
    return claim_body(claimant, TODAY, **extra)


def _post(client, token, path, body, lg=AIZU):
    return client.post(
        f"/api/v1/{lg}/child-allowance/{path}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_api_claim_read_revise_end(client, token_for, family, chiyoda):
    head, wife, child = family
    write = token_for(AIZU, scopes=["child_allowance:write"])
    read = token_for(AIZU, scopes=["child_allowance:read"])
    assert _post(client, read, "claims", _body(head)).status_code == 403
    assert (
        _post(client, token_for(CHIYODA, scopes=["child_allowance:write"]), "claims", _body(head)).status_code
        == 404
    )
    bad = _post(client, write, "claims", _body(head, public_servant=True, bank_code="12"))
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} >= {"bank_code"}
    refused = _post(client, write, "claims", _body(head, public_servant=True))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "public_servant"
    made = _post(client, write, "claims", _body(head))
    assert made.status_code == 201, made.content.decode()
    out = made.json()
    assert out["status"] == "active" and out["periods"][0]["monthly_total"] == 10000
    assert out["periods"][0]["steps"][-1] == "月額の合計: 10,000円"
    got = client.get(
        f"/api/v1/{AIZU}/child-allowance/entitlements?claimant_atena_no={head}",
        HTTP_AUTHORIZATION=f"Bearer {read}",
    )
    assert got.status_code == 200 and got.json()[0]["children"][0]["atena_no"] == child
    assert (
        client.get(
            f"/api/v1/{AIZU}/child-allowance/entitlements?claimant_atena_no={wife}",
            HTTP_AUTHORIZATION=f"Bearer {read}",
        ).status_code
        == 404
    )
    ended = _post(
        client,
        write,
        "endings",
        {"claimant_atena_no": head, "reason": "public_servant", "on": TODAY.isoformat()},
    )
    assert ended.status_code == 200, ended.content.decode()
    assert (
        ended.json()["end_reason"] == "public_servant"
        and ended.json()["last_month"] == TODAY.replace(day=1).isoformat()
    )
    again = _post(
        client,
        write,
        "revisions",
        {"claimant_atena_no": head, "child": {"atena_no": child}, "claimed_on": TODAY.isoformat()},
    )
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "claimant_atena_no"


def test_api_hides_a_protected_claimant_without_the_scope(client, token_for, family):
    head, *_ = family
    write = token_for(AIZU, scopes=["child_allowance:write", "child_allowance:read", "registry:protected"])
    assert _post(client, write, "claims", _body(head)).status_code == 201
    protect(head)
    plain = token_for(AIZU, scopes=["child_allowance:read"])
    assert (
        client.get(
            f"/api/v1/{AIZU}/child-allowance/entitlements?claimant_atena_no={head}",
            HTTP_AUTHORIZATION=f"Bearer {plain}",
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/{AIZU}/child-allowance/entitlements?claimant_atena_no={head}",
            HTTP_AUTHORIZATION=f"Bearer {write}",
        ).status_code
        == 200
    )


def test_cli_claim_show_and_errors(family, tmp_path, capsys):
    from yakuba.cli import main

    head, *_ = family
    good = tmp_path / "claim.json"
    good.write_text(json.dumps(_body(head)), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_body(head, account_type="9")), encoding="utf-8")
    assert main(["child", "allowance", "claim", AIZU, "--input", str(bad)]) == 2
    assert "account_type" in capsys.readouterr().err
    assert main(["child", "allowance", "claim", AIZU, "--input", str(good)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["claimant_atena_no"] == head and shown["periods"][0]["monthly_total"] == 10000
    assert main(["child", "allowance", "show", AIZU, "--atena-no", head]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "active"
    assert main(["child", "allowance", "age-review", AIZU, "--month", TODAY.strftime("%Y-%m")]) == 0
    assert "額改定 0 件" in capsys.readouterr().out


def test_screens_claim_with_confirm_then_lookup_and_lists(family):
    head, wife, child = family
    clerk = staff_client("fukushi", ["welfare"])
    assert staff_client("mado", ["counter"]).get("/child_allowance/").status_code == 403
    form = {
        "claimant_atena_no": head,
        "claimed_on": TODAY.isoformat(),
        "household_choice": "on",
        "bank_code": "0005",
        "branch_code": "001",
        "account_type": "1",
        "account_number": "1111111",
        "account_holder_kana": "セイキュウ タロウ",
    }
    page = clerk.post("/child_allowance/claim/", {**form, "bank_code": "x", "_step": "confirm"})
    assert page.status_code == 422 and "金融機関コード" in page.content.decode()
    confirm = clerk.post("/child_allowance/claim/", {**form, "_step": "confirm"})
    text = confirm.content.decode()
    assert confirm.status_code == 200, re.findall(r"field-error.*?<span>(.*?)<", text, re.S)
    assert "の確認" in text and "10,000円" in text and "月額の合計: 10,000円" in text
    with tenant_context(AIZU):
        assert not Entitlement.objects.exists()  # nothing written before 登録する
    done = clerk.post("/child_allowance/claim/", {**form, "_step": "apply"})
    assert done.status_code == 302
    page = clerk.get(done["Location"])
    text = page.content.decode()
    assert "支給中" in text and "請求 一子" in text and "月額の合計: 10,000円" in text
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(resource="child_allowance.entitlement", action="read").exists()
    # 額改定認定請求 of a child living in another municipality (別居): its 確認 shows the new
    # amount (第2子 under 3: 15,000) and writes nothing; 登録する records it.
    revise = {
        "claimant_atena_no": head,
        "child.name": "請求 二子",
        "child.birth_date": (TODAY - timedelta(days=10)).isoformat(),
        "child.relationship": "子",
        "claimed_on": TODAY.isoformat(),
    }
    shown = clerk.post("/child_allowance/revise/", {**revise, "_step": "confirm"}).content.decode()
    assert "改定後の月額" in shown and "25,000円" in shown
    with tenant_context(AIZU):
        assert Entitlement.objects.get().children.count() == 1
    assert clerk.post("/child_allowance/revise/", {**revise, "_step": "apply"}).status_code == 302
    with tenant_context(AIZU):
        assert Entitlement.objects.get().children.filter(cohabitation="apart").count() == 1
    # 消滅届 through its form and 確認 step
    end = {"claimant_atena_no": head, "reason": "notified", "on": TODAY.isoformat()}
    assert "支給終了月" in clerk.post("/child_allowance/end/", {**end, "_step": "confirm"}).content.decode()
    assert clerk.post("/child_allowance/end/", {**end, "_step": "apply"}).status_code == 302
    assert "消滅" in clerk.get(f"/child_allowance/?atena_no={head}").content.decode()
    assert clerk.get("/child_allowance/revise/").status_code == 200
    # A protected 受給者 does not exist for the 福祉 role.
    protect(head)
    assert clerk.get(f"/child_allowance/?atena_no={head}").status_code == 404


def _items(atena_no: str, start: int, n: int) -> None:
    WorkItem.objects.bulk_create(
        WorkItem(
            lg_code=AIZU,
            kind="claim",
            atena_no=atena_no,
            setai_no=f"9{i:05d}",
            event="born",
            event_date=TODAY - timedelta(days=i),
            deadline=TODAY + timedelta(days=15 - i),
            created_at=timezone.now(),
        )
        for i in range(start, start + n)
    )


def _entitlements(start: int, n: int) -> None:
    """受給者 known to 児童手当 only (宛名番号 the registry does not have): rows to list."""
    for i in range(start, start + n):
        e = Entitlement.objects.create(
            lg_code=AIZU,
            claimant_atena_no=f"8{i:05d}",
            setai_no=f"8{i:05d}",
            choice_basis="declared",
            claimed_on=TODAY,
            certified_on=TODAY,
            first_month=TODAY.replace(day=1),
            created_at=timezone.now(),
            created_by="test",
            **{k: v for k, v in ACCOUNT.items()},
        )
        AmountPeriod.objects.create(
            lg_code=AIZU,
            entitlement=e,
            from_month=e.first_month,
            monthly_total=10000,
            children=[],
            reason="certified",
            created_at=timezone.now(),
            created_by="test",
        )


def test_lists_take_the_same_queries_for_3_or_40_rows(family, system_actor):
    """The work list, the 受給者一覧 and the home screen: a fixed number of statements however
    many rows the page shows (keyset pages; names in one read of the registry)."""
    _head, _wife, child = family
    clerk = staff_client("fukushi2", ["welfare"])
    counts: dict[str, list[int]] = {}
    for start, n in ((0, 3), (3, 37)):
        with tenant_context(AIZU):
            _items(child, start, n)
            _entitlements(start, n)
        for url in ("/child_allowance/work/?kind=claim", "/child_allowance/list/", "/"):
            clerk.get(url)  # warm the session
            with CaptureQueriesContext(connection) as queries:
                page = clerk.get(url)
            assert page.status_code == 200
            counts.setdefault(url, []).append(len(queries))
    assert all(a == b for a, b in counts.values()), counts
    assert "認定請求 未受理" in clerk.get("/").content.decode()


def test_a_protected_child_is_not_on_the_work_list(family, system_actor):
    _head, _wife, child = family
    with tenant_context(AIZU):
        _items(child, 0, 1)
    clerk = staff_client("fukushi3", ["welfare"])
    assert child in clerk.get("/child_allowance/work/?kind=claim").content.decode()
    protect(child)
    assert child not in clerk.get("/child_allowance/work/?kind=claim").content.decode()


def test_api_work_items_page_by_deadline(client, token_for, family, system_actor):
    _head, _wife, child = family
    with tenant_context(AIZU):
        _items(child, 0, 3)
    read = token_for(AIZU, scopes=["child_allowance:read", "registry:protected"])
    url = f"/api/v1/{AIZU}/child-allowance/work-items?kind=claim"
    first = client.get(url, HTTP_AUTHORIZATION=f"Bearer {read}").json()
    assert [r["deadline"] for r in first] == sorted(r["deadline"] for r in first) and len(first) == 3
    cursor = f"{first[0]['deadline']}:{first[0]['id']}"
    rest = client.get(f"{url}&after={cursor}", HTTP_AUTHORIZATION=f"Bearer {read}").json()
    assert [r["id"] for r in rest] == [r["id"] for r in first[1:]]
    assert client.get(f"{url}&after=x", HTTP_AUTHORIZATION=f"Bearer {read}").status_code == 422
