"""The 選挙人名簿抄本の閲覧 rules (pure; docs/elections.md "閲覧"; civil-facts §1.6).

- Purposes (公職選挙法28条の2第1項 and 28条の3第1項; nothing else may be allowed):
  the check whether named persons are registered (a 選挙人 asks, and views alone), political
  activity including 選挙運動 (公職の候補者等, 政党その他の政治団体: they or the persons they name
  view), and 統計調査・世論調査・学術研究 about politics or elections of high public interest.
  https://iuris.jp/公職選挙法-第二十八条の二-登録の確認及び政治活動を目的とした選挙人名簿の抄本の閲覧/jpn/a/21759 ;
  https://www.city.chiba.jp/senkyokanri/meibo_eturan.html (28条の2・28条の3).
- The blackout (28条の2第1項 前段): no 閲覧 from the 公示・告示日 to the day that is the 5th after
  the 選挙期日, inclusive — except (後段) a 選挙人's check of named persons on a day of the
  異議申出 periods of 24条1項 (the 選管 passes those days in). Municipal restatements:
  https://www.vill.nishihara.kumamoto.jp/dynamic/page468.html ;
  https://www.city.koshi.lg.jp/kiji00313087/index.html ("登録の確認のための申出で異議申出期間内に
  行われるものを除く").
- The 閲覧 happens in office hours (結城市, 宇土市: 平日の執務時間内), so a closed day is refused.
- The 閲覧の状況 is published (28条の4第7項; https://www.city.akabira.hokkaido.jp/docs/2016050400019.html)
  for the political and research 閲覧; a private elector's check of a name is not published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from yakuba.elections.codes import ViewingPurpose
from yakuba.platform.installments import closed

# 「選挙の期日後五日に当たる日まで」 (28条の2第1項).
DAYS_AFTER_ELECTION = 5
PUBLISHED_PURPOSES = frozenset({ViewingPurpose.POLITICAL, ViewingPurpose.RESEARCH})


@dataclass(frozen=True, slots=True)
class Period:
    """An election's 公示・告示日 and 選挙期日."""

    name: str
    announced_on: date
    election_day: date

    @property
    def blackout_until(self) -> date:
        return self.election_day + timedelta(days=DAYS_AFTER_ELECTION)


def blackout(periods: Iterable[Period], on: date) -> Period | None:
    """The election whose blackout covers ``on`` (公示・告示日 ≤ on ≤ 選挙期日 + 5), if any."""
    return next((p for p in periods if p.announced_on <= on <= p.blackout_until), None)


@dataclass(frozen=True)
class Request:
    """A 閲覧の申出 as the clerk typed it (blank text is ""; lists may be empty)."""

    purpose: str
    requester_name: str
    requester_address: str
    viewing_on: date | None
    purpose_detail: str = ""
    representative: str = ""
    viewers: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    precincts: tuple[str, ...] = ()
    identity: str = ""


def check_request(
    req: Request, *, periods: Iterable[Period] = (), objection_days: Iterable[date] = ()
) -> list[tuple[str, str]]:
    """Every broken rule of the 申出 at once, as (field, message)."""
    errors: list[tuple[str, str]] = []
    if req.purpose not in ViewingPurpose.values:
        errors.append(("purpose", "閲覧の目的を選んでください（登録の確認・政治活動・調査研究のいずれか）"))
    if not req.requester_name.strip():
        errors.append(("requester_name", "申出者の氏名（名称）を入力してください"))
    if not req.requester_address.strip():
        errors.append(("requester_address", "申出者の住所（所在地）を入力してください"))
    if req.viewing_on is None:
        errors.append(("viewing_on", "閲覧日を入力してください"))
    elif closed(req.viewing_on):
        errors.append(("viewing_on", f"{req.viewing_on} は閉庁日です。閲覧は執務時間内に限ります"))
    else:
        errors += blackout_errors(req.purpose, req.viewing_on, periods, objection_days)
    if req.purpose == ViewingPurpose.CHECK:
        if not req.persons:
            errors.append(("persons", "登録を確認する者（宛名番号）を1人以上入力してください"))
        if req.precincts:
            errors.append(
                ("precincts", "登録の確認では投票区の抄本は閲覧できません（確認する者を指定してください）")
            )
        if [v for v in req.viewers if v.strip() and v.strip() != req.requester_name.strip()]:
            errors.append(
                ("viewers", "登録の確認は申出をした選挙人本人だけが閲覧できます（公職選挙法第28条の2第1項）")
            )
    elif req.purpose in PUBLISHED_PURPOSES:
        if not req.purpose_detail.strip():
            errors.append(("purpose_detail", "閲覧の目的の具体的な内容（利用目的）を入力してください"))
        if not req.precincts:
            errors.append(("precincts", "閲覧する投票区を1つ以上選んでください"))
        if not [v for v in req.viewers if v.strip()]:
            errors.append(("viewers", "閲覧者の氏名を1人以上入力してください"))
        if req.persons:
            errors.append(("persons", "確認する者の指定は登録の確認の目的でだけ使います"))
    return errors


def blackout_errors(purpose: str, on: date, periods, objection_days) -> list[tuple[str, str]]:
    """The refusal when ``on`` is in a blackout (checked again on the 閲覧日: an election may have
    been announced after the 申出 was allowed)."""
    covering = blackout(periods, on)
    if covering is None:
        return []
    if purpose == ViewingPurpose.CHECK and on in set(objection_days):
        return []  # 28条の2第1項後段: a 選挙人's check stays open in the 異議申出期間
    return [
        (
            "viewing_on",
            f"{covering.name}の公示・告示日（{covering.announced_on}）から選挙期日後5日"
            f"（{covering.blackout_until}）までは閲覧できません（公職選挙法第28条の2第1項）",
        )
    ]


def check_at_viewing(identity: str, decision: str, viewing_on: date, today: date) -> list[tuple[str, str]]:
    """What must hold when the 抄本 is shown: the 申出 承認, on its 閲覧日, the viewer's photo ID
    seen (結城市・有田町: 写真付きの身分証明書)."""
    errors = []
    if decision != "allowed":
        errors.append(("decision", "承認された申出だけが閲覧できます"))
    if viewing_on != today:
        errors.append(("viewing_on", f"閲覧日（{viewing_on}）ではありません"))
    if not identity.strip():
        errors.append(("identity", "閲覧者の本人確認書類（写真付きの身分証明書）を入力してください"))
    return errors


def objection_days(kind: str, registered_on: date) -> list[date]:
    """The 異議申出 days of a registration (24条1項): the five days after a 定時登録's 登録日, the
    day after a 選挙時登録's. [unverified] Read from 30条の8第1項 (the same periods for the 在外
    選挙人名簿, https://iuris.jp/公職選挙法-第三十条の八-在外選挙人名簿の登録等に関する異議の申出/jpn/a/21770);
    24条1項's own text was not reachable."""
    days = 5 if kind == "teiji" else 1
    return [registered_on + timedelta(days=n) for n in range(1, days + 1)]
