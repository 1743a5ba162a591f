"""The 国民健康保険 app's door: what its API and CLI — and other apps — call.

- ``calculate_kokuho``: the pure 国民健康保険税/料 calculation of contract §9.3 (no database).
- 資格: ``enrol`` / ``withdraw`` (the clerk's 加入届・脱退届), ``follow`` (the registry feed's
  consumer), ``age_events`` (the daily 75歳到達), ``work_items`` (加入届 pending, 75歳到達 — the
  後期 app reads these), ``insured_on``, ``seed_insured`` (migration and demo aid).
- ``insured_numbers``: each person's 被保険者 記号・番号 and 枝番 (the 資格確認書 prints them).
- ``notices``: the 納税通知書（納入通知書） of a 世帯's stored 本算定 (one, or a batch's pages).
- ``card``: the 資格確認書 of a 被保険者 on a day (one, or a batch's pages).
"""

from yakuba.health_insurance.services import annual, card, notices
from yakuba.health_insurance.services.ageing import age_events, seed_insured
from yakuba.health_insurance.services.calculation import (
    CalculationRejected,
    KokuhoIn,
    KokuhoOut,
    calculate_kokuho,
)
from yakuba.health_insurance.services.follow import Followed, follow
from yakuba.health_insurance.services.numbers import insured_numbers
from yakuba.health_insurance.services.qualification import (
    QualificationRejected,
    WorkLine,
    checksum,
    correct,
    enrol,
    insured_on,
    withdraw,
    work_items,
)

__all__ = [
    "CalculationRejected",
    "Followed",
    "KokuhoIn",
    "KokuhoOut",
    "QualificationRejected",
    "WorkLine",
    "age_events",
    "annual",
    "calculate_kokuho",
    "card",
    "checksum",
    "correct",
    "enrol",
    "follow",
    "insured_numbers",
    "insured_on",
    "notices",
    "seed_insured",
    "withdraw",
    "work_items",
]
