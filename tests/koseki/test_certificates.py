"""The 戸籍's certificates (yakuba/koseki/services/certificates.py) against real PostgreSQL: each
kind from a 戸籍 made by its 届出, read back from the PDF with ``pdftotext`` — rare characters
(𠮷 U+20BB7, 髙, 﨑, the IVS 葛 U+845B U+E0102) exactly as stored — the relation of the requester
found in the data, refusals at their field, 広域交付, the 交付履歴 row with its fee, 支援措置, the
再発行 and the query count (docs/koseki.md「証明書」; civil-facts §3.3, §3.5)."""

from __future__ import annotations

import subprocess

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import AIZU
from tests.koseki.conftest import HONSEKI, born, elsewhere, file, in_town, suzuki  # noqa: F401 (fixture)
from tests.koseki.test_api import post
from tests.registry.conftest import person, registry  # noqa: F401 (fixture)
from yakuba.certificates import services as certificates
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import issuing, seal, settings
from yakuba.koseki.services.certificates import issue_certificate, register
from yakuba.koseki.services.remake import remake
from yakuba.platform.audit.log import SYSTEM, Actor, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry_door
from yakuba.registry.services import Visibility

pytestmark = pytest.mark.django_db

KATSURA = "葛\U000e0102城"  # 葛 with the 文字情報基盤 IVS E0102: another glyph than the bare 葛
CLERK = Visibility(my_number=False, juminhyo_code=False, domicile=True, protected=False)
Info = certificates.RequesterInfo


def _text(pdf: bytes) -> str:
    """The PDF's text in the order it is drawn (``-raw``: the document's order, not pdftotext's
    guess at columns), with every space and line break taken out (the 全角 space between 氏 and
    名 with them)."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return "".join(out.split())


@pytest.fixture
def family(aizu, system_actor):
    """髙志 葛󠄂城 (筆頭者) and 﨑子 (born 𠮷田) marry here; their son 一郎 is born. (koseki_id, ids)."""
    with bind_actor(SYSTEM), tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    filed = file(
        kind="marriage",
        filed_on="2025-04-01",
        husband=elsewhere(KATSURA, "髙志", "カツラギ", "タカシ", "1990-05-05", "male"),
        wife=elsewhere(
            "𠮷田",
            "﨑子",
            "ヨシダ",
            "サキコ",
            "1992-07-07",
            "female",
            "長女",
            father="𠮷田　父男",
            mother="𠮷田　母子",
        ),
        surname_of="husband",
        new_honseki=HONSEKI,
    )
    koseki_id = filed.koseki_ids[0]
    view = in_town(registry_door_free_view, koseki_id)
    ids = {m.name.split("\u3000")[1]: m.person_id for m in view.members}
    ids["一郎"] = born(ids["﨑子"], "一郎", "イチロウ", "2026-04-01", father_id=ids["髙志"]).person_id
    return koseki_id, ids


def registry_door_free_view(koseki_id):
    from yakuba.koseki.services import koseki_of

    return koseki_of(koseki_id)


def _issue(koseki_id, kind="koseki_full", *, requester, visibility=CLERK, **options):
    with bind_actor(Actor("staff", "koseki1", "本庁1")), tenant_context(AIZU):
        return issue_certificate(koseki_id, kind, requester=requester, visibility=visibility, **options)


def _refused(koseki_id, kind="koseki_full", **options) -> list[tuple[str, str]]:
    with pytest.raises(certificates.RuleViolation) as refused:
        _issue(koseki_id, kind, **options)
    return refused.value.errors


def test_the_full_certificate_prints_the_koseki_with_its_characters_as_stored(family):
    koseki_id, ids = family
    issued = _issue(koseki_id, requester=Info("self"), requester_person_id=ids["一郎"])
    flat = _text(issued.pdf)
    assert "戸籍全部事項証明書" in flat and HONSEKI in flat
    assert f"{KATSURA}髙志" in flat  # the IVS kept, code point by code point
    assert "\U00020bb7田" in flat and "【名】﨑子" in flat and "【名】髙志" in flat  # 𠮷 as 従前の氏
    assert "【名の振り仮名】タカシ" in flat and "氏の振り仮名カツラギ" in flat
    assert flat.index("【名】髙志") < flat.index("【名】﨑子") < flat.index("【名】一郎")  # 法14条
    assert (
        "【婚姻日】令和7年4月1日" in flat and "【配偶者氏名】" in flat and "【出生日】令和8年4月1日" in flat
    )
    assert f"【父】{KATSURA}髙志" in flat
    assert "以下余白" in flat and "これは、戸籍に記録されている事項の全部を証明した書面である。" in flat
    with bind_actor(SYSTEM), tenant_context(AIZU):
        row = Certificate.objects.get(number=issued.number)
        printed = AuditEntry.objects.filter(resource="certificate", action="print").get()
    assert (row.kind, row.layout, row.requester, row.fee) == ("koseki_full", "koseki", "self", 450)
    assert row.options["koseki_id"] == koseki_id and printed.detail["number"] == issued.number


def test_an_individual_certificate_shows_the_chosen_members_only(family):
    koseki_id, ids = family
    # 﨑子's mother, written in no 戸籍 here but named as her 母: a 直系尊属 by the data.
    issued = _issue(
        koseki_id, "koseki_individual", person_ids=[ids["一郎"]], requester=Info("lineal", name="𠮷田 母子")
    )
    flat = _text(issued.pdf)
    assert "戸籍個人事項証明書" in flat and "【名】一郎" in flat and "【名】﨑子" not in flat
    assert "戸籍中の一部の者について" in flat
    errors = _refused(koseki_id, "koseki_individual", requester=Info("self"), requester_person_id=ids["一郎"])
    assert [f for f, _ in errors] == ["person_ids"]


def test_the_requester_relation_is_read_from_the_koseki_and_refusals_come_at_once(family):
    koseki_id, ids = family
    # A stranger claiming to be 直系, and a 第三者 with no reason: each refusal at its field.
    stranger = _refused(koseki_id, requester=Info("lineal", name="鈴木 一"), requester_person_id="9999999999")
    assert [f for f, _ in stranger] == ["requester_person_id"]
    third = _refused(koseki_id, requester=Info("third_party", name="債権者 株式会社"))
    assert sorted(f for f, _ in third) == ["purpose_kind", "requester.purpose"]
    professional = _refused(koseki_id, requester=Info("professional", name="弁護士 甲"), profession="探偵")
    assert sorted(f for f, _ in professional) == ["profession", "requester.purpose"]
    ok = _issue(
        koseki_id,
        requester=Info("third_party", name="債権者 株式会社", purpose="貸金返還請求訴訟の相続人調査"),
        purpose_kind="rights",
    )
    assert ok.pages >= 1
    # 一郎's mother named as 母 asks as 直系尊属 though she is written here: she is 本人.
    wrong = _refused(koseki_id, requester=Info("lineal", name="﨑子"), requester_person_id=ids["﨑子"])
    assert [f for f, _ in wrong] == ["requester.type"]


def test_official_and_professional_requests(family):
    """公用 (10条の2第2項) is free; 職務上請求 (第3項) by a 弁護士 with the case pays the fee."""
    koseki_id, _ids = family
    official = _issue(koseki_id, requester=Info("official", name="会津若松年金事務所", purpose="年金の裁定"))
    lawyer = _issue(
        koseki_id,
        requester=Info("professional", name="弁護士 甲野一郎", purpose="遺産分割調停事件の相続人調査"),
        profession="弁護士",
    )
    with bind_actor(SYSTEM), tenant_context(AIZU):
        rows = {
            c.requester: c for c in Certificate.objects.filter(number__in=[official.number, lawyer.number])
        }
    assert (rows["official"].fee, rows["official"].fee_exempt_reason) == (0, "公用")
    assert (rows["professional"].fee, rows["professional"].purpose) == (450, "遺産分割調停事件の相続人調査")


def test_wide_area_issue_needs_the_full_kind_and_a_photo_id(family):
    koseki_id, ids = family
    errors = _refused(
        koseki_id,
        "koseki_individual",
        person_ids=[ids["一郎"]],
        requester=Info("agent", name="代理 人"),
        requester_person_id=ids["一郎"],
        mandate=True,
        wide_area=True,
    )
    assert [f for f, _ in errors] == ["kind", "requester.type", "photo_id"]
    issued = _issue(
        koseki_id, requester=Info("self"), requester_person_id=ids["一郎"], wide_area=True, photo_id=True
    )
    assert issued.pdf.startswith(b"%PDF")


def test_a_closed_koseki_is_a_joseki(family):
    koseki_id, ids = family
    file(kind="death", filed_on="2026-05-01", person_id=ids["髙志"], died_on="2026-05-01")
    for name in ("﨑子", "一郎"):
        file(kind="death", filed_on="2026-05-02", person_id=ids[name], died_on="2026-05-02")
    refused = _refused(koseki_id, requester=Info("lineal", name="𠮷田 父"), requester_person_id=ids["一郎"])
    assert refused[0] == ("kind", "この戸籍は除籍されています。除籍全部事項証明書を請求してください")
    issued = _issue(koseki_id, "joseki_full", requester=Info("self"), requester_person_id=ids["一郎"])
    flat = _text(issued.pdf)
    assert "除籍全部事項証明書" in flat and flat.count("除籍") >= 4 and "【死亡日】令和8年5月1日" in flat
    assert "これは、除籍に記録されている事項の全部を証明した書面である。" in flat
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert Certificate.objects.get(number=issued.number).fee == 750


def test_an_adoption_prints_the_adoptive_parents_and_a_remake_leaves_an_original(suzuki):  # noqa: F811
    koseki_id, ids, _yamada = suzuki
    with bind_actor(SYSTEM), tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    # 花 has a son out of wedlock (a 戸籍 of her own, 17条); her parents adopt him (798条ただし書).
    son = born(
        ids["花"], "翔", "ショウ", "2026-05-01", legitimate=False, new_honseki="福島県会津若松市追手町1番"
    )
    adopted = file(
        kind="adoption",
        filed_on="2026-06-01",
        adoptee_id=son.person_id,
        adopter_ids=[ids["一郎"], ids["和子"]],
        proxy="鈴木\u3000花",
    )
    assert adopted.outcome == "accepted", adopted.reasons
    flat = _text(_issue(koseki_id, requester=Info("self"), requester_person_id=son.person_id).pdf)
    assert "【養父】鈴木一郎【養母】鈴木和子【続柄】養子" in flat
    assert "養子縁組【縁組日】令和8年6月1日【養子氏名】鈴木翔" in flat  # the 養父's 身分事項
    # The 改製: the old form is an 改製原戸籍 (its members not marked 除籍), the new one says why.
    new_id = in_town(remake, koseki_id)
    refused = _refused(koseki_id, requester=Info("self"), requester_person_id=son.person_id)
    assert refused[0] == ("kind", "改製原戸籍は改製原戸籍謄本として交付します")
    original = _text(
        _issue(koseki_id, "original_koseki", requester=Info("self"), requester_person_id=son.person_id).pdf
    )
    assert "改製原戸籍謄本" in original and "【名】翔" in original
    assert original.count("除籍") == flat.count("除籍")  # only 花 (she left before): no mark by the 改製
    assert "この謄本は、改製原戸籍の原本と相違ないことを認証する。" in original
    remade = _text(_issue(new_id, requester=Info("self"), requester_person_id=son.person_id).pdf)
    assert (
        "改製【改製日】" in remade and "【改製事由】平成6年法務省令第51号附則第2条第1項による改製" in remade
    )


def test_a_protected_member_s_koseki_goes_to_them_alone(registry, aizu, system_actor):  # noqa: F811
    resident = registry.move_in(person("𠮷田 﨑子", "ヨシダ サキコ", "1992-07-07", 2))["persons"][0][
        "atena_no"
    ]
    with bind_actor(SYSTEM), tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
        registry_door.set_measure(resident, starts_on=timezone.localdate(), kind="dv")
    filed = file(
        kind="marriage",
        filed_on="2025-04-01",
        husband=elsewhere("髙橋", "一", "タカハシ", "ハジメ", "1990-05-05", "male"),
        wife=elsewhere("𠮷田", "﨑子", "ヨシダ", "サキコ", "1992-07-07", "female", "長女", atena_no=resident),
        surname_of="husband",
        new_honseki=HONSEKI,
    )
    koseki_id = filed.koseki_ids[0]
    members = {
        m.name.split("\u3000")[1]: m.person_id for m in in_town(registry_door_free_view, koseki_id).members
    }
    errors = _refused(koseki_id, requester=Info("self"), requester_person_id=members["一"])
    assert errors == [("requester", issuing.PROTECTED_REFUSAL)]
    with bind_actor(SYSTEM), tenant_context(AIZU):
        refusal = AuditEntry.objects.filter(resource="certificate", detail__refused="protected").get()
    assert refusal.subject_ids == [resident]
    own = _issue(koseki_id, requester=Info("self"), requester_person_id=members["﨑子"])
    assert own.atena_nos == [resident]


def _queries_to_issue(koseki_id, requester_person_id) -> int:
    with CaptureQueriesContext(connections["default"]) as captured:
        _issue(koseki_id, requester=Info("self"), requester_person_id=requester_person_id)
    return len(captured.captured_queries)


def test_an_issue_takes_the_same_queries_whatever_the_size_of_the_koseki(family):
    """No query per member or per entry: the relation (one recursive query for every line, one
    for the marriages), the door's read (members, entries) and the machinery's writes."""
    koseki_id, ids = family
    _queries_to_issue(koseki_id, ids["一郎"])  # warm: the first issue registers the signing key
    small = _queries_to_issue(koseki_id, ids["一郎"])
    for given, kana, day in (
        ("二郎", "ジロウ", "2026-06-01"),
        ("三郎", "サブロウ", "2026-08-01"),
        ("花", "ハナ", "2026-10-01"),
    ):
        born(ids["﨑子"], given, kana, day, father_id=ids["髙志"])
    assert _queries_to_issue(koseki_id, ids["一郎"]) == small <= 30


def test_the_ledger_reissues_it(family):
    koseki_id, ids = family
    register()
    first = _issue(koseki_id, requester=Info("self"), requester_person_id=ids["一郎"])
    with bind_actor(Actor("staff", "koseki1", "本庁1")), tenant_context(AIZU):
        again = issuing.reissue(first.number, requester=Info("self", person_id=ids["一郎"]), visibility=CLERK)
        row = Certificate.objects.select_related("reissue_of").get(number=again.number)
    assert row.reissue_of.number == first.number and row.kind == "koseki_full"
    assert "【名】一郎" in _text(again.pdf)


def _post(client, token, koseki_id, body):
    return post(client, f"registers/{koseki_id}/certificates", body, token)


def test_the_api_issues_a_signed_pdf_and_refuses_at_each_field(client, family, token_for):
    koseki_id, ids = family
    token = token_for(AIZU, ["koseki:read", "certificates:issue"])
    body = {"kind": "koseki_full", "requester": {"type": "self", "person_id": ids["一郎"]}}
    response = _post(client, token, koseki_id, body)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Certificate-Number"] and f"{KATSURA}髙志" in _text(response.content)
    # Reading 戸籍 does not print them: the issuing scope too.
    assert _post(client, token_for(AIZU, ["koseki:read"]), koseki_id, body).status_code == 403
    third = _post(
        client, token, koseki_id, {"kind": "koseki_full", "requester": {"type": "third_party", "name": "甲"}}
    )
    assert third.status_code == 422
    assert {e["field"] for e in third.json()["errors"]} == {"purpose_kind", "requester.purpose"}
    wide = {**body, "kind": "koseki_individual", "person_ids": [ids["一郎"]], "wide_area": True}
    assert {e["field"] for e in _post(client, token, koseki_id, wide).json()["errors"]} == {
        "kind",
        "photo_id",
    }
    assert _post(client, token, "0000009999", body).status_code == 404
    assert _post(client, token, koseki_id, {**body, "kind": "juminhyo_copy"}).status_code == 422
