"""Certificate staff screens through the Django test client: the issue form opened from 世帯照会
and 個人照会, its 確認 (a preview that takes no number), the 発行 and the PDF served once, the
refusals next to their inputs (支援措置, 請求事由), the 交付履歴 with 再発行, 取消し and the day's
CSV, the 管理者's settings, and the menu (住民基本台帳法 第12条〜第12条の3; 標準仕様書 §5)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import person
from tests.registry.ui.test_screens import page, protect, staff_client
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import seal, settings
from yakuba.certificates.services.issuing import PROTECTED_REFUSAL
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter(aizu):
    return staff_client("madoguchi", ["counter"])


@pytest.fixture
def admin(aizu):
    return staff_client("kanri", ["admin"])


@pytest.fixture
def registered(aizu):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))


@pytest.fixture
def family(registry, registered):
    result = registry.move_in(
        person(),
        person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"),
        person("青木 一郎", "アオキ イチロウ", "1990-05-05", 1, "子"),
    )
    return result["setai_no"], [p["atena_no"] for p in result["persons"]]


def _form(setai_no, atena, **extra):
    data = {
        "setai_no": setai_no,
        "kind": "juminhyo_copy",
        "layout": "household",
        "atena": atena,
        "head_and_relationship": "1",
        "requester_type": "self",
        "requester_atena_no": atena[0] if atena else "",
        "step": "confirm",
    }
    return data | extra


def _error_of(text: str, name: str) -> str:
    """The text of an input's error slot."""
    match = re.search(rf'<p class="field-error" id="err-{name}">(.*?)</p>', text, re.DOTALL)
    assert match, name
    return match.group(1)


def _count(model=Certificate, **filters) -> int:
    with bind_actor(SYSTEM), tenant_context(AIZU):
        return model.objects.filter(**filters).count()


def _issue(client, setai_no, atena, **extra) -> str:
    response = client.post("/certificates/issue/", _form(setai_no, atena, step="issue", **extra))
    assert response.status_code == 302, response.content.decode()
    return response["Location"].rstrip("/").split("/")[-1]


def test_household_issues_with_preview_then_a_number_and_a_pdf_served_once(counter, family):
    setai_no, atena = family
    household = page(counter.get(f"/registry/households/{setai_no}/"))
    assert 'formaction="/certificates/issue/"' in household and "証明書を発行" in household
    form = page(counter.get("/certificates/issue/", {"setai_no": setai_no, "atena": atena[:2]}))
    assert f'id="f-atena-{atena[0]}" name="atena" value="{atena[0]}" checked' in form
    assert f'value="{atena[2]}">' in form and f'value="{atena[2]}" checked' not in form
    assert 'id="f-head_and_relationship" name="head_and_relationship" value="1" checked' in form

    confirm = page(counter.post("/certificates/issue/", _form(setai_no, atena)))
    assert 'src="data:image/png;base64,iVBORw0KGgo' in confirm and "（確認）" in confirm
    assert _count() == 0  # the preview takes no number and writes no ledger row
    assert _count(AuditEntry, resource="certificate_preview", action="read") == 1

    number = _issue(counter, setai_no, atena)
    assert re.fullmatch(rf"{timezone.localdate():%Y%m%d}-\d{{6}}", number)
    result = page(counter.get(f"/certificates/issued/{number}/"))
    assert number in result and "1枚" in result and "300円" in result and "印刷（PDF）" in result
    pdf = counter.get(f"/certificates/issued/{number}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'attachment; filename="{number}.pdf"'
    assert counter.get(f"/certificates/issued/{number}/pdf/").status_code == 404  # once
    assert "すでに開かれた" in page(counter.get(f"/certificates/issued/{number}/"))


def test_resident_opens_the_form_for_that_person_as_individual(counter, family):
    _setai_no, atena = family
    resident = page(counter.get(f"/registry/residents/{atena[1]}/"))
    assert f'href="/certificates/issue/?atena_no={atena[1]}"' in resident
    form = page(counter.get("/certificates/issue/", {"atena_no": atena[1]}))
    assert f'value="{atena[1]}" checked' in form and f'value="{atena[0]}" checked' not in form
    assert 'id="f-layout-individual" name="layout" value="individual" checked' in form
    assert 'id="f-requester-self" name="requester_type" value="self" checked' in form


def test_refusals_show_next_to_their_inputs_with_a_summary(counter, family):
    setai_no, atena = family
    third = {"requester_type": "third_party", "requester_name": "債権者 株式会社", "requester_atena_no": ""}
    response = counter.post("/certificates/issue/", _form(setai_no, atena, **third))
    text = page(response)
    assert response.status_code == 422 and 'id="form-error"' in text
    assert "請求事由を入力してください" in _error_of(text, "purpose")
    assert '<a href="#f-purpose">請求事由・利用目的</a>' in text

    protect(atena[1])
    response = counter.post("/certificates/issue/", _form(setai_no, atena, purpose="債権回収", **third))
    text = page(response)
    assert response.status_code == 422
    assert PROTECTED_REFUSAL in _error_of(text, "override_reason")
    assert _count() == 0
    # With the reason recorded, the clerk allowed to see protected persons may issue it.
    _issue(counter, setai_no, atena, purpose="債権回収", override_reason="裁判所の命令", **third)
    assert _count() == 1

    empty = counter.post("/certificates/issue/", _form(setai_no, [], fee_exempt="1"))
    text = page(empty)
    assert "記載する人を1人以上選んでください" in text and "手数料を免除する理由を入力してください" in text


def test_items_a_role_may_not_print_are_not_offered(counter, family):
    setai_no, _atena = family
    form = page(counter.get("/certificates/issue/", {"setai_no": setai_no}))
    assert 'id="f-my_number"' in form and 'id="f-juminhyo_code"' in form
    with override_settings(ZONE="lgwan"):
        form = page(counter.get("/certificates/issue/", {"setai_no": setai_no}))
    assert 'id="f-my_number"' not in form  # an LGWAN deployment prints 個人番号 for nobody


def test_unregistered_settings_are_said_on_the_form_and_refuse_the_issue(counter, registry):
    result = registry.move_in(person())
    setai_no, atena = result["setai_no"], [result["persons"][0]["atena_no"]]
    assert "発行設定（認証者の氏名・公印）が登録されていません" in page(
        counter.get("/certificates/issue/", {"setai_no": setai_no})
    )
    response = counter.post("/certificates/issue/", _form(setai_no, atena, step="issue"))
    assert response.status_code == 422 and _count() == 0


def test_ledger_search_reissue_void_and_the_daily_csv(counter, family):
    setai_no, atena = family
    first = _issue(counter, setai_no, atena)
    today = format_wareki(timezone.localdate())
    ledger = page(counter.get("/certificates/ledger/", {"first": today, "atena_no": atena[2]}))
    assert first in ledger and f"/certificates/ledger/{first}/void/" in ledger
    assert "該当" not in ledger
    bad = counter.get("/certificates/ledger/", {"first": "R8.2.30"})
    assert bad.status_code == 422 and 'id="form-error"' in page(bad)

    reissue = counter.post(
        f"/certificates/ledger/{first}/reissue/",
        {"requester_type": "household", "requester_atena_no": atena[1]},
    )
    assert reissue.status_code == 302, reissue.content.decode()
    second = reissue["Location"].rstrip("/").split("/")[-1]
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert Certificate.objects.get(number=second).reissue_of.number == first
    assert counter.get(f"/certificates/issued/{second}/pdf/").content.startswith(b"%PDF")
    refused = counter.post(f"/certificates/ledger/{first}/reissue/", {"requester_type": "self"})
    assert refused.status_code == 422 and "宛名番号を入力してください" in page(refused)

    assert counter.post(f"/certificates/ledger/{first}/void/", {"reason": ""}).status_code == 422
    confirm = page(
        counter.post(f"/certificates/ledger/{first}/void/", {"reason": "記載誤り", "step": "confirm"})
    )
    assert "を取り消します。よろしいですか" in confirm and _count(voided_at__isnull=False) == 0
    done = counter.post(f"/certificates/ledger/{first}/void/", {"reason": "記載誤り", "step": "void"})
    assert done.status_code == 302 and _count(voided_at__isnull=False) == 1
    assert "取消し済み" in page(counter.get("/certificates/ledger/"))

    csv = counter.get("/certificates/ledger/daily.csv", {"day": timezone.localdate().isoformat()})
    text = csv.content.decode()
    assert csv["Content-Type"].startswith("text/csv") and text.startswith("\ufeff証明書番号")
    assert first in text and second in text and "\r\n合計,,,,,,,300," in text  # the voided one is not summed


def test_settings_for_the_administrator_with_history(admin, counter, aizu):
    assert counter.get("/certificates/settings/").status_code == 403
    assert admin.get("/certificates/ledger/").status_code == 403
    form = page(admin.get("/certificates/settings/"))
    assert "まだ登録されていません" in form and "会津若松市長" in form
    bad = admin.post(
        "/certificates/settings/", {"certifier_title": "会津若松市長", "certifier_name": "", "fee": "x"}
    )
    text = page(bad)
    assert bad.status_code == 422 and "手数料は 0〜10,000 円で入力してください" in text
    values = {
        "certifier_title": "会津若松市長",
        "certifier_name": "会津 一郎",
        "office_name": "本庁",
        "terminal_name": "本庁1",
        "printer_name": "プリンタ001",
        "fee": "350",
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("seal.png", seal.sample_seal("会津若松市長"), content_type="image/png")
    assert admin.post("/certificates/settings/", values | {"seal": upload}).status_code == 302
    assert admin.post("/certificates/settings/", values | {"fee": "400"}).status_code == 302
    text = page(admin.get("/certificates/settings/"))
    assert text.index("400円") < text.index("350円") and text.count("<td>あり</td>") == 2
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert settings.current().fee == 400 and settings.current().seal_png.startswith(b"\x89PNG")


def test_menu_items_per_role(admin, counter):
    home = page(counter.get("/"))
    assert "証明書の交付履歴" in home and "証明書の設定" not in home
    assert home.index("住民検索") < home.index("証明書の交付履歴")
    home = page(admin.get("/"))
    assert "証明書の設定" in home and "証明書の交付履歴" not in home


def test_a_past_state_by_its_kijunbi(counter, family):
    """基準日 (過去の記載, 標準仕様書 §5): typed in 和暦 or 西暦, shown on the 確認, recorded with the
    certificate; a day to come, a day that cannot be read and a kind without a 基準日 are refused
    on the input."""
    setai_no, atena = family
    day = timezone.localdate() - timedelta(days=1)  # the 転入 of the family (conftest: yesterday)
    confirm = page(counter.post("/certificates/issue/", _form(setai_no, atena, as_of=format_wareki(day))))
    assert f"{format_wareki(day)}現在の記載" in confirm
    number = _issue(counter, setai_no, atena, as_of=day.isoformat())
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert Certificate.objects.get(number=number).options["as_of"] == day.isoformat()
    later = counter.post(
        "/certificates/issue/", _form(setai_no, atena, as_of=(day + timedelta(days=3)).isoformat())
    )
    assert later.status_code == 422 and "今日以前の日" in _error_of(page(later), "as_of")
    garbage = counter.post("/certificates/issue/", _form(setai_no, atena, as_of="きのう"))
    assert garbage.status_code == 422 and "R8.1.1" in _error_of(page(garbage), "as_of")
    moving = _form(setai_no, atena, kind="move_out_certificate", layout="individual", as_of=day.isoformat())
    refused = counter.post("/certificates/issue/", moving)
    assert refused.status_code == 422 and "基準日を指定できるのは" in _error_of(page(refused), "as_of")
