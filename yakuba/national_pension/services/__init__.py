"""The 国民年金 app's door: what its API and CLI — and other apps — call.

- ``judge_exemption``: the 免除・納付猶予・学生納付特例 judgement of contract §9.4.2 (pure: no
  database);
- ``entrants_on`` / ``entrants_csv``: the residents who reach 20 on a day (資格取得 届出 data);
- ``check_notification`` / ``record_notification``, ``check_application`` /
  ``record_application``, ``filed_by``: the 届出 and 免除等 申請 taken at the counter
  (append-only, audited, with events);
- ``export_file``: the file to the 年金事務所 of everything not sent yet.
"""

from yakuba.national_pension.services.calculation import ExemptionIn, ExemptionOut, judge_exemption
from yakuba.national_pension.services.entry import Entrant, entrants_csv, entrants_on
from yakuba.national_pension.services.office_file import COLUMNS, Exported, export_file
from yakuba.national_pension.services.records import (
    ApplicationIn,
    ApplicationOut,
    NotificationIn,
    NotificationOut,
    check_application,
    check_notification,
    filed_by,
    record_application,
    record_notification,
)
from yakuba.platform.calculations import CalculationRejected

__all__ = [
    "COLUMNS",
    "ApplicationIn",
    "ApplicationOut",
    "CalculationRejected",
    "Entrant",
    "ExemptionIn",
    "ExemptionOut",
    "Exported",
    "NotificationIn",
    "NotificationOut",
    "check_application",
    "check_notification",
    "entrants_csv",
    "entrants_on",
    "export_file",
    "filed_by",
    "judge_exemption",
    "record_application",
    "record_notification",
]
