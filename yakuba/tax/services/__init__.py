"""The tax app's door: what its API, screens, CLI and jobs — and other apps — call.

- ``calculate_resident_tax``: the pure 個人住民税 calculation of contract §9.2 (no database);
- ``incomes_of``: the 所得 of one person from revenues, as that calculation computes them (the
  insurance apps' 総所得金額等 and 合計所得金額);
- ``read_reports`` / ``load_reports``: 課税資料 in, all or nothing, matched to residents;
- ``assessment``: the annual 当初課税 (``run_initial``), its status and checksum, ``versions`` of
  one person, ``figures_of`` — the 所得 of many persons at once (the 国保 本算定 reads them) — and
  ``levies_of`` — the 所得割 before the 税額控除 and the 均等割 非課税 of many (the 保育料);
- ``declarations``: a 申告 entered at the counter, and unmatched 課税資料 joined by hand;
- ``certificate``: the 所得・課税証明書, issued with the certificates app's machinery;
- ``assessments_changed_since``: who got a new assessment version after a moment (the 国保 更正).
"""

from yakuba.tax.services import assessment, certificate, declarations
from yakuba.tax.services.calculation import (
    CalculationRejected,
    ResidentTaxIn,
    ResidentTaxOut,
    calculate_resident_tax,
    incomes_of,
)
from yakuba.tax.services.changes import assessments_changed_since
from yakuba.tax.services.income_import import (
    ImportSummary,
    ParsedReport,
    ReportsRejected,
    load_reports,
    read_reports,
)

__all__ = [
    "CalculationRejected",
    "ImportSummary",
    "ParsedReport",
    "ReportsRejected",
    "ResidentTaxIn",
    "ResidentTaxOut",
    "assessment",
    "assessments_changed_since",
    "certificate",
    "calculate_resident_tax",
    "declarations",
    "incomes_of",
    "load_reports",
    "read_reports",
]
