"""The 介護保険 app's door: what its API and CLI — and other apps — call.

- ``calculate_kaigo``: the 第1号被保険者's 保険料段階, annual premium and 利用者負担割合 of contract
  §9.4.1 (pure: no database).
- 第1号 資格: ``follow`` (the registry feed's consumer), ``age_events`` (the daily 65歳到達),
  ``insured_on``, ``seed_insured`` (demo aid).
- ``special_address``: 住所地特例 (介護保険法 §13) — ``apply_special``, ``end_special``, ``special_list``.
- ``certification``: 要介護認定 records — ``add_certification``, ``add_decision``, ``certifications``.
- ``copay``: the annual 利用者負担割合 (``run_copay``, ``decide_one``, ``copay_of``).
- ``documents``: the 介護保険負担割合証 PDF (``copay_card_pdf``, ``write_copay_cards``).
- ``Rejected``: a clerk's input refused, each field named (CLI exit 2, API 422).
"""

from yakuba.long_term_care.services import certification, copay, documents, special_address
from yakuba.long_term_care.services.calculation import KaigoIn, KaigoOut, calculate_kaigo
from yakuba.long_term_care.services.common import Rejected
from yakuba.long_term_care.services.lookup import READS as insured_reads
from yakuba.long_term_care.services.qualification import (
    age_events,
    checksum,
    follow,
    insured_on,
    seed_insured,
)
from yakuba.platform.calculations import CalculationRejected

__all__ = [
    "CalculationRejected",
    "Rejected",
    "certification",
    "copay",
    "documents",
    "special_address",
    "KaigoIn",
    "KaigoOut",
    "age_events",
    "calculate_kaigo",
    "checksum",
    "follow",
    "insured_on",
    "insured_reads",
    "seed_insured",
]
