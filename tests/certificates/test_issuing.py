"""Issuing: who may have a certificate, its number, its ledger row and audit, 支援措置, re-issue,
void and the daily CSV (住民基本台帳法 第12条〜第12条の3; 住民記録システム標準仕様書 §5.5)."""

from __future__ import annotations

import hashlib
import subprocess

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import person
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import issuing, ledger, seal, settings
from yakuba.certificates.services.content import CertificateRequest
from yakuba.platform.audit.log import SYSTEM, Actor, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.registry.services import RuleViolation, Visibility

pytestmark = pytest.mark.django_db

CLERK = Visibility(my_number=False, juminhyo_code=True, domicile=True, protected=False)
SELF = issuing.RequesterInfo


@pytest.fixture
def family(registry):
    result = registry.move_in(
        person(),
        person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻"),
        person("青木 一郎", "アオキ イチロウ", "1990-05-05", 1, "子"),
    )
    with bind_actor(SYSTEM), tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    return result["setai_no"], [p["atena_no"] for p in result["persons"]]


def _issue(setai_no, requester, **options):
    request = CertificateRequest(kind="juminhyo_copy", layout="household", setai_no=setai_no, **options)
    with bind_actor(Actor("staff", "madoguchi", "本庁1")), tenant_context(AIZU):
        return issuing.issue(request, requester=requester, visibility=CLERK)


def test_a_household_copy_is_issued_numbered_recorded_and_audited(family):
    setai_no, atena = family
    issued = _issue(setai_no, SELF("self", atena_no=atena[0]))
    assert issued.pdf.startswith(b"%PDF") and issued.pages == 1
    assert issued.number == f"{timezone.localdate():%Y%m%d}-000001"
    with bind_actor(SYSTEM), tenant_context(AIZU):
        row = Certificate.objects.get(number=issued.number)
        audit = AuditEntry.objects.filter(resource="certificate", action="print").get()
    assert row.pdf_digest == hashlib.sha256(issued.pdf).hexdigest() and row.fee == 300
    assert sorted(row.atena_nos) == sorted(atena) and row.actor == "madoguchi"
    assert sorted(audit.subject_ids) == sorted(atena) and audit.detail["number"] == issued.number
    second = _issue(setai_no, SELF("self", atena_no=atena[0]))
    assert second.number.endswith("-000002")


@pytest.mark.parametrize(
    ("requester", "field", "message"),
    [
        (SELF("self"), "requester.atena_no", "請求者（本人・同一世帯の者）の宛名番号を入力してください"),
        (
            SELF("third_party", name="山田 太郎"),
            "requester.purpose",
            "請求事由を入力してください（住民基本台帳法 第12条の2・第12条の3、戸籍法 第10条の2）",
        ),
        (SELF("agent"), "requester.name", "請求者の氏名（公用は機関名）を入力してください"),
        # The 戸籍's requesters: 職務上請求 names the professional and the case; 配偶者 a name.
        (
            SELF("professional", name="弁護士 甲野"),
            "requester.purpose",
            "請求事由を入力してください（住民基本台帳法 第12条の2・第12条の3、戸籍法 第10条の2）",
        ),
        (SELF("spouse"), "requester.name", "請求者の氏名（公用は機関名）を入力してください"),
        # … and are not the 住民票's (住基法12条 knows no 配偶者 ground).
        (
            SELF("spouse", name="青木 花子"),
            "requester.type",
            "住民票の証明書は「配偶者」の区分では請求できません",
        ),
    ],
)
def test_requester_rules(family, requester, field, message):
    with pytest.raises(RuleViolation) as refused:
        _issue(family[0], requester)
    assert (field, message) in refused.value.errors


def test_official_use_is_marked_only_for_an_official_request_and_costs_nothing(family):
    setai_no, atena = family
    with pytest.raises(RuleViolation) as refused:
        _issue(setai_no, SELF("self", atena_no=atena[0]), official_use=True)
    assert ("official_use", "「公用」は国・地方公共団体の機関の請求にだけ付けます") in refused.value.errors
    issued = _issue(
        setai_no, SELF("official", name="福島県警察本部", purpose="捜査関係事項照会"), official_use=True
    )
    with bind_actor(SYSTEM), tenant_context(AIZU):
        assert Certificate.objects.get(number=issued.number).fee == 0


def test_a_protected_persons_certificate_goes_to_the_person_alone(family):
    setai_no, atena = family
    with bind_actor(SYSTEM), tenant_context(AIZU):
        registry.set_measure(atena[1], starts_on=timezone.localdate(), kind="dv")
    with pytest.raises(RuleViolation) as refused:
        _issue(setai_no, SELF("third_party", name="債権者 株式会社", purpose="債権回収"))
    assert refused.value.errors == [("requester", issuing.PROTECTED_REFUSAL)]
    with bind_actor(SYSTEM), tenant_context(AIZU):
        refusal = AuditEntry.objects.filter(resource="certificate", detail__refused="protected").get()
    assert refusal.subject_ids == [atena[1]]
    own = _issue(setai_no, SELF("self", atena_no=atena[1]), atena_nos=(atena[1],))
    assert own.atena_nos == [atena[1]]


def test_nothing_is_issued_before_the_settings_are_registered(registry):
    result = registry.move_in(person())
    with pytest.raises(RuleViolation) as refused:
        _issue(result["setai_no"], SELF("self", atena_no=result["persons"][0]["atena_no"]))
    assert refused.value.errors[0][0] == "settings"


def test_reissue_void_and_the_daily_csv(family):
    setai_no, atena = family
    first = _issue(setai_no, SELF("self", atena_no=atena[0]))
    with bind_actor(Actor("staff", "madoguchi", "本庁1")), tenant_context(AIZU):
        again = issuing.reissue(first.number, requester=SELF("self", atena_no=atena[0]), visibility=CLERK)
        ledger.void(first.number, reason="記載誤りのため再発行")
        with pytest.raises(RuleViolation):
            ledger.void(first.number, reason="二度目")
        found = ledger.search(timezone.localdate(), timezone.localdate())
        text = ledger.daily_csv(timezone.localdate())
    assert [e.number for e in found] == [again.number, first.number]
    assert found[0].reissue_of == first.number and found[1].voided_at is not None
    assert text.startswith("\ufeff証明書番号,発行日時,種類")
    assert text.strip().splitlines()[-1].split(",")[7] == "300"  # the voided one is not counted


def test_a_move_out_certificate_issued_again_says_so_and_voids_the_first(town):
    """転出証明書 再交付: the new one is marked 「再交付」 and the lost one is no longer genuine."""
    from yakuba.certificates.services import verify

    request = CertificateRequest(kind="move_out_certificate", layout="individual", atena_nos=(town.leaving,))
    asked = SELF("self", atena_no=town.leaving)
    with bind_actor(Actor("staff", "madoguchi", "本庁1")), tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
        first = issuing.issue(request, requester=asked, visibility=CLERK)
        again = issuing.reissue(first.number, requester=asked, visibility=CLERK)
        assert verify.verify_number(first.number) == "unknown"
        assert verify.verify_number(again.number) == "genuine"
        assert ledger.get(first.number).void_reason == "再交付により無効"
    text = subprocess.run(["pdftotext", "-", "-"], input=again.pdf, capture_output=True, check=True).stdout
    assert "再交付" in text.decode().replace(" ", "")
