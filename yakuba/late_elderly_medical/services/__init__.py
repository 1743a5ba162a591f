"""The 後期高齢者医療 app's door: what its API and CLI — and other apps — call.

- ``calculate_kouki``: the pure 後期高齢者医療保険料 calculation of contract §9.4 (no database).
- 資格: ``follow`` (the registry feed's consumer), ``age_events`` (the daily 75歳到達), ``enrol``
  (障害認定), ``set_welfare`` (生活保護 開始・廃止), ``insured_on``, ``seed_insured`` (demo aid).
- The files exchanged with the 広域連合: ``export_idou`` / ``export_shotoku`` (out),
  ``read_premiums`` / ``load_premiums`` (the 賦課結果 in), ``latest_results`` (the premium in
  force) and ``verify`` (our recomputation of the 広域連合's figures).
"""

from yakuba.late_elderly_medical.services.calculation import KoukiIn, KoukiOut, calculate_kouki
from yakuba.late_elderly_medical.services.exchange import (
    ExchangeRejected,
    Exported,
    count_walk,
    export_idou,
    export_shotoku,
    exports,
)
from yakuba.late_elderly_medical.services.lookup import READS as insured_reads
from yakuba.late_elderly_medical.services.premium_import import (
    PremiumsRejected,
    Received,
    latest_results,
    load_premiums,
    read_premiums,
)
from yakuba.late_elderly_medical.services.qualification import (
    QualificationRejected,
    age_events,
    checksum,
    enrol,
    follow,
    insured_on,
    seed_insured,
    set_welfare,
)
from yakuba.late_elderly_medical.services.recompute import Difference, Verified, VerifyRejected, verify
from yakuba.platform.calculations import CalculationRejected

__all__ = [
    "CalculationRejected",
    "Difference",
    "ExchangeRejected",
    "Exported",
    "KoukiIn",
    "KoukiOut",
    "PremiumsRejected",
    "QualificationRejected",
    "Received",
    "Verified",
    "VerifyRejected",
    "age_events",
    "calculate_kouki",
    "checksum",
    "count_walk",
    "enrol",
    "export_idou",
    "export_shotoku",
    "exports",
    "follow",
    "insured_on",
    "insured_reads",
    "latest_results",
    "load_premiums",
    "read_premiums",
    "seed_insured",
    "set_welfare",
    "verify",
]
