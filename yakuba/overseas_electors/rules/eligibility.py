"""Who may be registered on the 在外選挙人名簿, when, by which municipality, and when an entry is
struck off — date arithmetic only (docs/reference/civil-facts.md §1.4, §1.3).

- 出国時申請 (公職選挙法30条の5第2項, since 2018-06-01): a person moving straight abroad applies to
  the 選管 of the 最終住所地 **from the day the 国外への転出届 is filed to the 転出予定日 inclusive**
  (https://www.city.kazuno.lg.jp/shisei_machizukuri/senkyo/7/4100.html ;
  https://www.city.sakaide.lg.jp/soshiki/senkyo/syukkokujisinsei.html), being on that
  municipality's 選挙人名簿 — or becoming qualified for it by the 転出予定日 (18 years and three
  months of residence by then: 外務省 http://www.mofa.go.jp/mofaj/toko/senkyo/flow.html ; 坂出市).
- 在外公館申請 (30条の5第1項): 18 or over and living in the 在外公館's area three months in a row;
  an earlier application is held until then (在オークランド総領事館
  https://www.auckland.nz.emb-japan.go.jp/itpr_ja/ryoji_senkyo01.html).
- The registering municipality (30条の5第1項): the 最終住所地 for a person who left Japan on or
  after 1994-05-01, the 本籍地 for earlier leavers and persons who never lived in Japan.
- Age (年齢計算ニ関スル法律): reached on the day before the birthday (civil-facts §0.1). Three months
  (民法140条・143条): counted from the day after, ending on the same day-of-month three months on
  (or that month's last day) — as the 選挙人名簿's own three months (civil-facts §1.3).
- 抹消 (30条の11): death or loss of nationality at once; a person marked as having a 国内の住所 once
  four months have passed since the 国内住所を定めた日 recorded on the 戸籍の附票 (so from the day
  after the period ends, as after a 転出: civil-facts §1.3); a wrong registration.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from yakuba.overseas_electors.codes import Basis

DEPARTURE_APPLICATIONS_SINCE = date(2018, 6, 1)
LAST_ADDRESS_SINCE = date(1994, 5, 1)
VOTING_AGE = 18
ABROAD_MONTHS = 3
HOME_MONTHS = 4

Errors = list[tuple[str, str]]


def months_on(day: date, months: int) -> date:
    """The same day-of-month ``months`` later, or that month's last day (民法143条2項)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def age_reached_on(birth: date, age: int) -> date:
    """The day ``age`` is reached: the day before the birthday; a 2月29日 birth reaches it on
    2月28日 in a non-leap year (its birthday that year being 3月1日)."""
    try:
        birthday = birth.replace(year=birth.year + age)
    except ValueError:
        birthday = date(birth.year + age, 3, 1)
    return birthday - timedelta(days=1)


def departure_window(filed_on: date, planned_on: date) -> tuple[date, date]:
    """The days a 出国時申請 is received: the 転出届's day to the 転出予定日, both inclusive."""
    return filed_on, planned_on


def qualifies_at_home_by(birth: date | None, notified_on: date | None, day: date) -> bool:
    """18 reached and three months from the 転入届 (届出年月日) ended by ``day``: a person who
    becomes qualified for the 選挙人名簿 by the 転出予定日 may apply too (外務省, 坂出市)."""
    if birth is None or age_reached_on(birth, VOTING_AGE) > day:
        return False
    return notified_on is None or months_on(notified_on, ABROAD_MONTHS) <= day


def check_departure(
    applied_on: date,
    filed_on: date | None,
    planned_on: date | None,
    *,
    on_roll: bool,
    lost_suffrage: bool,
    qualifies_by_planned: bool,
) -> Errors:
    """Every broken rule of a 出国時申請 received on ``applied_on`` (field, message)."""
    if filed_on is None or planned_on is None:
        return [
            ("atena_no", "国外への転出届が出されていません（出国時申請は国外への転出届を出した方が対象です）")
        ]
    errors: Errors = []
    if applied_on < DEPARTURE_APPLICATIONS_SINCE:
        errors.append(("applied_on", "出国時申請は2018年6月1日から受け付けています"))
    start, end = departure_window(filed_on, planned_on)
    if applied_on < start:
        errors.append(("applied_on", f"出国時申請は国外への転出届を出した日（{start}）から受け付けます"))
    elif applied_on > end:
        errors.append(
            (
                "applied_on",
                f"出国時申請の期間（転出予定日 {end} まで）を過ぎています。出国後に在外公館で申請してください",
            )
        )
    if lost_suffrage:
        errors.append(("atena_no", "選挙人名簿に選挙権を有しない旨の表示がされています"))
    elif not on_roll and not qualifies_by_planned:
        errors.append(
            (
                "atena_no",
                f"この市区町村の選挙人名簿に登録されておらず、転出予定日（{planned_on}）までに登録資格も得ません",
            )
        )
    return errors


def check_agent(agent_name: str, statement: bool) -> Errors:
    """A 出国時申請 made by a 受任者 (the person's 代理): the 受任者's 氏名 and the 申請者の申出書 signed by
    the person (外務省 flow page: 「申請者の申出書」; 坂出市, 小樽市). ``agent_name`` empty: the person
    applies in person."""
    if agent_name and not statement:
        return [("statement", "受任者による申請には申請者本人が署名した申出書が必要です")]
    return []


def registering_basis(left_japan_on: date | None) -> Basis:
    """最終住所地 when the person left Japan on or after 1994-05-01, else 本籍地 (also for a person
    who never lived in Japan: ``None``)."""
    if left_japan_on is not None and left_japan_on >= LAST_ADDRESS_SINCE:
        return Basis.LAST_ADDRESS
    return Basis.DOMICILE


def mission_qualifies_on(birth: date, arrived_on: date) -> date:
    """The first day a 在外公館申請 can be registered: 18 reached and three months in the area
    ended (an application received earlier is held until then)."""
    return max(age_reached_on(birth, VOTING_AGE), months_on(arrived_on, ABROAD_MONTHS))


def struck_off_from(came_home_on: date) -> date:
    """The first day an entry marked as having a 国内の住所 may be struck off: the day after four
    months counted from the day after the 国内住所を定めた日 (30条の11第1項第2号)."""
    return months_on(came_home_on, HOME_MONTHS) + timedelta(days=1)
