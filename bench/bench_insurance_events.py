"""Event-driven 資格 (issue 16): the 国保, 後期 and 介護 consumers catching up on a year of registry
異動, in events/s, beside the feed's own read rate and a raw-SQL baseline.

The town: ``generate_population(BENCH_SCALE)`` as of 2025-01-01, each insurance seeded then (移行,
the consumers' cursors taken at the feed's head first — docs/linkage.md, "Start from a 全件
file"), then a year of 異動 filed one by one through the registry's door as a clerk files them
(``apply_move(today=day)``, which writes the outbox events): per 1,000 residents a year about 7
births, 11 deaths, 40 転入 (families of 1–3, heads 20–85), 40 転出 (half alone, half whole 世帯)
and 30 転居 to a new 世帯 — a town's usual rates (住民基本台帳人口移動報告 orders of magnitude).

Measured on the same events, each from the start of the year's feed (not timed: the town and the
year's 異動):

- each consumer's ``follow`` (one transaction per page of 500: the page read, the 資格 written
  with its events and audit row, the cursor) — events/s it handled;
- the feed alone: ``feed.read`` page after page with the consumers' type filter and audience,
  nothing processed — what reading costs our consumers before they do anything;
- the baseline: a raw keyset ``SELECT`` of the same outbox rows (``linkage_event`` by ``seq``,
  pages of 500) with psycopg.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from datetime import date, timedelta

import psycopg
from tqdm import tqdm

from bench.harness import Context, Result

LG = "072036"  # 郡山市: a town of its own (bench_kokuho and bench_linkage use 072028)
D0 = date(2025, 1, 1)
PAGE = 500
# 異動 per 1,000 residents a year, by the kind the generator files.
RATES = {"birth": 7, "death": 11, "move_in": 40, "move_out": 40, "move_within": 30}
KANA = "アイウエオカキクケコ"
ELSEWHERE = "東京都千代田区千代田1番1号"
NOTIFIER = {"kind": "self", "identity_document": "my_number_card"}
# What the three consumers read: the registry's resident events, persons under 支援措置 included.
TYPES = ("jp.yakuba.registry.resident.",)
SCOPES = frozenset({"registry:read", "registry:protected"})
RAW_SQL = (
    "SELECT seq, txid::text, event_id, type, subject, time, data FROM linkage_event"
    " WHERE lg_code = %s AND seq > %s AND type LIKE 'jp.yakuba.registry.resident.%%' ORDER BY seq LIMIT %s"
)


class Town:
    """The generated town as the generator knows it (宛名番号 → 世帯, 続柄), kept beside the
    registry so that a year of 異動 needs no read per day; the registry decides, this only picks."""

    def __init__(self, rng: random.Random, people) -> None:
        self.rng = rng
        self.counter = 0
        self.members: defaultdict[str, list[str]] = defaultdict(list)
        self.of: dict[str, tuple[str, str]] = {}  # 宛名番号 → (世帯番号, 続柄)
        self.everyone: list[str] = []
        for p in people:
            self._add(p.atena_no, p.setai_no, p.relationship)

    def _add(self, atena_no: str, setai_no: str, relationship: str) -> None:
        self.members[setai_no].append(atena_no)
        self.of[atena_no] = (setai_no, relationship)
        self.everyone.append(atena_no)

    def _remove(self, atena_no: str) -> None:
        setai_no, _ = self.of.pop(atena_no)
        self.members[setai_no].remove(atena_no)
        if not self.members[setai_no]:
            del self.members[setai_no]

    def person(self, birth: date, sex: int, relationship: str, **extra) -> dict:
        self.counter += 1
        return {
            "atena_no": None,
            "name": f"異動 {self.counter}",
            "name_kana": "イドウ " + "".join(KANA[int(c)] for c in str(self.counter)),
            "birth_date": birth.isoformat(),
            "sex": self.rng.choice((1, 2)),
            "relationship": relationship,
            "resident_type": 1,
            "previous_address": ELSEWHERE,
            **extra,
        }

    def address(self) -> dict:
        self.counter += 1
        block = f"{self.counter % 40 + 1}番{self.counter}号"
        return {"postal_code": "9630000", "town_area": "異動町", "block": block, "unlisted": True}

    def anyone(self) -> str:
        """A random present person (the list keeps the gone, skipped here: cheaper than removing)."""
        while True:
            atena_no = self.rng.choice(self.everyone)
            if atena_no in self.of:
                return atena_no

    def leaver(self) -> str:
        """One who can leave alone: a member who is not the head, or a head living alone."""
        while True:
            atena_no = self.anyone()
            setai_no, relationship = self.of[atena_no]
            if relationship != "世帯主" or len(self.members[setai_no]) == 1:
                return atena_no

    def body(self, kind: str, day: date) -> tuple[dict, list[str]]:
        """The 異動 of ``kind`` on ``day`` and who leaves the town by it."""
        if kind == "birth":
            setai_no = self.of[self.anyone()][0]
            baby = self.person(day, 1, "子", previous_address="")
            return {"kind": "birth", "household": {"setai_no": setai_no}, "persons": [baby]}, []
        if kind == "death":
            who = self.leaver()
            return {"kind": "death", "persons": [{"atena_no": who}]}, [who]
        if kind == "move_out":
            whole = self.rng.random() < 0.5
            who = self.anyone() if whole else self.leaver()
            people = list(self.members[self.of[who][0]]) if whole else [who]
            body = {
                "kind": "move_out",
                "persons": [{"atena_no": a} for a in people],
                "destination": self.rng.choice(("domestic", "domestic", "abroad")),
                "destination_address": ELSEWHERE,
                "notifier": NOTIFIER,
            }
            return body, people
        if kind == "move_in":
            head_birth = day - timedelta(days=365 * self.rng.randint(20, 85) + self.rng.randrange(365))
            members = [self.person(head_birth, 1, "世帯主")]
            if self.rng.random() < 0.5:
                members.append(self.person(head_birth + timedelta(days=700), 2, "妻"))
            if self.rng.random() < 0.3:
                members.append(self.person(day - timedelta(days=365 * self.rng.randint(0, 15)), 1, "子"))
            body = {
                "kind": "move_in",
                "origin": "domestic",
                "household": {"address": self.address()},
                "persons": members,
                "notifier": NOTIFIER,
                "notified_date": day.isoformat(),
            }
            return body, []
        # 転居 of a member to a new 世帯 of his own
        while True:
            who = self.leaver()
            if len(self.members[self.of[who][0]]) > 1:
                break
        body = {
            "kind": "move_within",
            "household": {"address": self.address()},
            "persons": [{"atena_no": who, "relationship": "世帯主"}],
            "notifier": NOTIFIER,
        }
        return body, [who]

    def filed(self, body: dict, leaving: list[str], result) -> None:
        for atena_no in leaving:
            self._remove(atena_no)
        if body["kind"] in ("birth", "move_in", "move_within"):
            for (atena_no, _history_no), given in zip(result.persons, body["persons"], strict=True):
                self._add(atena_no, result.setai_no, given["relationship"])


def _year_of_moves(scale: int) -> tuple[int, int]:
    """File a year of 異動 on the town; (filed, refused by the registry's rules)."""
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.registry import services as registry

    see_all = registry.Visibility(protected=True, unlisted_address=True)
    rng = random.Random(7)
    with tenant_context(LG), registry.inhabitants_on(D0, purpose="ベンチマーク（異動の生成）") as people:
        town = Town(rng, people)
    kinds = list(RATES)
    weights = list(RATES.values())
    total = scale * sum(weights) // 1000
    days = sorted(D0 + timedelta(days=1 + rng.randrange(365)) for _ in range(total))
    filed = refused = 0
    for day in tqdm(days, desc="1年分の異動", unit="件", leave=False):
        body, leaving = town.body(rng.choices(kinds, weights)[0], day)
        try:
            with tenant_context(LG):
                result = registry.apply_move(
                    {**body, "move_date": day.isoformat()}, today=day, visibility=see_all
                )
        except (registry.RuleViolation, registry.Conflict):
            refused += 1
            continue
        town.filed(body, leaving, result)
        filed += 1
    return filed, refused


def _feed_rate() -> tuple[int, float]:
    """The year's resident events read through ``feed.read`` as the consumers read them."""
    from yakuba.platform.linkage import feed
    from yakuba.platform.tenancy.context import tenant_context

    audience = feed.Audience(scopes=SCOPES)
    cursor, seen = "", 0
    start = time.perf_counter()
    while True:
        with tenant_context(LG):
            page = feed.read(cursor, type_prefixes=TYPES, limit=PAGE, audience=audience)
        if not page.scanned:
            return seen, time.perf_counter() - start
        seen += len(page.events)
        cursor = page.next


def _raw_rate(url: str) -> tuple[int, float]:
    with psycopg.connect(url, autocommit=True) as conn:
        last, seen = 0, 0
        start = time.perf_counter()
        while True:
            rows = conn.execute(RAW_SQL, (LG, last, PAGE)).fetchall()
            if not rows:
                return seen, time.perf_counter() - start
            seen += len(rows)
            last = rows[-1][0]


def run(ctx: Context) -> list[Result]:
    from yakuba.health_insurance import services as kokuho
    from yakuba.late_elderly_medical import services as kouki
    from yakuba.long_term_care import services as kaigo
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry.generate import generate_population

    register_municipality(LG)
    with bind_actor(SYSTEM):
        with tenant_context(LG):
            generate_population(ctx.scale, seed=5, as_of=D0)
        for door in (kokuho, kouki, kaigo):
            door.seed_insured(LG, D0)  # takes the consumer's cursor at the feed's head first
        start = time.perf_counter()
        filed, refused = _year_of_moves(ctx.scale)
        filing = time.perf_counter() - start
    assert refused <= filed // 100, (filed, refused)
    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")  # as autovacuum would, before the clocks start

    _raw_rate(ctx.database_url)  # warm-up: the rows into the cache for both readers (not timed)
    raw_events, raw_seconds = _raw_rate(ctx.database_url)
    raw = raw_events / raw_seconds
    feed_events, feed_seconds = _feed_rate()
    assert feed_events == raw_events, (feed_events, raw_events)
    feed_rate = feed_events / feed_seconds
    common = {
        "events": raw_events,
        "moves_filed": filed,
        "moves_refused": refused,
        "filing_moves_per_s": round(filed / filing, 1),
        "feed_read_events_per_s": round(feed_rate, 1),
    }
    results = [
        Result(
            f"feed.read のみ（{raw_events:,} 件の住民イベント、{PAGE} 件ずつ、処理なし）",
            "events/s",
            feed_rate,
            f"生SQL（linkage_event を seq 順に {PAGE} 件ずつ SELECT）",
            raw,
            extra=common,
        )
    ]
    for name, door in (("国保", kokuho), ("後期", kouki), ("介護", kaigo)):
        with bind_actor(SYSTEM):
            start = time.perf_counter()
            followed = door.follow(LG)
            seconds = time.perf_counter() - start
        assert followed.events == raw_events, (name, followed, raw_events)
        results.append(
            Result(
                f"{name} 資格 follow（1年分の異動 {filed:,} 件、{ctx.scale:,} 人の町）",
                "events/s",
                followed.events / seconds,
                "生SQL（同じイベントの SELECT）",
                raw,
                extra={**common, "seconds": round(seconds, 2), "qualification_rows": followed.changes},
            )
        )
    return results
