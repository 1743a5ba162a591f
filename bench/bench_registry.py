"""Registry: 転入 of a four-person household through the API into towns of generated residents
(validation, the 住所辞書 and duplicate-person checks, history, household, events, audit —
everything a counter transaction does), beside raw INSERTs of the same rows.

Three loads: one client; two client processes filing into one municipality (both cores busy,
the 異動 serialized on its gapless number counters from numbering until COMMIT); and four
client processes for four municipalities of one deployment (a shared cloud: no common lock,
the machine is the limit — four is gunicorn's 2 × cores). Timing starts after a warm-up of
ten requests (module loading, first plans), as for a server that is up.
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

import psycopg
from tqdm import tqdm

from bench.harness import Context, Result

TOWNS = ("072028", "072036", "072044", "072052")  # 会津若松市, 郡山市, いわき市, 白河市
LG = TOWNS[0]
WARM_UP = 10


def _kana(i: int) -> str:
    """A フリガナ suffix of the family's number: the duplicate-person check (氏名 or フリガナ with
    生年月日) looks every person up, and families that matched would be held, not written."""
    return "".join("アイウエオカキクケコ"[int(d)] for d in str(i))


def _family(i: int) -> list[dict]:
    base = {"resident_type": 1, "previous_address": "東京都千代田区千代田1番1号"}
    return [
        {
            **base,
            "name": f"青木 太郎{i}",
            "name_kana": f"アオキ タロウ{_kana(i)}",
            "birth_date": "1970-01-07",
            "sex": 1,
            "relationship": "世帯主",
        },
        {
            **base,
            "name": f"青木 花子{i}",
            "name_kana": f"アオキ ハナコ{_kana(i)}",
            "birth_date": "1972-03-03",
            "sex": 2,
            "relationship": "妻",
        },
        {
            **base,
            "name": f"青木 一郎{i}",
            "name_kana": f"アオキ イチロウ{_kana(i)}",
            "birth_date": "2000-05-05",
            "sex": 1,
            "relationship": "子",
        },
        {
            **base,
            "name": f"青木 桜{i}",
            "name_kana": f"アオキ サクラ{_kana(i)}",
            "birth_date": "2003-08-08",
            "sex": 2,
            "relationship": "子",
        },
    ]


def _clients() -> list[tuple[str, dict, object]]:
    """(lg_code, request headers, a 町字 of it) for each municipality of the benchmark."""
    from yakuba.platform.identity.services import issue_token
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry.towns import town_areas

    out = []
    for lg in TOWNS:
        register_municipality(lg)
        token = issue_token(lg, "bench-registry", ["registry:read", "registry:write"], "lgwan")[1]
        out.append(
            (lg, {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": "localhost"}, town_areas(lg)[0])
        )
    return out


def _populate(scale: int) -> None:
    """Each town starts with its residents (a fifth of BENCH_SCALE each, generated and analysed
    as a migrated registry is): the 転入 is checked against a real population — the duplicate
    person lookup among thousands of names, with the statistics a running town has."""
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.registry.generate import generate_population

    for k, lg in enumerate(TOWNS):
        with bind_actor(SYSTEM), tenant_context(lg):
            generate_population(max(1000, scale // 5), seed=20 + k)


def run(ctx: Context) -> list[Result]:
    from django.test import Client

    clients = _clients()
    _populate(ctx.scale)
    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        # What autovacuum does to a freshly loaded town in its first minutes — here before the
        # clock starts, not competing with the measured requests for the two cores.
        conn.execute("VACUUM (ANALYZE)")
    client = Client()
    n = max(200, min(ctx.scale // 100, 2000))
    move_date = (date.today() - timedelta(days=2)).isoformat()
    for lg_client in clients:
        for i in range(WARM_UP):
            assert _post(client, lg_client, _body(10_000 + i, move_date, lg_client)).status_code == 201
    start = time.perf_counter()
    for i in tqdm(range(n), desc="転入 (API)", unit="tx", leave=False):
        response = _post(client, clients[0], _body(i, move_date, clients[0]))
        assert response.status_code == 201, response.content
    ours = n / (time.perf_counter() - start)
    many = max(n, 800)  # enough per process for a steady figure
    same_town = _parallel_move_ins([clients[0]] * 2, move_date, many, offset=n)
    shared = _parallel_move_ins(clients, move_date, many, offset=n + many)

    with psycopg.connect(ctx.database_url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE raw_person AS SELECT * FROM registry_resident WITH NO DATA")
        conn.execute("CREATE TEMP TABLE raw_household AS SELECT * FROM registry_household WITH NO DATA")
        start = time.perf_counter()
        for i in tqdm(range(n), desc="raw INSERT", unit="tx", leave=False):
            with conn.transaction():
                conn.execute(
                    "INSERT INTO raw_household (id, lg_code, setai_no, address, active, version) VALUES"
                    " (%s, %s, %s, %s, true, 1)",
                    (i, LG, f"{i:010d}", "福島県会津若松市東栄町"),
                )
                with conn.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO raw_person (id, lg_code, atena_no, setai_no, resident_type, status, name,"
                        " name_kana, birth_sort_date, sex, relationship, address, move_id, move_kind, move_date,"
                        " processed_at, history_no, version, name_key, kana_key) VALUES (%s, %s, %s, %s, 1, 1, %s,"
                        " %s, %s, %s, %s, %s, 1, 'move_in', now(), now(), 1, 1, %s, %s)",
                        [
                            (
                                i * 4 + k,
                                LG,
                                f"{i * 4 + k:010d}",
                                f"{i:010d}",
                                p["name"],
                                p["name_kana"],
                                p["birth_date"],
                                p["sex"],
                                p["relationship"],
                                "福島県会津若松市東栄町",
                                p["name"],
                                p["name_kana"],
                            )
                            for k, p in enumerate(_family(i))
                        ],
                    )
        raw = n / (time.perf_counter() - start)
    return [
        Result(
            "転入 4人世帯 via API (validation + history + events + audit)",
            "tx/s",
            ours,
            "raw INSERT household + 4 persons per tx",
            raw,
            target="≥ 200 tx/s",
        ),
        Result(
            "転入 4人世帯 via API, 2 client processes, one municipality (both cores busy)",
            "tx/s",
            same_town,
            "raw INSERT household + 4 persons per tx (1 client)",
            raw,
            target="≥ 200 tx/s",
        ),
        Result(
            "転入 4人世帯 via API, 4 client processes, 4 municipalities (shared deployment)",
            "tx/s",
            shared,
            "raw INSERT household + 4 persons per tx (1 client)",
            raw,
            target="≥ 200 tx/s",
        ),
    ]


def _body(i: int, move_date: str, client: tuple) -> dict:
    town = client[2]
    return {
        "kind": "move_in",
        "move_date": move_date,
        "origin": "domestic",
        "household": {
            "address": {"postal_code": town.postal_code, "town_area": town.name, "block": f"{i}番1号"}
        },
        "persons": _family(i),
        "notifier": {"kind": "head", "name": f"青木 太郎{i}", "identity_document": "my_number_card"},
    }


def _post(client, lg_client: tuple, body: dict):
    lg, headers, _town = lg_client
    return client.post(
        f"/api/v1/{lg}/registry/moves", json.dumps(body), content_type="application/json", **headers
    )


def _parallel_move_ins(clients: list[tuple], move_date: str, n: int, *, offset: int) -> float:
    """The same 転入 from one forked process per entry of ``clients`` at once, as several
    counters (or several municipalities) would file them."""
    import os

    from django.db import connections
    from django.test import Client

    for conn in connections.all():  # children must not share the parent's sockets
        conn.close()
        if hasattr(conn, "close_pool"):
            conn.close_pool()
    per = n // len(clients)
    start = time.perf_counter()
    pids = []
    for k, lg_client in enumerate(clients):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                client = Client()
                ok = all(
                    _post(client, lg_client, _body(i, move_date, lg_client)).status_code == 201
                    for i in range(offset + k * per, offset + (k + 1) * per)
                )
                code = 0 if ok else 1
            finally:
                os._exit(code)  # no parent clean-up (atexit, embedded server) in the child
        pids.append(pid)
    failures = sum(os.waitpid(pid, 0)[1] != 0 for pid in pids)
    assert failures == 0, "a parallel client failed"
    return per * len(clients) / (time.perf_counter() - start)
