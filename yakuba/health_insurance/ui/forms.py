"""The 国保 届出 forms: 加入届, 脱退届, 資格の訂正 and closing a work item without a 届出.

Each form is a few ``Input``s read from the POST; every error lands next to its input (a date
that cannot be read, a 届出日 after today, a rule the door refuses). Dates are typed as clerks
write them — 和暦 (``R8.4.1``, ``令和8年4月1日``) or 西暦 — and read back in 和暦.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from yakuba.health_insurance.codes import AcquiredReason, LostReason, WorkKind
from yakuba.platform.japanese.wareki import WarekiError, format_wareki, parse_wareki

DATE_HINT = "例：R8.4.1（和暦または西暦）"
# What the clerk files at the counter: the other 事由 come from the registry's 異動 (転入・転出・
# 出生・死亡), the 75歳到達 job or the migration (codes.py).
ENROL_REASONS = (
    AcquiredReason.MOVE_IN,
    AcquiredReason.LEFT_EMPLOYEE_INSURANCE,
    AcquiredReason.WELFARE_ENDED,
    AcquiredReason.BIRTH,
    AcquiredReason.DISABILITY_WITHDRAWN,
    AcquiredReason.EX_OFFICIO,
)
WITHDRAW_REASONS = (LostReason.JOINED_EMPLOYEE_INSURANCE, LostReason.WELFARE_STARTED, LostReason.EX_OFFICIO)
# The door's refusals name what they are about; each goes next to that input.
_DOOR_FIELDS = (("届出日", "notified_on"), ("事由", "reason"), ("75歳", "effective_on"), ("訂正", "row"))


@dataclass
class Input:
    """One input; ``name`` is its POST name."""

    name: str
    label: str
    kind: str = "text"  # text | date | select
    value: str = ""
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^0-9A-Za-z]+", "-", self.name).strip("-")

    @property
    def shown(self) -> str:
        """The value as the 確認 screen shows it: a date in 和暦, a choice by its label."""
        if self.kind == "date":
            return self.parsed
        return dict(self.options).get(self.value, self.value)

    @property
    def parsed(self) -> str:
        day = _date(self.value)
        return format_wareki(day) if day else ""


def _date(text: str) -> date | None:
    try:
        return parse_wareki(unicodedata.normalize("NFKC", text).strip()) if text.strip() else None
    except (WarekiError, ValueError):
        return None


@dataclass
class Filing:
    """A 届出 form: its inputs, what the clerk typed, what was read."""

    title: str
    action: str  # the verb on the 確認 screen's button
    inputs: list[Input]
    values: dict = field(default_factory=dict)

    @property
    def invalid(self) -> bool:
        return any(i.errors for i in self.inputs)

    @property
    def summary(self) -> list[dict]:
        return [{"id": i.id, "label": i.label, "message": e} for i in self.inputs for e in i.errors]

    def read(self, data) -> bool:
        """Take the POST; check what the form can check alone; ``values`` the parsed values."""
        today = timezone.localdate()
        for item in self.inputs:
            item.value = data.get(item.name, "").strip()[:200]
            if not item.value:
                item.errors.append(f"{item.label}を入力してください")
            elif item.kind == "date":
                day = _date(item.value)
                if day is None:
                    item.errors.append(f"{item.label}を日付として読めません（{DATE_HINT}）")
                elif item.name == "notified_on" and day > today:
                    item.errors.append("届出日は今日以前の日付です")
                self.values[item.name] = day
            elif item.kind == "select" and item.value not in dict(item.options):
                item.errors.append(f"{item.label}を一覧から選んでください")
            else:
                self.values[item.name] = item.value
        return not self.invalid

    def refused(self, message: str) -> None:
        """A rule the door refused: on the input it names (else the first)."""
        name = next((n for word, n in _DOOR_FIELDS if word in message), self.inputs[0].name)
        target = next((i for i in self.inputs if i.name == name), self.inputs[0])
        target.errors.append(message)


def _options(choices) -> tuple[tuple[str, str], ...]:
    return tuple((c.value, c.label) for c in choices)


def _today() -> str:
    return format_wareki(timezone.localdate())


def enrol_form(moved_in: date) -> Filing:
    """加入届 (国保法 §9): 取得日 the 転入日 unless the person says otherwise (facts §2.2)."""
    return Filing(
        "加入届（資格取得）",
        "加入を登録する",
        [
            Input("effective_on", "資格取得日", "date", format_wareki(moved_in), hint=DATE_HINT),
            Input("reason", "取得事由", "select", AcquiredReason.MOVE_IN, _options(ENROL_REASONS)),
            Input("notified_on", "届出日", "date", _today(), hint=DATE_HINT),
        ],
    )


def withdraw_form() -> Filing:
    """脱退届: 社保加入 loses on the day after joining, 生保開始 on the same day (facts §2.2)."""
    return Filing(
        "脱退届（資格喪失）",
        "喪失を登録する",
        [
            Input(
                "effective_on",
                "資格喪失日",
                "date",
                hint="社保加入は加入日の翌日、生活保護の開始は開始日（" + DATE_HINT + "）",
            ),
            Input(
                "reason",
                "喪失事由",
                "select",
                LostReason.JOINED_EMPLOYEE_INSURANCE,
                _options(WITHDRAW_REASONS),
            ),
            Input("notified_on", "届出日", "date", _today(), hint=DATE_HINT),
        ],
    )


def correct_form(rows: tuple[tuple[str, str], ...], chosen: str = "") -> Filing:
    """資格の訂正: the row recorded in error (``rows``: (id, its description)) and why."""
    return Filing(
        "資格の訂正",
        "訂正する",
        [
            Input("row", "訂正する記録", "select", chosen, rows),
            Input("note", "訂正の理由", hint="例：転入日の入力誤り（届出書で確認）"),
        ],
    )


def close_form(kind: str) -> Filing:
    """Closing a work item without a 届出: the reason is kept in the audit row."""
    enrolment = kind == WorkKind.ENROLMENT
    return Filing(
        "対象外（社保加入済み等）" if enrolment else "確認済みにする",
        "処理済みにする",
        [
            Input(
                "note",
                "理由",
                value="社会保険に加入済み" if enrolment else "確認済み",
                hint="例：勤務先の健康保険証を確認" if enrolment else "例：後期高齢者医療の資格取得を確認",
            )
        ],
    )
