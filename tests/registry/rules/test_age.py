"""年齢 as the register counts it: 年齢計算ニ関スル法律 and 民法第143条."""

from __future__ import annotations

from datetime import date

import pytest

from yakuba.registry.rules import registered_age


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        # The new age from the day before the birthday (the year of life ends at its end).
        (date(1960, 1, 7), date(2026, 1, 5), 65),
        (date(1960, 1, 7), date(2026, 1, 6), 66),
        (date(1960, 1, 7), date(2026, 1, 7), 66),
        # 4月2日生まれ is 6 on 4月1日; 4月1日生まれ already on 3月31日 (hence the earlier school
        # year, 学校教育法第17条).
        (date(2019, 4, 2), date(2025, 4, 1), 6),
        (date(2019, 4, 1), date(2025, 3, 31), 6),
        (date(2019, 4, 1), date(2025, 3, 30), 5),
        # 2月29日: no anniversary in a common year, the period ends on 2月28日 (民法第143条第2項
        # ただし書) — a year older on 2月28日; in a leap year also on 2月28日.
        (date(2000, 2, 29), date(2001, 2, 27), 0),
        (date(2000, 2, 29), date(2001, 2, 28), 1),
        (date(2000, 2, 29), date(2004, 2, 28), 4),
        # The day of birth and the day before it.
        (date(2026, 5, 5), date(2026, 5, 5), 0),
        (date(2026, 5, 5), date(2026, 5, 4), None),
    ],
)
def test_registered_age(birth, on, age):
    assert registered_age(birth, on) == age
