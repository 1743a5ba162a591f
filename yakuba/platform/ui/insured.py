"""The staff screens an individual 資格 book (後期, 介護 第1号) shares: 資格照会 by 宛名番号 and the
month's 年齢到達 list, plus the home screen's count that links to it — and the pieces a screen of a
month's list needs (the month asked, the keyset cursor), which 国民年金's 20歳到達 uses too.

The domain hands in its reads (``linkage.insured_reads.InsuredReads``, bound to the registry's
door) and the registry's ``NotFound``: the platform imports no domain. A person hidden by 支援措置
is not found, as on the registry's own screens for these roles (the registry audits the attempt).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from yakuba.platform.linkage.qualification import Change
from yakuba.platform.ui.home import HomeTask
from yakuba.platform.ui.staff import staff_view

ATENA = re.compile(r"^\d{2,15}$")
PAGE = 50
CHANGES = dict(Change.choices)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2}):(\d{1,15})$")


@dataclass(frozen=True)
class Month:
    first: date
    last: date
    value: str  # YYYY-MM, as ``<input type="month">`` gives it


def _month(year: int, month: int) -> Month:
    return Month(
        date(year, month, 1),
        date(year, month, calendar.monthrange(year, month)[1]),
        f"{year:04d}-{month:02d}",
    )


def this_month() -> Month:
    today = timezone.localdate()
    return _month(today.year, today.month)


def asked_month(text: str) -> tuple[Month, str]:
    """The month of ``?month=YYYY-MM`` (this month when empty) and an error for one unreadable."""
    if not text:
        return this_month(), ""
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2999:
        return this_month(), "月は「2026-04」の形で入力してください"
    return _month(int(m.group(1)), int(m.group(2))), ""


def asked_cursor(text: str) -> tuple[date, str] | None:
    """The keyset of ``?after=YYYY-MM-DD:宛名番号`` (the last row of the page before); ``None``
    for the first page or a cursor that cannot be read (the list starts again)."""
    m = _CURSOR.match(text or "")
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1)), m.group(2)
    except ValueError:
        return None


def next_cursor(page: list, day_of, limit: int = PAGE) -> str:
    """The cursor of the page after ``page`` (empty when this page is the last)."""
    if len(page) < limit:
        return ""
    last = page[-1]
    return f"{day_of(last).isoformat()}:{last.atena_no}"


class InsuredScreens:
    """照会 and 年齢到達 of one domain, from its reads (``InsuredReads``: its book, bound to the
    registry's door) and its codes (``AcquiredReason``, ``LostReason``): the URL namespace is the
    book's app, the title its ``verbose_name``."""

    def __init__(self, reads, codes, *, age: int, roles):
        self.app = reads.book.resource.split(".")[0]
        self.title = apps.get_app_config(self.app).verbose_name
        self.age, self.reads, self.not_found = age, reads, reads.registry.NotFound
        self.reasons = {**dict(codes.AcquiredReason.choices), **dict(codes.LostReason.choices)}
        self.lookup = staff_view(roles=roles)(self._lookup)
        self.reached = staff_view(roles=roles)(self._reached)

    def _context(self, **more) -> dict:
        urls = {"lookup_url": reverse(f"{self.app}:lookup"), "list_url": reverse(f"{self.app}:reached")}
        return {"app": self.app, "area": self.title, "age": self.age, "active": self.app, **urls, **more}

    def _lookup(self, request):
        """資格照会: the person (the registry's) and every 資格 row, 事由 in words, voided rows
        struck through. The read is audited (the book's resource, and the registry's)."""
        atena_no = request.GET.get("atena_no", "").strip()[:15]
        context = self._context(atena_no=atena_no)
        status = 200
        if atena_no and not ATENA.match(atena_no):
            context["error"], status = "宛名番号は数字で入力してください", 422
        elif atena_no:
            try:
                person = self.reads.person(atena_no)
                context["person"] = person
                context["rows"] = [
                    (row, CHANGES.get(row.change, row.change), self.reasons.get(row.reason, row.reason))
                    for row in person.rows
                ]
            except self.not_found:
                context["error"], status = f"宛名番号 {atena_no} の方は見つかりません", 404
        return render(request, "ui/insured_lookup.html", context, status=status)

    def _reached(self, request):
        """The month's 年齢到達 (取得), a keyset page at a time, with names (the registry's)."""
        month, error = asked_month(request.GET.get("month", ""))
        after = asked_cursor(request.GET.get("after", ""))
        page = self.reads.reached(month.first, month.last, after=after, limit=PAGE)
        context = self._context(month=month, error=error, page=page, after=after)
        context["next"] = next_cursor(page, lambda p: p.acquired_on)
        return render(request, "ui/insured_reached.html", context, status=422 if error else 200)

    def home_tasks(self, request) -> list[HomeTask]:
        """This month's 年齢到達 (one count), linking to the list."""
        return [
            month_task(
                self.title, self.age, f"{self.app}:reached", lambda m: self.reads.count(m.first, m.last)
            )
        ]


def month_task(title: str, age: int, url_name: str, count_of: Callable[[Month], int]) -> HomeTask:
    """The home screen's line of this month's 年齢到達 (``count_of`` the month), linking to its list."""
    month = this_month()
    return HomeTask(
        f"{title}：今月の{age}歳到達",
        f"{count_of(month):,}人",
        reverse(url_name) + f"?month={month.value}",
        link_label=f"{age}歳到達の一覧を開く",
    )
