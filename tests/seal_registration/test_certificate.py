"""The 印鑑登録証明書 on the certificates machinery (civil-facts §2.4, §2.5): asked for with the
印鑑登録証, showing only the 印影, 氏名, 生年月日 and 住所 (the registry's on the day: a 転居
changes it), numbered, signed, QR-verifiable and in the 交付履歴; refused once a 転出 has ended
the registration."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import AIZU
from tests.registry.conftest import days_ago, registry  # noqa: F401 (fixture)
from tests.seal_registration.conftest import TODAY, application, in_town, move_out, move_within
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import issuing, seal, settings, verify
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry_door
from yakuba.seal_registration.services import certificate, follow, ordinance, registrations

ASK = issuing.RequesterInfo
CLERK = registry_door.Visibility()
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
IMPRESSION = seal.sample_seal("花子")  # a real PNG: the certificate prints it

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def card(family, system_actor):
    """花子's seal registered the same day, the certificate settings in place: her card number."""
    with tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    done = in_town(
        registrations.apply_registration, application(family["山田 花子"], "花子", image=IMPRESSION)
    )
    return done.card_no


def _issue(card_no: str, requester=None):
    return in_town(
        certificate.issue, card_no, requester=requester or ASK("agent", name="代理 次郎"), visibility=CLERK
    )


def _refused(card_no: str, requester=None) -> list[tuple[str, str]]:
    with pytest.raises(issuing.RuleViolation) as caught:
        _issue(card_no, requester)
    return caught.value.errors


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_certificate_shows_the_impression_name_birth_date_and_address_only(family, card):
    issued = _issue(card, ASK("self", atena_no=family["山田 花子"]))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "seal-certificate.pdf").write_bytes(issued.pdf)
    text = _text(issued.pdf)
    assert "印鑑登録証明書" in text.replace(" ", "") and "山田 花子" in text and "東栄町3番46号" in text
    assert "昭和57年7月7日" in text and "印影" in text
    assert "登録されている印影と相違ないことを証明する" in text
    assert "性別" not in text and "続柄" not in text and "世帯主" not in text
    with tenant_context(AIZU):
        entry = Certificate.objects.get(number=issued.number)
        assert (entry.kind, entry.atena_nos) == ("seal_certificate", [family["山田 花子"]])
        assert entry.get_kind_display() == "印鑑登録証明書"
        assert verify.verify_pdf(issued.pdf) == ("genuine", issued.number)
        audit = {
            (a.action, a.resource)
            for a in AuditEntry.objects.filter(subject_ids__contains=[family["山田 花子"]])
        }
    assert {("read", "seal_registration"), ("print", "certificate")} <= audit


def test_the_card_is_required(card):
    assert _refused("") == [("card_no", certificate.NO_CARD)]
    assert _refused("00000000" if card != "00000000" else "00000001")[0][0] == "card_no"
    assert _refused(card, ASK("third_party", name="債権者", purpose="債権回収")) == [
        ("requester.type", certificate.REFUSED_REQUESTER)
    ]


def test_a_move_within_the_town_changes_the_certificate_s_address(registry, family, card):  # noqa: F811
    move_within(registry, family)
    follow.follow(AIZU)
    text = _text(_issue(card).pdf)
    assert "栄町1番1号" in text and "東栄町3番46号" not in text


def test_a_request_after_the_move_out_is_refused(registry, family, card):  # noqa: F811
    move_out(registry, [family["山田 花子"]], days_ago(0))
    follow.follow(AIZU)
    errors = _refused(card)
    assert errors[0][0] == "card_no"
    assert errors[0][1].startswith("この印鑑登録証の登録は廃止されているため、証明できません（転出、")
    with tenant_context(AIZU):
        assert not Certificate.objects.exists()


def test_the_ledger_reissues_it_through_this_app_and_not_after_the_abolition(family, card):
    first = _issue(card)
    again = in_town(issuing.reissue, first.number, requester=ASK("agent", name="代理 次郎"), visibility=CLERK)
    with tenant_context(AIZU):
        entry = Certificate.objects.get(number=again.number)
        assert entry.kind == "seal_certificate" and entry.reissue_of.number == first.number
    in_town(registrations.report_lost, card)
    with pytest.raises(issuing.RuleViolation, match="廃止されているため"):
        in_town(issuing.reissue, first.number, requester=ASK("agent", name="代理 次郎"), visibility=CLERK)


def test_the_my_number_card_as_the_card_for_the_registrant_only_where_the_ordinance_says_so(family, card):
    """古河市: the マイナンバーカード serves as the 印鑑登録証 — the registrant only (§2.3, §2.4)."""
    hanako = family["山田 花子"]
    by_card = {"requester": ASK("self", atena_no=hanako), "visibility": CLERK, "my_number_card": True}
    with pytest.raises(issuing.RuleViolation) as caught:
        in_town(certificate.issue, "", **by_card)
    assert caught.value.errors == [("my_number_card", certificate.MY_NUMBER_CARD_NOT_USED)]
    in_town(ordinance.set_from, TODAY, my_number_card_as_card=True)
    issued = in_town(certificate.issue, "", **by_card)
    with tenant_context(AIZU):
        assert Certificate.objects.get(number=issued.number).atena_nos == [hanako]
    # re-issued from the ledger the same way, today's rules
    again = in_town(issuing.reissue, issued.number, requester=ASK("self", atena_no=hanako), visibility=CLERK)
    assert again.number != issued.number
    with pytest.raises(issuing.RuleViolation) as caught:
        in_town(certificate.issue, "", **{**by_card, "requester": ASK("agent", name="代理 次郎")})
    assert caught.value.errors == [("requester.type", certificate.MY_NUMBER_CARD_SELF)]
    with pytest.raises(issuing.RuleViolation) as caught:
        in_town(certificate.issue, "", **{**by_card, "requester": ASK("self", atena_no=family["山田 太郎"])})
    assert caught.value.errors == [("requester.atena_no", certificate.NO_OPEN_REGISTRATION)]
    in_town(registrations.abolish, in_town(registrations.registration_of, hanako).registration_no)
    with pytest.raises(issuing.RuleViolation) as caught:
        in_town(certificate.issue, "", **by_card)
    assert caught.value.errors[0][0] == "my_number_card" and "廃止されているため" in caught.value.errors[0][1]
