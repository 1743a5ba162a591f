"""The 附票の写し as a certificate (住民基本台帳法 第20条; registry-facts §17.3; docs/koseki_annex.md):
the default items and those asked for in the PDF's text, who may ask (each refusal at its field),
支援措置, the 交付履歴 and its 再発行."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import AIZU
from tests.koseki_annex.conftest import HONSEKI, code, notice_file, notice_line
from yakuba.certificates import services as certificates
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import issuing, seal, settings
from yakuba.koseki_annex.services import CopyRequest, follow, issue_copy, take_in
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry_door

ASK = certificates.RequesterInfo
CLERK = registry_door.Visibility()
COPY = CopyRequest(HONSEKI, "会津 太郎")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def annex(registry, family, system_actor):
    """会津's 附票 written from the registry, the certificate settings in place."""
    with tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    follow(AIZU)
    return family


def _issue(request=COPY, requester=None, visibility=CLERK):
    with tenant_context(AIZU):
        return issue_copy(
            request, requester=requester or ASK("lineal", name="会津 一"), visibility=visibility
        )


def _refused(request=COPY, requester=None, visibility=CLERK) -> list[tuple[str, str]]:
    with pytest.raises(certificates.RuleViolation) as caught:
        _issue(request, requester, visibility)
    return caught.value.errors


def _text(pdf: bytes) -> str:
    """The PDF's text with no spaces (pdftotext spaces out the title's letters)."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return "".join(text.split())


def test_by_default_the_copy_shows_names_addresses_dates_birth_and_sex_but_not_the_domicile(annex):
    """長野市: 本籍・筆頭者, 在外選挙人 and 住民票コード are left out unless asked; 生年月日・性別 are
    on the 附票 since 2022-01-11 and shown."""
    text = _text(_issue().pdf)
    for shown in ("戸籍の附票の写し", "【氏名】会津太郎", "【氏名】会津花子", "【住所】福島県会津若松市東栄町3番46号",
                  "【住所を定めた年月日】令和8年12月4日", "【生年月日】昭和55年5月5日", "【性別】男",
                  "この写しは、戸籍の附票の原本と相違ないことを証明する。"):  # fmt: skip
        assert shown in text, shown
    for left_out in ("本籍", "筆頭者", annex["会津 太郎"][1]):
        assert left_out not in text, left_out


def test_the_domicile_the_juminhyo_code_and_the_overseas_elector_are_printed_when_asked(annex):
    from datetime import date

    from yakuba.koseki_annex.services import note_overseas_elector

    with tenant_context(AIZU):
        note_overseas_elector(annex["会津 花子"][1], "registered", date(2026, 1, 5), "会津若松市")
    assert "在外選挙人" not in _text(_issue().pdf)
    asked = CopyRequest(HONSEKI, "会津 太郎", ("domicile", "juminhyo_code", "overseas_elector"))
    text = _text(_issue(asked).pdf)
    assert f"本籍{HONSEKI}" in text and "筆頭者会津太郎" in text
    assert annex["会津 太郎"][1] in text and annex["会津 花子"][1] in text
    assert "令和8年1月5日在外選挙人名簿に登録（会津若松市）" in text


def test_the_copy_is_in_the_ledger_and_reissued_through_this_app(annex):
    first = _issue(CopyRequest(HONSEKI, "会津 太郎", ("domicile",)))
    with tenant_context(AIZU):
        entry = Certificate.objects.get(number=first.number)
        assert (entry.kind, entry.requester, entry.options["requested"]) == (
            "annex_copy",
            "lineal",
            ["domicile"],
        )
        assert sorted(entry.atena_nos) == sorted(a for a, _ in annex.values())
        # the 手数料条例's fee, as the 住民票's (certificates/services/fees.py); 公用 free
        assert entry.fee == settings.current().fee > 0
    official = _issue(requester=ASK("official", name="福島県警察本部", purpose="捜査関係事項照会"))
    assert "公用" in _text(official.pdf)
    with tenant_context(AIZU):
        assert Certificate.objects.get(number=official.number).fee == 0
        again = issuing.reissue(first.number, requester=ASK("lineal", name="会津 一"), visibility=CLERK)
        assert Certificate.objects.get(number=again.number).reissue_of.number == first.number
    assert HONSEKI in _text(again.pdf)


def test_a_person_on_the_annex_asks_as_self_and_another_resident_may_not(annex, newcomer):
    taro = annex["会津 太郎"][0]
    assert _issue(requester=ASK("self", atena_no=taro)).pages == 1
    assert _refused(requester=ASK("self", atena_no=newcomer[0])) == [
        (
            "requester.atena_no",
            f"請求者（宛名番号 {newcomer[0]}）はこの附票に記載されていません（配偶者・直系の方はその区分を選んでください）",
        )
    ]


def test_a_person_on_the_annex_living_in_another_town_asks_as_self_by_juminhyo_code(annex):
    """本人 who lives elsewhere has no 宛名番号 here: the 附票 knows them by their 住民票コード
    (the requester's ``person_id``), checked against its rows; under a 支援措置 the 住所地
    marked, their own copy is not refused."""
    away = notice_line(**{"住民票コード": code(77), "氏名": "会津 次郎", "支援措置": "1"})
    with tenant_context(AIZU):
        take_in(notice_file(away), file_name="n.csv")
    issued = _issue(requester=ASK("self", person_id=code(77)))
    assert "【氏名】会津次郎" in _text(issued.pdf)
    assert _refused(requester=ASK("self", person_id=code(78))) == [
        (
            "requester.juminhyo_code",
            f"請求者（住民票コード {code(78)}）はこの附票に記載されていません（配偶者・直系の方はその区分を選んでください）",
        )
    ]
    # Another person on the 附票 asking sees the marked person refused, as before.
    with bind_actor(SYSTEM):
        assert [f for f, _ in _refused(requester=ASK("self", atena_no=annex["会津 太郎"][0]))] == [
            "requester"
        ]
    # Neither a 宛名番号 nor a 住民票コード: 本人 is not identified.
    assert _refused(requester=ASK("self")) == [
        (
            "requester.atena_no",
            "請求者（本人）の宛名番号を入力してください（他の市区町村の住民は住民票コード）",
        )
    ]


def test_every_broken_rule_is_named_at_its_field(annex):
    """第20条: a 第三者 and a 職務上請求 say why; a 代理人 brings a 委任状; the 同一世帯 of the 住民票
    is no ground; never by 広域交付; only the optional items may be asked for."""
    fields = [f for f, _ in _refused(CopyRequest(HONSEKI, "会津 太郎", ("name",), wide_area=True),
                                     ASK("third_party", name="債権 太郎"))]  # fmt: skip
    assert fields == ["requested", "counter", "requester.purpose"]
    assert [f for f, _ in _refused(requester=ASK("professional", name="弁護士 甲"))] == ["requester.purpose"]
    assert [f for f, _ in _refused(requester=ASK("agent", name="代理 次郎"))] == ["mandate"]
    assert [f for f, _ in _refused(requester=ASK("household", atena_no=annex["会津 太郎"][0]))] == [
        "requester.type"
    ]
    assert [f for f, _ in _refused(CopyRequest(HONSEKI, "山田 太郎"))] == ["honseki"]
    with tenant_context(AIZU):
        assert not Certificate.objects.exists()
    assert _issue(CopyRequest(HONSEKI, "会津 太郎", mandate=True), ASK("agent", name="代理 次郎")).pages == 1


def test_a_person_marked_under_protection_by_the_notice_stops_the_copy_unless_overridden(annex):
    """支援措置: the 住所地 marked the person; they have no 宛名番号 here, and the copy is refused
    (audited) — a clerk allowed to see protected persons may issue it with a recorded reason."""
    marked = notice_line(**{"住民票コード": code(77), "氏名": "会津 次郎", "支援措置": "1"})
    with tenant_context(AIZU):
        take_in(notice_file(marked), file_name="n.csv")
    with bind_actor(SYSTEM):  # the refusal is written when the actor is unbound
        assert _refused() == [("requester", "支援措置の対象者が含まれるため、この附票の写しは交付できません")]
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(detail__refused="protected", subject_ids=[code(77)]).exists()
    allowed = registry_door.Visibility(protected=True)
    issued = _issue(
        requester=ASK("lineal", name="会津 一", override_reason="裁判所の嘱託"), visibility=allowed
    )
    assert "【氏名】会津次郎" in _text(issued.pdf)


def test_a_copy_of_some_persons_only(annex):
    """一部の写し (南アルプス市: 同籍者一部): only the persons asked for; a code not on the 附票 is
    refused at ``persons``; a person marked under 支援措置 does not stop a copy that leaves them out."""
    taro, hanako = annex["会津 太郎"][1], annex["会津 花子"][1]
    text = _text(_issue(CopyRequest(HONSEKI, "会津 太郎", persons=(taro,))).pdf)
    assert "【氏名】会津太郎" in text and "会津花子" not in text
    # 花子, on the 附票, asks for 太郎's part as 本人
    assert _issue(
        CopyRequest(HONSEKI, "会津 太郎", persons=(taro,)), ASK("self", atena_no=annex["会津 花子"][0])
    )
    assert _refused(CopyRequest(HONSEKI, "会津 太郎", persons=(taro, code(999)))) == [
        ("persons", f"この附票に記録されていない住民票コードです: {code(999)}")
    ]
    marked = notice_line(**{"住民票コード": code(77), "氏名": "会津 次郎", "支援措置": "1"})
    with tenant_context(AIZU):
        take_in(notice_file(marked), file_name="n.csv")
    issued = _issue(CopyRequest(HONSEKI, "会津 太郎", persons=(hanako,)))
    assert "【氏名】会津花子" in _text(issued.pdf) and "会津次郎" not in _text(issued.pdf)
    with tenant_context(AIZU):
        assert Certificate.objects.get(number=issued.number).options["persons"] == [hanako]


def test_items_by_date_a_person_who_left_before_2022_01_11_and_a_person_abroad(annex):
    """registry-facts §17.2: one who left the 附票 (除籍) before 2022-01-11 never carried 生年月日・性別,
    so the copy shows neither for them (however asked); a 国外転出者 shows 「国外転出（国名）」 and
    the 転出予定年月日 instead of a 住所."""
    from yakuba.koseki.events import ACCEPTED
    from yakuba.koseki_annex.services import follow_koseki
    from yakuba.platform.linkage.outbox import emit

    grandpa = {"住民票コード": code(41), "氏名": "会津 一", "生年月日": "1930-01-01", "性別": "1",
               "住所を定めた年月日": "2000-04-01"}  # fmt: skip
    abroad = {"住民票コード": code(42), "氏名": "会津 三郎", "生年月日": "2000-02-02", "性別": "1", "住所": "",
              "国外転出者": "1", "転出先国名": "フランス", "住所を定めた年月日": "2026-12-20"}  # fmt: skip
    with tenant_context(AIZU):
        take_in(notice_file(notice_line(**grandpa), notice_line(**abroad)), file_name="n.csv")
        emit(ACCEPTED, subject="0000000041", data={
            "notification_no": "1", "kind": "death", "accepted_on": "2022-01-10", "event_on": "2022-01-10",
            "persons": [{"person_id": "0000000041", "atena_no": "", "name": "会津\u3000一", "name_kana": "",
                         "birth_date": "1930-01-01", "sex": "1", "koseki_id": "K", "honseki": HONSEKI,
                         "hittosha": "会津 太郎", "removed": True}],
        })  # fmt: skip
    follow_koseki(AIZU)
    text = _text(_issue(CopyRequest(HONSEKI, "会津 太郎", persons=(code(41), code(42)))).pdf)
    grandpa_part = text[text.index("【氏名】会津一") : text.index("【氏名】会津三郎")]
    assert "生年月日" not in grandpa_part and "性別" not in grandpa_part
    assert "除籍" in grandpa_part and "平成12年4月1日" in grandpa_part
    assert "【生年月日】平成12年2月2日" in text
    assert "【住所】国外転出（フランス）【転出予定年月日】令和8年12月20日" in text
