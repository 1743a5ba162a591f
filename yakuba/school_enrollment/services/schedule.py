"""The year's dates as data (civil-facts §4.2): the 就学時健康診断 and the 就学通知 of the children
entering on a 4月1日, each checked against the statutory deadline."""

from __future__ import annotations

from datetime import date

from yakuba.platform.audit.log import Action, record
from yakuba.platform.tenancy.context import require_tenant
from yakuba.school_enrollment.models import Schedule
from yakuba.school_enrollment.services.follow import statutory_dates


class BadSchedule(ValueError):
    """Dates the law does not allow: every problem as (field, Japanese message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("\n".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


def check_schedule(entry_year: int, health_check_on: date, notice_on: date) -> list[tuple[str, str]]:
    """保健安全法施行令 第1条: the 健診 after the 学齢簿 is made (基準日 10月1日 — 施行規則 第31条) and
    by 11月30日; 学校教育法施行令 第5条: the 就学通知 by 1月31日, after the 健診 (its result may
    change the school)."""
    last_check, last_notice = statutory_dates(entry_year)
    errors = []
    if not date(entry_year - 1, 10, 1) <= health_check_on <= last_check:
        errors.append(
            (
                "health_check_on",
                f"就学時健康診断は {entry_year - 1}年10月1日から{last_check:%Y年%-m月%-d日}までの日にしてください",
            )
        )
    if not health_check_on <= notice_on <= last_notice:
        errors.append(
            (
                "notice_on",
                f"就学通知は就学時健康診断の日から{last_notice:%Y年%-m月%-d日}までに発送してください",
            )
        )
    return errors


def apply_schedule(entry_year: int, health_check_on: date, notice_on: date) -> Schedule:
    errors = check_schedule(entry_year, health_check_on, notice_on)
    if errors:
        raise BadSchedule(errors)
    schedule, _created = Schedule.objects.update_or_create(
        lg_code=require_tenant().lg_code,
        entry_year=entry_year,
        defaults={"health_check_on": health_check_on, "notice_on": notice_on},
    )
    record(
        Action.UPDATE,
        "school_enrollment.schedule",
        purpose="就学事務の日程",
        detail={
            "entry_year": entry_year,
            "health_check_on": health_check_on.isoformat(),
            "notice_on": notice_on.isoformat(),
        },
    )
    return schedule


def schedule_of(entry_year: int) -> tuple[date, date]:
    """(健診の日, 就学通知の発送日) of the year: the stored ones, else the statutory last days."""
    found = Schedule.objects.filter(entry_year=entry_year).first()
    return (found.health_check_on, found.notice_on) if found else statutory_dates(entry_year)
