"""手数料 by kind (yakuba/certificates/services/fees.py): the 戸籍 certificates at the national
standard — 全部事項・個人事項 450円, 除籍・改製原戸籍 750円 (civil-facts §3.3, 多度津町) — the 住民票
and the 附票 at the municipality's 条例 amount (the issuing settings')."""

from __future__ import annotations

from datetime import date

from yakuba.certificates.services.fees import fee_for

DAY = date(2026, 12, 7)


def test_the_koseki_certificates_cost_the_national_standard():
    assert fee_for("koseki_full", DAY, ordinance_fee=300) == 450
    assert fee_for("koseki_individual", DAY, ordinance_fee=300) == 450
    assert fee_for("joseki_full", DAY, ordinance_fee=300) == 750
    assert fee_for("original_koseki", DAY, ordinance_fee=300) == 750


def test_the_others_cost_the_ordinance_amount():
    assert fee_for("juminhyo_copy", DAY, ordinance_fee=350) == 350
    assert fee_for("annex_copy", DAY, ordinance_fee=300) == 300
