"""住民記録 staff screens through the Django test client: search, 照会, 異動入力, 支援措置.

Each staff user signs in with a password and a TOTP code, as at the counter. Pages are checked
against the strict CSP rules of the shell (no inline script or style anywhere).
"""

from __future__ import annotations

import base64
import re
from datetime import date, timedelta

import pyotp
import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import AIZU
from tests.platform.ui.test_shell import PASSWORD, assert_csp_clean
from tests.registry.conftest import ADDRESS_2, days_ago, move_body, person
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.identity.services import create_staff
from yakuba.platform.japanese.checkdigits import my_number_check_digit
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

MY_NUMBER = "12345678901" + str(my_number_check_digit("12345678901"))


# -- helpers -----------------------------------------------------------------------------


def page(response) -> str:
    text = response.content.decode()
    assert_csp_clean(response, text)
    return text


def staff_client(username: str, roles) -> Client:
    """A client signed in (password + TOTP) as a staff user of 会津若松市 with ``roles``."""
    user = create_staff(username, password=PASSWORD, lg_code=AIZU, roles=list(roles), display_name=username)
    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    client = Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    code = pyotp.TOTP(base64.b32encode(device.bin_key).decode()).now()
    response = client.post("/otp/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/", response.content.decode()
    return client


def protect(atena_no: str) -> None:
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.registry import services

    with bind_actor(SYSTEM), tenant_context(AIZU):
        services.set_measure(atena_no, starts_on=timezone.localdate() - timedelta(days=1), summary="DV")


def field_block(text: str, field_id: str) -> str:
    match = re.search(
        rf'<(div|fieldset) class="form-field[^"]*" id="wrap-{field_id}">.*?</(div|fieldset)>\s', text, re.S
    )
    assert match, f"field {field_id} not on the page"
    return match.group(0)


def wareki_short(iso: str) -> str:
    return format_wareki(date.fromisoformat(iso), style="short")


def move_in_form(**extra) -> dict:
    data = {
        "move_date": wareki_short(days_ago(3)),
        "notified_date": wareki_short(days_ago(1)),
        "origin": "domestic",
        "household.setai_no": "",
        "household.address.postal_code": "9650872",
        "household.address.town_area": "東栄町",
        "household.address.block": "3番46号",
        "household.address.extra": "",
        "person_rows": "2",
        "persons[0].name": "佐藤 一郎",
        "persons[0].name_kana": "ｻﾄｳ ｲﾁﾛｳ",
        "persons[0].birth_date": "S35.1.7",
        "persons[0].sex": "1",
        "persons[0].relationship": "世帯主",
        "persons[0].resident_type": "1",
        "persons[0].previous_address": "東京都千代田区千代田1番1号",
        "persons[1].name": "佐藤 花子",
        "persons[1].name_kana": "さとう はなこ",
        "persons[1].birth_date": "昭和37年3月3日",
        "persons[1].sex": "2",
        "persons[1].relationship": "妻",
        "persons[1].resident_type": "1",
        "persons[1].previous_address": "東京都千代田区千代田1番1号",
        "notifier.kind": "self",
        "notifier.identity_document": "my_number_card",
        "_step": "commit",  # 更新 on the 確認 screen (test_move_confirmation shows that step)
    }
    data.update(extra)
    return data


# -- navigation and roles ------------------------------------------------------------------


def test_menu_lists_registry_screens_per_role(counter, welfare):
    home = page(counter.get("/"))
    assert 'href="/registry/"' in home and 'href="/registry/moves/new/"' in home
    assert "準備中" not in home
    other = page(welfare.get("/"))
    assert 'href="/registry/"' in other and 'href="/registry/moves/new/"' not in other


def test_tax_may_search_but_not_file_moves(aizu):
    tax = staff_client("zeimu", ["tax"])
    assert tax.get("/registry/").status_code == 200
    for url in ("/registry/moves/new/", "/registry/moves/new/move_in/"):
        response = tax.get(url)
        assert response.status_code == 403
        assert "この画面を利用する権限がありません" in page(response)
    assert tax.post("/registry/moves/new/move_in/", move_in_form()).status_code == 403


def test_auditor_cannot_open_registry_screens(aizu):
    auditor = staff_client("kansa", ["auditor"])
    assert auditor.get("/registry/").status_code == 403


# -- search (§2) ---------------------------------------------------------------------------


def test_search_by_half_width_kana(counter, family):
    setai_no, (taro, hanako, ichiro) = family
    response = counter.get("/registry/", {"name_kana": "ｱｵｷ ﾀ"})
    text = page(response)
    assert response.status_code == 200
    assert "青木 太郎" in text and "青木 花子" not in text
    assert f'href="/registry/residents/{taro}/"' in text
    assert "昭和35年1月7日" in text and "1960" not in text
    # htmx asks for the result table only.
    partial = counter.get("/registry/", {"name_kana": "あおき"}, HTTP_HX_REQUEST="true")
    body = page(partial)
    assert "<html" not in body and body.count("<tr") == 4  # header + 3
    with tenant_context(AIZU):  # the runtime role sees a municipality's rows only inside one
        entry = AuditEntry.objects.filter(action="search").order_by("-id").first()
    assert set(entry.subject_ids) == {taro, hanako, ichiro}


def test_search_by_wareki_birth_date_and_errors(counter, family):
    setai_no, (taro, hanako, ichiro) = family
    text = page(counter.get("/registry/", {"birth_date": "S37.3.3"}))
    # 花子 only (太郎 is named as her 世帯主, not found himself).
    assert f"/registry/residents/{hanako}/" in text and f"/registry/residents/{taro}/" not in text
    response = counter.get("/registry/", {"birth_date": "昭和99年1月1日"})
    text = page(response)
    assert response.status_code == 422
    assert re.search(r'id="id_birth_date"[^>]*aria-invalid="true"', text, re.S)
    assert 'id="err-birth_date"><svg' in text
    empty = page(counter.get("/registry/", {"name_kana": ""}))
    assert "検索条件を1つ以上入力してください" in empty


def test_protected_person_is_hidden_from_welfare(counter, welfare, family):
    setai_no, (taro, hanako, ichiro) = family
    protect(hanako)
    text = page(welfare.get("/registry/", {"name_kana": "アオキ"}))
    assert "青木 太郎" in text and "青木 花子" not in text and hanako not in text
    assert welfare.get(f"/registry/residents/{hanako}/").status_code == 404
    assert "青木 花子" not in page(welfare.get(f"/registry/households/{setai_no}/"))
    # The counter handles the measure: sees the person, marked.
    text = page(counter.get("/registry/", {"name_kana": "アオキ"}))
    assert "青木 花子" in text and "支援措置" in text
    text = page(counter.get(f"/registry/residents/{hanako}/"))
    assert "支援措置の対象者です" in text


# -- 個人照会 ------------------------------------------------------------------------------


def test_resident_page_follows_the_field_matrix(counter, welfare, family):
    setai_no, (taro, *_rest) = family
    text = page(welfare.get(f"/registry/residents/{taro}/"))
    # 福祉: 個人番号 yes (on request), 住民票コード no, 本籍 no (FIELD_VISIBILITY).
    assert MY_NUMBER not in text and MY_NUMBER[:4] + " " not in text
    assert "個人番号を表示" in text
    assert "福島県会津若松市東栄町1番" not in text
    assert text.count("表示権限がありません") == 3  # 住民票コード, 本籍, 筆頭者
    for label in ("氏名フリガナ", "生年月日", "住所を定めた年月日", "続柄", "世帯照会"):
        assert label in text
    assert "昭和35年1月7日" in text
    counter_text = page(counter.get(f"/registry/residents/{taro}/"))
    assert "福島県会津若松市東栄町1番" in counter_text and "個人番号を表示" in counter_text
    assert MY_NUMBER not in counter_text


def test_my_number_is_revealed_only_on_request_and_audited(welfare, family):
    setai_no, (taro, *_rest) = family
    url = f"/registry/residents/{taro}/my-number/"
    refused = welfare.post(url, {"purpose": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "利用目的を選んでください" in page(refused)
    with tenant_context(AIZU):
        assert not AuditEntry.objects.filter(my_number_shown=True).exists()
    response = welfare.post(url, {"purpose": "welfare"}, HTTP_HX_REQUEST="true")
    text = page(response)
    spaced = f"{MY_NUMBER[:4]} {MY_NUMBER[4:8]} {MY_NUMBER[8:]}"
    assert spaced in text and "<html" not in text
    with tenant_context(AIZU):
        entry = AuditEntry.objects.get(my_number_shown=True)
    assert entry.subject_ids == [taro] and entry.actor == "fukushi"
    assert entry.purpose == "福祉・社会保障事務" and entry.resource == "resident_my_number"
    # Without JavaScript the whole page comes back with the number.
    full = page(welfare.post(url, {"purpose": "identity"}))
    assert spaced in full and "<html" in full
    # The page itself never shows it again.
    assert spaced not in page(welfare.get(f"/registry/residents/{taro}/"))


def test_admin_sees_no_restricted_field(aizu, family):
    admin = staff_client("kanri", ["admin"])
    setai_no, (taro, *_rest) = family
    text = page(admin.get(f"/registry/residents/{taro}/"))
    assert "個人番号を表示" not in text and text.count("表示権限がありません") == 4
    assert admin.post(f"/registry/residents/{taro}/my-number/", {"purpose": "identity"}).status_code == 403


def test_history_tab_and_household(counter, registry, family):
    setai_no, (taro, hanako, ichiro) = family
    registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in (taro, hanako, ichiro)],
            household={"setai_no": setai_no, "address": ADDRESS_2},
            move_date=days_ago(2),
        )
    )
    text = page(counter.get(f"/registry/residents/{taro}/history/"))
    assert re.search(r'href="/registry/residents/\d+/history/" aria-current="page">異動履歴', text)
    assert "転入" in text and "転居" in text and "栄町1番1号" in text
    assert format_wareki(date.fromisoformat(days_ago(2))) in text
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(
            action="read", resource="resident_history", subject_ids=[taro]
        ).exists()
    household = page(counter.get(f"/registry/households/{setai_no}/"))
    names = re.findall(r'<span class="name">([^<]+)</span>', household)
    assert names == ["青木 太郎", "青木 花子", "青木 一郎"]  # §5.2 order
    assert "版" not in household  # the version is for the conflict check, not for the clerk
    form = page(counter.get(f"/registry/moves/new/move_within/?setai_no={setai_no}"))
    version = int(re.search(r'name="source_version" value="(\d+)"', form).group(1))
    assert version >= 3  # created, then changed by the 転居


# -- 異動入力 (§4) -------------------------------------------------------------------------


def test_move_in_with_a_broken_rule_shows_the_message_next_to_the_field(counter):
    response = counter.post(
        "/registry/moves/new/move_in/", move_in_form(**{"persons[1].name_kana": "hanako"})
    )
    text = page(response)
    assert response.status_code == 422
    block = field_block(text, "f-persons-1-name-kana")
    assert "フリガナは全角カタカナで入力してください（hanako）" in block
    assert (
        'aria-invalid="true"' in block
        and 'aria-describedby="hint-f-persons-1-name-kana err-f-persons-1-name-kana"' in block
    )
    summary = re.search(r'role="alert" id="form-error".*?</div>\s*</div>', text, re.S).group(0)
    assert 'href="#f-persons-1-name-kana"' in summary and "hanako" in summary
    assert 'value="佐藤 一郎"' in text  # what was typed is kept


def test_move_in_with_an_unreadable_date_reports_every_rule(counter):
    form = move_in_form(move_date="R8.13.1", **{"persons[0].relationship": "長男"})
    text = page(counter.post("/registry/moves/new/move_in/", form))
    assert 'aria-invalid="true"' in field_block(text, "f-move-date")
    assert re.search(
        r'id="err-f-move-date"><svg[^>]*>.*?<span>[^<]+</span>', field_block(text, "f-move-date"), re.S
    )
    assert "「子」と記載してください" in field_block(text, "f-persons-0-relationship")


def test_move_in_success_creates_the_household(counter):
    response = counter.post("/registry/moves/new/move_in/", move_in_form())
    assert response.status_code == 302, response.content.decode()
    done = counter.get(response["Location"])
    text = page(done)
    assert "転入を登録しました" in text
    setai_no = re.search(r'世帯番号：<a href="/registry/households/(\d+)/">', text).group(1)
    atena = re.findall(r'<td><a href="/registry/residents/(\d+)/">', text)
    assert len(atena) == 2
    household = page(counter.get(f"/registry/households/{setai_no}/"))
    assert "佐藤 一郎" in household and "佐藤 花子" in household and "世帯主" in household
    resident = page(counter.get(f"/registry/residents/{atena[1]}/"))
    assert "サトウ\u3000ハナコ" in resident and "昭和37年3月3日" in resident
    assert "福島県会津若松市東栄町3番46号" in resident


def test_add_person_row(counter):
    response = counter.get(
        "/registry/moves/new/move_in/person-row/", {"person_rows": "1"}, HTTP_HX_REQUEST="true"
    )
    text = page(response)
    assert 'id="person-1"' in text and "2人目" in text
    assert re.search(r'id="f-persons-1-name"[^>]*autofocus', text, re.S)
    assert 'id="person-rows" name="person_rows" value="2" hx-swap-oob="true"' in text
    last = page(counter.get("/registry/moves/new/move_in/person-row/", {"person_rows": "5"}))
    assert "6人目" in last and "6人までです" in last
    assert counter.get("/registry/moves/new/move_in/person-row/", {"person_rows": "6"}).status_code == 204


def test_validate_endpoint(counter):
    url = "/registry/moves/new/move_in/validate/"
    response = counter.post(
        url,
        move_in_form(**{"persons[0].name_kana": "sato"}),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="persons[0].name_kana",
    )
    text = page(response)
    # The answer replaces the message slot the input points to with aria-describedby.
    assert text.lstrip().startswith('<p class="field-error" id="err-f-persons-0-name-kana"><svg')
    assert "フリガナは全角カタカナで入力してください（sato）" in text
    # A date is read back in 和暦 (out-of-band swap of the read-back line), no error.
    text = page(
        counter.post(
            url, move_in_form(), HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="persons[0].birth_date"
        )
    )
    assert '<p class="field-error" id="err-f-persons-0-birth-date"></p>' in text
    assert re.search(r'id="parsed-f-persons-0-birth-date" hx-swap-oob="true">.*昭和35年1月7日</p>', text)
    # Rules beyond the input itself come from a trial 異動 that is rolled back.
    future = format_wareki(timezone.localdate() + timedelta(days=3), style="short")
    text = page(
        counter.post(
            url,
            move_in_form(notified_date=future),
            HTTP_HX_REQUEST="true",
            HTTP_HX_TRIGGER_NAME="notified_date",
        )
    )
    assert "届出日が処理日より後です" in text
    text = page(
        counter.post(
            url,
            move_in_form(**{"household.address.postal_code": "1000001"}),
            HTTP_HX_REQUEST="true",
            HTTP_HX_TRIGGER_NAME="household.address.postal_code",
        )
    )
    assert "この市区町村の郵便番号ではありません" in text
    # Nothing was written by the trial runs.
    assert "佐藤" not in page(counter.get("/registry/", {"name_kana": "サトウ"}))


def test_move_within_from_the_household_page_and_stale_version(counter, registry, family):
    setai_no, (taro, hanako, ichiro) = family
    household = page(counter.get(f"/registry/households/{setai_no}/"))
    assert 'formaction="/registry/moves/new/move_within/"' in household
    query = f"?setai_no={setai_no}&atena={taro}&atena={hanako}&atena={ichiro}"
    form = page(counter.get(f"/registry/moves/new/move_within/{query}"))
    version = re.search(r'name="source_version" value="(\d+)"', form).group(1)
    assert form.count('type="checkbox"') == 4 and form.count(" checked") >= 3  # members and 委任状
    data = {
        "source_setai_no": setai_no,
        "source_version": version,
        "move_date": wareki_short(days_ago(1)),
        "persons[0].atena_no": taro,
        "persons[1].atena_no": hanako,
        "persons[2].atena_no": ichiro,
        "household.address.postal_code": "9650871",
        "household.address.town_area": "栄町",
        "household.address.block": "1番1号",
        "household.address.extra": "コーポ栄101",
        "notifier.kind": "head",
        "notifier.name": "青木 太郎",
        "notifier.identity_document": "driver_license",
        "_step": "commit",
    }
    # Another clerk changes the household first: the form based on the old version gets 409.
    registry.move(
        {
            "kind": "head_change",
            "move_date": days_ago(2),
            "household": {
                "setai_no": setai_no,
                "new_head": taro,
                "relationships": {hanako: "妻", ichiro: "子"},
            },
        }
    )
    stale = counter.post(f"/registry/moves/new/move_within/{query}", data)
    assert stale.status_code == 409
    assert "他の職員が" in page(stale)
    # Opened again, the same 転居 goes through and keeps the 世帯番号.
    form = page(counter.get(f"/registry/moves/new/move_within/{query}"))
    data["source_version"] = re.search(r'name="source_version" value="(\d+)"', form).group(1)
    response = counter.post("/registry/moves/new/move_within/", data)
    assert response.status_code == 302, response.content.decode()
    text = page(counter.get(response["Location"]))
    assert f"/registry/households/{setai_no}/" in text
    history = page(counter.get(f"/registry/residents/{hanako}/history/"))
    assert "転居" in history and "栄町1番1号" in history


def test_service_conflict_is_a_409_page(counter, family, monkeypatch):
    from yakuba.registry import services

    setai_no, (taro, *_rest) = family

    def busy(request, **_options):
        raise services.Conflict("他の職員が同じ世帯または住民を処理中です。少し待ってからやり直してください")

    monkeypatch.setattr(services, "apply_move", busy)
    response = counter.post(
        "/registry/moves/new/death/",
        {
            "source_setai_no": setai_no,
            "move_date": wareki_short(days_ago(1)),
            "persons[0].atena_no": taro,
            "_step": "commit",
        },
    )
    assert response.status_code == 409
    assert "他の職員が同じ世帯または住民を処理中です" in page(response)


def test_death_of_the_head_asks_for_a_new_head(counter, family):
    setai_no, (taro, hanako, ichiro) = family
    url = f"/registry/moves/new/death/?setai_no={setai_no}&atena={taro}"
    form = page(counter.get(url))
    version = re.search(r'name="source_version" value="(\d+)"', form).group(1)
    data = {
        "source_setai_no": setai_no,
        "source_version": version,
        "move_date": wareki_short(days_ago(1)),
        "persons[0].atena_no": taro,
    }
    response = counter.post("/registry/moves/new/death/", data)
    text = page(response)
    assert response.status_code == 422
    assert "残る世帯員から新しい世帯主を指定してください" in field_block(text, "f-household-new-head")
    data.update(
        {
            "household.new_head": hanako,
            f"household.relationships.{ichiro}": "子",
            "_step": "commit",
        }
    )
    response = counter.post("/registry/moves/new/death/", data)
    assert response.status_code == 302, response.content.decode()
    household = page(counter.get(f"/registry/households/{setai_no}/"))
    assert "青木 太郎" not in household and re.search(r"世帯主</dt><dd><a [^>]+>青木 花子", household)


def test_every_move_form_renders(counter, family):
    setai_no, _atena = family
    from yakuba.registry.codes import MoveKind

    text = page(counter.get("/registry/moves/new/"))
    for kind in MoveKind.values:
        assert f'href="/registry/moves/new/{kind}/"' in text
        response = counter.get(f"/registry/moves/new/{kind}/", {"setai_no": setai_no})
        assert response.status_code == 200, kind
        page(response)
    assert counter.get("/registry/moves/new/nonsense/").status_code == 404


def test_birth_into_a_household(counter, family):
    setai_no, (taro, hanako, ichiro) = family
    form = page(counter.get(f"/registry/moves/new/birth/?setai_no={setai_no}"))
    version = re.search(r'name="source_version" value="(\d+)"', form).group(1)
    response = counter.post(
        "/registry/moves/new/birth/",
        {
            "source_setai_no": setai_no,
            "source_version": version,
            "move_date": wareki_short(days_ago(5)),
            "persons[0].name": "青木 次郎",
            "persons[0].name_kana": "アオキ ジロウ",
            "persons[0].sex": "1",
            "persons[0].relationship": "子",
            "persons[0].resident_type": "1",
            "_step": "commit",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert "青木 次郎" in page(counter.get(f"/registry/households/{setai_no}/"))


# -- 支援措置 (§3.4) -----------------------------------------------------------------------


def test_protection_screen(counter, welfare, family):
    setai_no, (taro, hanako, ichiro) = family
    url = f"/registry/residents/{hanako}/protection/"
    assert welfare.get(url).status_code == 403
    text = page(counter.get(url))
    assert "有効な支援措置はありません" in text
    bad = counter.post(url, {"action": "set", "kind": "dv", "starts_on": "R8.2.30"})
    assert bad.status_code == 422 and 'id="err-starts_on"><svg' in page(bad)
    bad = counter.post(
        url, {"action": "set", "kind": "dv", "starts_on": wareki_short(days_ago(0)), "covered": "9x"}
    )
    assert bad.status_code == 422 and "宛名番号ではありません: 9x" in page(bad)
    response = counter.post(
        url,
        {
            "action": "set",
            "kind": "dv",
            "starts_on": wareki_short(days_ago(0)),
            "covered": ichiro,
            "reason": "DV",
        },
    )
    assert response.status_code == 302
    text = page(counter.get(url))
    assert "支援措置を設定しました" in text and "1年延長する" in text
    assert "支援措置（ドメスティック・バイオレンス）" in text and ichiro in text
    # The covered child is hidden from the welfare clerk too.
    assert welfare.get(f"/registry/residents/{ichiro}/").status_code == 404
    assert "延長の申出は終了日の1か月前" in page(counter.post(url, {"action": "extend"}))
    assert counter.post(url, {"action": "end"}).status_code == 302
    assert "有効な支援措置はありません" in page(counter.get(url))


def test_dates_are_wareki_except_a_foreign_residents_birth_and_expiry(counter, registry):
    """§1.1.9: 和暦 everywhere, but 西暦 for a foreign resident's 生年月日 and 在留期間満了日 (never both)."""
    from tests.registry.conftest import ADDRESS_2

    japanese = registry.move_in(person(birth="1960-01-07"), move_date=days_ago(3))["persons"][0]["atena_no"]
    foreign = registry.move_in(
        person(
            "NGUYEN VAN AN",
            "グエン ヴァン アン",
            "1990-01-07",
            resident_type=2,
            nationality="ベトナム",
            residence_status="技術・人文知識・国際業務",
            residence_expiry="2029-04-30",
        ),
        address=ADDRESS_2,
        origin="abroad",
        move_date=days_ago(3),
    )["persons"][0]["atena_no"]
    japanese_page = page(counter.get(f"/registry/residents/{japanese}/"))
    assert "昭和35年1月7日" in japanese_page and "1960年1月7日" not in japanese_page
    foreign_page = page(counter.get(f"/registry/residents/{foreign}/"))
    assert "1990年1月7日" in foreign_page and "平成2年1月7日" not in foreign_page
    assert "2029年4月30日" in foreign_page and "令和11年4月30日" not in foreign_page


def test_result_page_does_not_depend_on_the_session(counter, registry):
    """A concurrent htmx request may save an older session copy: the result comes from the 異動."""
    result = registry.move_in(person(), move_date=days_ago(2))
    text = page(counter.get(f"/registry/moves/done/{result['move_id']}/"))
    assert "転入を登録しました" in text and result["persons"][0]["atena_no"] in text
    assert counter.get("/registry/moves/done/00000000-0000-0000-0000-000000000000/").status_code == 404
