"""The 印鑑登録 counter screens (窓口 role): a resident by 宛名番号 with their registrations, the
登録申請 (same day with a photo ID; the 照会書 for a 代理人) with every refusal at its field and
nothing written, a registration's page with its history and its 印影 (each view audited), the
廃止届 and 亡失届, the 照会書 list and its 回答書, the 印鑑登録証明書 交付 with its refusals, the
home tile and the menu; other roles refused."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.browser.chromium import ARTIFACTS
from tests.conftest import AIZU
from tests.registry.conftest import (
    days_ago,
    registry,  # noqa: F401 (fixture)
)
from tests.registry.ui.test_screens import protect, staff_client
from tests.seal_registration.conftest import TODAY, application, in_town, move_out
from yakuba.certificates.services import seal, settings
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.seal_registration.models import Inquiry, Registration
from yakuba.seal_registration.rules.ordinance import DEFAULT, LABELS
from yakuba.seal_registration.services import ordinance, registrations

pytestmark = pytest.mark.django_db

IMPRESSION = seal.sample_seal("花子")  # a real PNG: the certificate prints it


@pytest.fixture
def clerk(family, system_actor):
    with tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    return staff_client("madoguchi", ["counter"])


def _form(atena_no: str, text: str = "花子", size: str = "15", image: bytes = IMPRESSION, **extra) -> dict:
    return {
        "atena_no": atena_no,
        "seal_text": text,
        "width_mm": size,
        "height_mm": size,
        "applicant": "self",
        "identity": "photo-id",
        "image": SimpleUploadedFile("inei.png", image, content_type="image/png"),
        **extra,
    }


def _error(text: str, field: str) -> str:
    """The message shown under one input (its error slot)."""
    found = re.search(rf'<p class="field-error" id="err-f-{field}">(.*?)</p>', text, re.S)
    assert found, field
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def _count(model) -> int:
    with tenant_context(AIZU):
        return model.objects.count()


def test_the_lookup_shows_the_person_and_offers_the_application(clerk, family):
    hanako = family["山田 花子"]
    page = clerk.get("/seal_registration/")
    assert page.status_code == 200 and 'name="atena_no"' in page.content.decode()
    text = clerk.get(f"/seal_registration/?atena_no={hanako}").content.decode()
    assert "山田 花子" in text and "東栄町" in text and "印鑑登録はありません" in text
    assert f"/seal_registration/apply/?atena_no={hanako}" in text
    assert clerk.get("/seal_registration/?atena_no=9x").status_code == 422
    missing = clerk.get("/seal_registration/?atena_no=999999")
    assert missing.status_code == 404 and "宛名番号 999999 の住民は見つかりません" in missing.content.decode()
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(
            action="read", resource="seal_registration", subject_ids__contains=[hanako]
        ).exists()


def test_a_same_day_registration_with_a_photo_id(clerk, family):
    hanako = family["山田 花子"]
    assert clerk.get(f"/seal_registration/apply/?atena_no={hanako}").status_code == 200
    done = clerk.post("/seal_registration/apply/", _form(hanako))
    assert done.status_code == 302 and done["Location"].startswith("/seal_registration/registration/?no=")
    page = clerk.get(done["Location"]).content.decode()
    with tenant_context(AIZU):
        row = Registration.objects.get(atena_no=hanako)
    assert f"印鑑登録番号 {row.registration_no}、印鑑登録証の番号 {row.card_no}" in page
    assert "即日登録" in page and "官公署発行の顔写真付きの証明書" in page
    assert 'src="data:image/png;base64,' in page
    # the person's page lists it, and no second application is offered
    person = clerk.get(f"/seal_registration/?atena_no={hanako}").content.decode()
    assert row.registration_no in person and "/seal_registration/apply/" not in person
    again = clerk.get(f"/seal_registration/apply/?atena_no={hanako}").content.decode()
    assert "すでに印鑑登録があります（印鑑登録番号" in again and row.registration_no in again
    refused = clerk.post("/seal_registration/apply/", _form(hanako, text="山田"))
    assert refused.status_code == 422 and f"印鑑登録番号 {row.registration_no}" in refused.content.decode()


def test_each_view_of_the_seal_image_is_audited(clerk, family):
    done = in_town(registrations.apply_registration, application(family["山田 花子"], "花子"))
    url = f"/seal_registration/registration/?no={done.registration_no}"
    clerk.get(url)
    clerk.get(url)
    with tenant_context(AIZU):
        reads = AuditEntry.objects.filter(action="read", resource="seal_registration", purpose="印影の参照")
        assert reads.count() == 2
        assert all(e.subject_ids == [family["山田 花子"]] for e in reads)


def test_every_refusal_is_shown_at_its_field_and_nothing_is_written(clerk, family):
    ichiro = family["山田 次郎"]  # 15 tomorrow
    bad = clerk.post(
        "/seal_registration/apply/",
        _form(ichiro, text="山田商店", size="30", deformable="1", identity="guarantor",
              guarantor_registration_no="99999999"),
    )  # fmt: skip
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "印影に職業、資格その他氏名以外の事項が含まれています" in _error(text, "seal_text")
    assert "大きすぎます" in _error(text, "width_mm")
    assert "ゴム印" in _error(text, "deformable")
    assert "保証人はこの市町村で印鑑登録をしている方" in _error(text, "guarantor_registration_no")
    assert "15歳未満の方は印鑑登録ができません" in text  # a rule about the person: in the summary
    assert "入力内容に誤りがあります" in text
    assert 'value="山田商店"' in text  # what was typed stays
    unreadable = clerk.post(
        "/seal_registration/apply/", {**_form(family["山田 花子"], size="abc"), "image": ""}
    ).content.decode()
    assert "幅は mm の数字" in _error(unreadable, "width_mm")
    assert "画像" in _error(unreadable, "image")
    not_image = clerk.post(
        "/seal_registration/apply/", _form(family["山田 花子"], image=b"GIF89a...")
    ).content
    assert "PNG 又は JPEG" in _error(not_image.decode(), "image")
    ward = clerk.post(
        "/seal_registration/apply/", _form(family["山田 花子"], adult_ward="1")
    ).content.decode()
    assert "法定代理人の同行が必要です" in _error(ward, "guardian_present")
    assert _count(Registration) == 0 and _count(Inquiry) == 0


def test_an_agent_gets_the_inquiry_and_the_answer_registers(clerk, family):
    taro = family["山田 太郎"]
    no_letter = clerk.post("/seal_registration/apply/", _form(taro, text="太郎", applicant="agent"))
    assert "代理人による申請には委任状が必要です" in _error(no_letter.content.decode(), "power_of_attorney")
    sent = clerk.post(
        "/seal_registration/apply/",
        _form(taro, text="太郎", applicant="agent", power_of_attorney="1", identity="none"),
    )
    text = sent.content.decode()
    assert sent.status_code == 200 and "照会書を作成しました" in text and "東栄町" in text
    with tenant_context(AIZU):
        inquiry = Inquiry.objects.get()
    listed = clerk.get("/seal_registration/inquiries/").content.decode()
    assert inquiry.inquiry_no in listed and "山田 太郎" in listed
    letter = clerk.get(f"/seal_registration/inquiries/letter/?no={inquiry.inquiry_no}")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    printed = subprocess.run(["pdftotext", "-", "-"], input=letter.content, capture_output=True, check=True)
    text = printed.stdout.decode()
    assert "山田 太郎 様" in text and "東栄町" in text and "回答書" in text and inquiry.inquiry_no in text
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "seal-inquiry-letter.pdf").write_bytes(letter.content)
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(action="print", resource="seal_registration",
                                         subject_ids__contains=[taro]).exists()  # fmt: skip
    assert "照会書" in clerk.get(f"/seal_registration/?atena_no={taro}").content.decode()
    answered = clerk.post("/seal_registration/inquiries/answer/", {"inquiry_no": inquiry.inquiry_no})
    assert answered.status_code == 302
    assert "照会書・回答書" in clerk.get(answered["Location"]).content.decode()
    again = clerk.post(
        "/seal_registration/inquiries/answer/", {"inquiry_no": inquiry.inquiry_no}, follow=True
    )
    assert "この照会書はすでに回答済み（登録）です" in again.content.decode()
    assert "回答書待ちの照会書はありません" in clerk.get("/seal_registration/inquiries/").content.decode()
    assert clerk.get(f"/seal_registration/inquiries/letter/?no={inquiry.inquiry_no}").status_code == 404


def test_every_screen_showing_a_person_is_audited(clerk, family):
    taro, hanako = family["山田 太郎"], family["山田 花子"]
    done = in_town(registrations.apply_registration, application(hanako, "花子"))
    in_town(registrations.apply_registration,
            application(taro, "太郎", applicant="agent", power_of_attorney="1"))  # fmt: skip
    for url, subjects in (
        (f"/seal_registration/?atena_no={taro}", [taro]),
        (f"/seal_registration/apply/?atena_no={taro}", [taro]),
        (f"/seal_registration/guardianship/?atena_no={taro}", [taro]),
        ("/seal_registration/inquiries/", [taro]),
        (f"/seal_registration/registration/end/?no={done.registration_no}&kind=lost", [hanako]),
    ):
        with tenant_context(AIZU):
            before = AuditEntry.objects.filter(action="read", resource="seal_registration").count()
        assert clerk.get(url).status_code == 200, url
        with tenant_context(AIZU):
            rows = list(AuditEntry.objects.filter(action="read", resource="seal_registration").order_by("id"))
        assert len(rows) == before + 1 and rows[-1].subject_ids == subjects, url


def test_the_inquiry_list_reads_names_in_one_call_whatever_its_length(clerk, family):
    for name, text in (("山田 太郎", "太郎"), ("山田 花子", "花子")):
        in_town(registrations.apply_registration,
                application(family[name], text, applicant="agent", power_of_attorney="1"))  # fmt: skip
    with CaptureQueriesContext(connection) as two:
        clerk.get("/seal_registration/inquiries/")
    in_town(registrations.apply_registration,
            application(family["山田 一郎"], "一郎", applicant="agent", power_of_attorney="1"))  # fmt: skip
    with CaptureQueriesContext(connection) as three:
        text = clerk.get("/seal_registration/inquiries/").content.decode()
    assert "山田 一郎" in text and len(three) == len(two)


def test_abolition_and_a_lost_card_end_the_registration_after_a_confirmation(clerk, family):
    first = in_town(registrations.apply_registration, application(family["山田 花子"], "花子"))
    url = f"/seal_registration/registration/end/?no={first.registration_no}&kind=abolish"
    assert (
        url.replace("&", "&amp;")
        in clerk.get(f"/seal_registration/registration/?no={first.registration_no}").content.decode()
    )
    confirm = clerk.get(url).content.decode()
    assert "印鑑登録廃止申請の確認" in confirm and "元に戻せません" in confirm and first.card_no in confirm
    assert (
        _count(Registration) == 1
        and in_town(registrations.registration_of, family["山田 花子"]).status == "registered"
    )
    done = clerk.post("/seal_registration/registration/end/", {"no": first.registration_no, "kind": "abolish"},
                      follow=True)  # fmt: skip
    text = done.content.decode()
    assert "印鑑登録廃止申請を受け付け" in text and "廃止届" in text and "廃止届を受け付ける" not in text
    again = clerk.post("/seal_registration/registration/end/", {"no": first.registration_no, "kind": "abolish"},
                       follow=True)  # fmt: skip
    assert "この印鑑登録はすでに廃止されています" in again.content.decode()
    second = in_town(registrations.apply_registration, application(family["山田 花子"], "山田"))
    assert (
        "（見つかっても同じです）"
        in clerk.get(
            f"/seal_registration/registration/end/?no={second.registration_no}&kind=lost"
        ).content.decode()
    )
    lost = clerk.post("/seal_registration/registration/end/", {"no": second.registration_no, "kind": "lost"},
                      follow=True)  # fmt: skip
    assert "印鑑登録証の亡失届" in lost.content.decode()
    with tenant_context(AIZU):
        assert not Registration.objects.filter(status="registered").exists()
    person = clerk.get(f"/seal_registration/?atena_no={family['山田 花子']}").content.decode()
    assert (
        person.count("廃止（") == 2 and "/seal_registration/apply/" in person
    )  # both listed, a new one offered


def test_the_person_page_costs_the_same_queries_for_one_or_three_registrations(clerk, family):
    hanako = family["山田 花子"]
    in_town(registrations.apply_registration, application(hanako, "花子"))
    with CaptureQueriesContext(connection) as one:
        clerk.get(f"/seal_registration/?atena_no={hanako}")
    for text in ("山田", "山田之印"):
        registration_no = in_town(registrations.registration_of, hanako).registration_no
        in_town(registrations.abolish, registration_no)
        in_town(registrations.apply_registration, application(hanako, text))
    with CaptureQueriesContext(connection) as three:
        page = clerk.get(f"/seal_registration/?atena_no={hanako}").content.decode()
    assert page.count('<td class="nowrap">') >= 3 and len(three) == len(one)


def test_the_certificate_is_issued_with_the_card_and_refused_without(clerk, family):
    hanako = family["山田 花子"]
    done = in_town(registrations.apply_registration, application(hanako, "花子", image=IMPRESSION))
    form = clerk.get(f"/seal_registration/certificate/?card_no={done.card_no}").content.decode()
    assert f'value="{done.card_no}"' in form
    empty = clerk.post("/seal_registration/certificate/", {"card_no": "", "requester_type": "self",
                                                           "requester_atena_no": hanako})  # fmt: skip
    assert empty.status_code == 422
    assert "証明書の交付には印鑑登録証が必要です" in _error(empty.content.decode(), "card_no")
    other = clerk.post("/seal_registration/certificate/", {"card_no": done.card_no, "requester_type": "self",
                                                           "requester_atena_no": family["山田 太郎"]})  # fmt: skip
    assert "請求者の宛名番号は登録者の宛名番号です" in _error(other.content.decode(), "requester_atena_no")
    issued = clerk.post("/seal_registration/certificate/", {"card_no": done.card_no, "requester_type": "agent",
                                                            "requester_name": "代理 次郎"})  # fmt: skip
    text = issued.content.decode()
    assert issued.status_code == 200 and "印鑑登録証明書を交付しました" in text
    number = re.search(r'id="number">([\d-]+)<', text).group(1)
    pdf = clerk.get(f"/certificates/issued/{number}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_my_number_card_serves_as_the_card_where_the_ordinance_says_so(clerk, family):
    hanako = family["山田 花子"]
    in_town(registrations.apply_registration, application(hanako, "花子", image=IMPRESSION))
    asked = {"card_no": "", "requester_type": "self", "requester_atena_no": hanako, "my_number_card": "1"}
    assert 'name="my_number_card"' not in clerk.get("/seal_registration/certificate/").content.decode()
    refused = clerk.post("/seal_registration/certificate/", asked)
    assert refused.status_code == 422 and _error(refused.content.decode(), "my_number_card")
    in_town(ordinance.set_from, TODAY, my_number_card_as_card=True)
    assert 'name="my_number_card"' in clerk.get("/seal_registration/certificate/").content.decode()
    agent = clerk.post(
        "/seal_registration/certificate/", {**asked, "requester_type": "agent", "requester_name": "代理 次郎"}
    )
    assert agent.status_code == 422
    issued = clerk.post("/seal_registration/certificate/", asked)
    assert issued.status_code == 200 and "マイナンバーカードによる交付" in issued.content.decode()


@pytest.mark.django_db(transaction=True)  # the registry's feed is read as committed
def test_a_certificate_after_the_move_out_is_refused_at_the_card(clerk, family, registry):  # noqa: F811
    from yakuba.seal_registration.services import follow

    hanako = family["山田 花子"]
    done = in_town(registrations.apply_registration, application(hanako, "花子", image=IMPRESSION))
    move_out(registry, [hanako], days_ago(0))
    in_town(follow.follow, AIZU)
    refused = clerk.post("/seal_registration/certificate/", {"card_no": done.card_no, "requester_type": "self",
                                                             "requester_atena_no": hanako})  # fmt: skip
    assert refused.status_code == 422
    assert "この印鑑登録証の登録は廃止されているため、証明できません（転出" in _error(
        refused.content.decode(), "card_no"
    )
    page = clerk.get(f"/seal_registration/registration/?no={done.registration_no}").content.decode()
    assert "住民記録の異動による" in page and "印鑑登録証明書の交付" not in page


def test_the_form_states_the_ordinance_in_force(clerk, family):
    """The sizes, the 回答書 days, the 保証書 and 成年被後見人 in the form are the town's 条例 of the
    day (services/ordinance.py), and the refusal follows it."""
    hanako = family["山田 花子"]
    default = clerk.get(f"/seal_registration/apply/?atena_no={hanako}").content.decode()
    assert "一辺8mmの正方形に収まらず25mmの正方形" in default and "30日以内" in default
    assert 'value="guarantor"' in default
    in_town(ordinance.set_from, TODAY, max_mm=Decimal("21"), reply_days=14, guarantor_allowed=False,
            adult_ward_with_guardian=False)  # fmt: skip
    town = clerk.get(f"/seal_registration/apply/?atena_no={hanako}").content.decode()
    assert "一辺8mmの正方形に収まらず21mmの正方形" in town and "14日以内" in town
    assert 'value="guarantor"' not in town and "成年被後見人の方は登録できません" in town
    refused = clerk.post("/seal_registration/apply/", _form(hanako, size="22")).content.decode()
    assert "一辺21mmの正方形に収まらない大きさです" in _error(refused, "width_mm")


def test_hostile_but_storable_input_is_answered_never_a_500(clerk, family):
    hanako = family["山田 花子"]
    long = "𠮷野" * 2000
    for size in ("1e999999999", "NaN", "-Infinity", long):
        answer = clerk.post("/seal_registration/apply/", _form(hanako, text=long, size=size,
                                                              applicant=long, identity=long,
                                                              guarantor_registration_no=long))  # fmt: skip
        assert answer.status_code == 422
    for query in (f"?atena_no={long}", f"?no={long}", "?no=00000000"):
        assert clerk.get(f"/seal_registration/registration/{query}").status_code == 404
        assert clerk.get(f"/seal_registration/apply/{query}").status_code == 404
    assert clerk.get(f"/seal_registration/inquiries/?after={long}").status_code == 200
    odd = clerk.post("/seal_registration/certificate/", {"card_no": long, "requester_type": long,
                                                         "requester_atena_no": long, "requester_name": long})  # fmt: skip
    assert odd.status_code == 422
    assert (
        clerk.post("/seal_registration/registration/end/", {"registration_no": long, "kind": "x"}).status_code
        == 404
    )
    assert clerk.post("/seal_registration/inquiries/answer/", {"inquiry_no": long}).status_code == 302


def test_a_guardianship_notice_strikes_the_registration_off(clerk, family):
    taro = family["山田 太郎"]
    done = in_town(registrations.apply_registration, application(taro, "太郎"))
    assert "登記事項通知を受け付ける" in clerk.get(f"/seal_registration/?atena_no={taro}").content.decode()
    form = clerk.get(f"/seal_registration/guardianship/?atena_no={taro}").content.decode()
    assert "後見開始" in form and "後見終了" in form
    bad = clerk.post("/seal_registration/guardianship/", {"atena_no": taro, "kind": "started",
                                                          "registered_on": "R99.13.1", "received_on": ""})  # fmt: skip
    assert bad.status_code == 422 and "登記日：" in _error(bad.content.decode(), "registered_on")
    future = clerk.post("/seal_registration/guardianship/", {"atena_no": taro, "kind": "started",
                                                             "registered_on": (TODAY + timedelta(days=1)).isoformat()})  # fmt: skip
    assert "登記日に未来の日は指定できません" in _error(future.content.decode(), "registered_on")
    assert in_town(registrations.registration_of, taro).status == "registered"
    ok = clerk.post("/seal_registration/guardianship/", {"atena_no": taro, "kind": "started",
                                                         "registered_on": f"{TODAY:%Y-%m-%d}", "received_on": ""},
                    follow=True)  # fmt: skip
    text = ok.content.decode()
    assert (
        f"登記事項通知（後見開始）を受け付けました。印鑑登録番号 {done.registration_no} の登録を抹消しました"
        in text
    )
    assert "成年被後見人" in text or "後見開始" in text
    assert in_town(registrations.registration_of, taro).status == "struck"


def test_a_protected_person_is_served_by_the_counter(clerk, family):
    hanako = family["山田 花子"]
    protect(hanako)
    text = clerk.get(f"/seal_registration/?atena_no={hanako}").content.decode()
    assert "山田 花子" in text and "支援措置" in text
    done = clerk.post("/seal_registration/apply/", _form(hanako))  # the person at the counter
    card_no = in_town(registrations.registration_of, hanako).card_no
    assert done.status_code == 302
    # the certificates machinery gives a protected person's certificate to the person alone
    agent = clerk.post("/seal_registration/certificate/", {"card_no": card_no, "requester_type": "agent",
                                                           "requester_name": "代理 次郎"})  # fmt: skip
    assert agent.status_code == 422
    assert "支援措置の対象者が含まれるため、本人以外の請求には交付できません" in agent.content.decode()
    own = clerk.post("/seal_registration/certificate/", {"card_no": card_no, "requester_type": "self",
                                                         "requester_atena_no": hanako})  # fmt: skip
    assert own.status_code == 200 and "印鑑登録証明書を交付しました" in own.content.decode()


def test_every_ordinance_setting_has_its_label_on_the_screen():
    """A setting added to the 条例 (rules/ordinance.py) must say what it means to the 管理者."""
    assert set(dataclasses.asdict(DEFAULT)) <= set(LABELS)


def test_the_administrator_sets_the_ordinance_from_a_day(family, system_actor):
    admin = staff_client("kanri", ["admin"])
    page = admin.get("/seal_registration/ordinance/").content.decode()
    assert "標準の値" in page and "回答書の期限（照会書の発送日から、日）" in page and 'value="30"' in page
    form = {
        name: str(value) for name, value in dataclasses.asdict(DEFAULT).items() if not isinstance(value, bool)
    }
    flags = {name: "1" for name, value in dataclasses.asdict(DEFAULT).items() if value is True}
    past = admin.post("/seal_registration/ordinance/", {**form, **flags, "effective_from": "R1.5.1"})
    assert past.status_code == 422
    assert "適用開始日は今日以降の日にしてください" in _error(past.content.decode(), "effective_from")
    bad = admin.post("/seal_registration/ordinance/", {**form, **flags, "effective_from": "R99.99.1",
                                                       "reply_days": "x"})  # fmt: skip
    text = bad.content.decode()
    assert "数字で入力してください" in _error(text, "reply_days") and _error(text, "effective_from")
    tomorrow = TODAY + timedelta(days=1)
    crossed = admin.post("/seal_registration/ordinance/", {**form, **flags, "effective_from": f"{tomorrow}",
                                                           "max_mm": "5"})  # fmt: skip
    assert "上限（mm）は下限より大きく" in crossed.content.decode()
    done = admin.post("/seal_registration/ordinance/", {**form, "effective_from": f"{tomorrow}",
                                                        "reply_days": "14"}, follow=True)  # fmt: skip
    assert "から適用します" in done.content.decode()
    with tenant_context(AIZU):
        tomorrows = ordinance.in_force(tomorrow)
        assert ordinance.in_force(TODAY) == DEFAULT  # today's registrations keep today's 条例
    assert tomorrows.reply_days == 14 and not tomorrows.guarantor_allowed  # an unticked flag is off
    assert admin.get("/seal_registration/ordinance/").content.decode().count(f"{tomorrow:%Y-%m-%d}") >= 1
    counter = staff_client("madoguchi", ["counter"])
    assert counter.get("/seal_registration/ordinance/").status_code == 403


def test_the_home_tile_the_menu_and_other_roles(clerk, family):
    in_town(registrations.apply_registration,
            application(family["山田 太郎"], "太郎", applicant="agent", power_of_attorney="1"))  # fmt: skip
    home = clerk.get("/").content.decode()
    assert "印鑑登録 回答書待ちの照会書" in home and "/seal_registration/inquiries/" in home
    assert 'href="/seal_registration/"' in home
    welfare = staff_client("fukushi", ["welfare"])
    assert welfare.get("/seal_registration/").status_code == 403
    assert welfare.post("/seal_registration/apply/", _form(family["山田 花子"])).status_code == 403
    assert welfare.get("/seal_registration/certificate/").status_code == 403
    assert _count(Registration) == 0
