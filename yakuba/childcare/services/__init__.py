"""The 保育 app's door: what its API, screens and CLI — and other apps — call.

- ``calculate_fee``: the 利用者負担 of one child's month (contract §9.10; pure: no database);
- 施設 and 受入可能数: ``save_facility``, ``facilities``;
- 支給認定: ``check_certification`` (every rule, nothing written) / ``apply_certification``;
- 利用申込: ``check_application`` / ``apply_application`` (the 指数 and the 所得割);
- 利用調整: ``run_allocation``, ``allocation_run`` (and ``allocation_csv``), ``latest_runs``, ``places_left``;
- 利用者負担 決定: ``check_fee`` / ``decide_fee``; ``redecision.redecide`` (the September 再決定
  of every child in care, a resumable batch);
- ``follow``: the registry's 転出・死亡 end a child's 認定 and 利用者負担, with a work item
  (``open_work``, ``count_open_work``, ``close_work``);
- a child's records: ``child_records``; the 認定 ending in a period: ``expiring``;
- printed: ``certificate_pdf`` (支給認定証), ``fee_notice_pdf`` (利用者負担額決定通知書).

Bad input is every reason at once as ``CalculationRejected``; a child under 支援措置 is unknown
to a caller that may not see them (``protected=False``).
"""

from yakuba.childcare.services import follow, redecision
from yakuba.childcare.services.allocation import (
    ResultLine,
    RunOut,
    allocation_csv,
    allocation_run,
    latest_runs,
    places_left,
    run_allocation,
)
from yakuba.childcare.services.applications import (
    ApplicationIn,
    ApplicationOut,
    RankingParentIn,
    apply_application,
    check_application,
)
from yakuba.childcare.services.calculation import FeeIn, FeeOut, calculate_fee
from yakuba.childcare.services.certification import (
    CertificationIn,
    CertificationOut,
    ParentIn,
    apply_certification,
    check_certification,
)
from yakuba.childcare.services.common import MONTH
from yakuba.childcare.services.documents import certificate_pdf, fee_notice_pdf
from yakuba.childcare.services.facilities import FacilityIn, FacilityLine, PlaceIn, facilities, save_facility
from yakuba.childcare.services.fees import FeeDecisionIn, FeeDecisionOut, FeeRange, check_fee, decide_fee
from yakuba.childcare.services.lookup import ChildRecords, Expiring, child_records, count_expiring, expiring
from yakuba.childcare.services.work import Work, close_work, count_open_work, open_work
from yakuba.platform.calculations import CalculationRejected

__all__ = [
    "MONTH",
    "Work",
    "close_work",
    "count_open_work",
    "follow",
    "open_work",
    "redecision",
    "ApplicationIn",
    "ApplicationOut",
    "CalculationRejected",
    "CertificationIn",
    "CertificationOut",
    "ChildRecords",
    "Expiring",
    "FacilityIn",
    "FacilityLine",
    "FeeDecisionIn",
    "FeeDecisionOut",
    "FeeIn",
    "FeeOut",
    "FeeRange",
    "ParentIn",
    "PlaceIn",
    "RankingParentIn",
    "ResultLine",
    "RunOut",
    "allocation_csv",
    "allocation_run",
    "apply_application",
    "apply_certification",
    "calculate_fee",
    "certificate_pdf",
    "check_application",
    "check_certification",
    "check_fee",
    "child_records",
    "count_expiring",
    "decide_fee",
    "expiring",
    "facilities",
    "fee_notice_pdf",
    "latest_runs",
    "places_left",
    "run_allocation",
    "save_facility",
]
