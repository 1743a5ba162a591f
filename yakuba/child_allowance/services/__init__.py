"""The 児童手当 app's door: what its API, screens and CLI — and other apps — call.

- ``calculate_allowance``: the month's 児童手当 of each child and in total (contract §9.5;
  pure: no database);
- ``certification``: the 認定請求 (``check_claim`` for the 確認 step, ``certify``);
- ``revision``: the 額改定認定請求 (``apply_revision``), the 受給事由消滅届 (``apply_end``) and the
  monthly ``age_review``;
- ``follow``: the registry's events (births and 転入 → work items, the 受給者's 転出・死亡 → 消滅);
- ``lookup``: a 受給者's 認定 with every amount period and its steps, ``payable`` for a month,
  pages of 受給者 and work items.
"""

from yakuba.child_allowance.services import certification, follow, lookup, revision
from yakuba.child_allowance.services.calculation import AllowanceIn, AllowanceOut, calculate_allowance
from yakuba.child_allowance.services.certification import ChildIn, ClaimIn, ClaimRejected
from yakuba.child_allowance.services.ledger import Rejected
from yakuba.child_allowance.services.revision import EndIn, RevisionIn
from yakuba.platform.calculations import CalculationRejected

__all__ = [
    "AllowanceIn",
    "AllowanceOut",
    "CalculationRejected",
    "ChildIn",
    "ClaimIn",
    "ClaimRejected",
    "EndIn",
    "Rejected",
    "RevisionIn",
    "calculate_allowance",
    "certification",
    "follow",
    "lookup",
    "revision",
]
