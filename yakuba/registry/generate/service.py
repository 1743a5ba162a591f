"""``generate_population``: a synthetic town loaded into the registry in one transaction.

Runs inside the caller's ``tenant_context`` (so row-level security confines every row to the
municipality) with an audit actor bound. All or nothing: the whole population is one
transaction — for up to about a million residents that is simpler and safer than a resumable
load (a crash leaves nothing to clean up), and PostgreSQL handles a transaction of that size
without trouble. Memory stays bounded: persons are generated, turned into COPY text and written
in chunks of ``chunk_size`` current residents; a chunk is built in a forked worker process while
the previous one is being loaded, so Python and PostgreSQL work at the same time (a thread would
not help: building rows is pure Python and holds the GIL).

It is a bulk load, not a sequence of 異動: no event is emitted per person (an outside system
that follows the event feed should take a full export after a generation), but one audit row
records what was generated, with the seed.

Deterministic: the same seed and base date (``as_of``, today by default) give the same rows
in a fresh municipality — with one exception: the 個人番号 ciphertext, whose AES-GCM nonce is
random by design (a nonce derived from the seed would repeat under the same key); the number
itself and its lookup hash are the same.
"""

from __future__ import annotations

import multiprocessing
import queue
import random
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.utils import timezone

from yakuba.platform.audit.log import Action, record
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import numbering, towns
from yakuba.registry.generate import data, population, writer
from yakuba.registry.models import Resident
from yakuba.registry.services.bulk import analyze_registry

DEFAULT_CHUNK = 10_000
MAX_RESIDENTS = 5_000_000
NAME_POOL = 2_000


class GenerateError(ValueError):
    """A request the generator refuses; ``str()`` is a one-line message for the user."""


@dataclass
class GenerateSummary:
    residents: int  # 住民 and 転出予定
    removed: int  # 除票 (deaths and 転出 of the last few years)
    foreign: int
    households: int
    history_rows: int
    moves: int
    protections: int
    seconds: float


def _name_pools(seed: int) -> tuple[list, dict]:
    """Surnames and given names by cohort: Faker ja_JP (weighted by real frequency) + data lists."""
    from faker import Faker

    faker = Faker("ja_JP")
    faker.seed_instance(seed)
    surnames = [faker.last_name_pair()[:2] for _ in range(NAME_POOL)]
    surnames += [pair for pair in data.EXTRA_SURNAMES for _ in range(NAME_POOL // 300)]
    male = [faker.first_name_male_pair()[:2] for _ in range(NAME_POOL // 4)]
    female = [faker.first_name_female_pair()[:2] for _ in range(NAME_POOL // 4)]
    given = {}
    for start, cohort_male, cohort_female in data.GIVEN_NAMES_BY_COHORT:
        share = NAME_POOL // 2
        given[(start, 1)] = male + [p for p in cohort_male for _ in range(share // len(cohort_male))]
        given[(start, 2)] = female + [p for p in cohort_female for _ in range(share // len(cohort_female))]
    return surnames, given


def prepare_settings(lg_code: str, seed: int, as_of: date) -> population.Settings:
    areas = towns.town_areas(lg_code)
    if not areas:
        raise GenerateError(f"団体コード {lg_code} の町字が郵便番号データにないため、住民を生成できません")
    surnames, given = _name_pools(seed)
    settings = population.Settings(
        lg_code=lg_code,
        full_name=lookup(lg_code).full_name,
        as_of=as_of,
        seed=seed,
        towns=areas,
        town_weights=population.weights_for(areas),
        other_addresses=towns.other_addresses(
            random.Random(f"yakuba-generate-elsewhere:{seed}"), lg_code, 400
        ),
        surnames=surnames,
        given=given,
    )
    writer.check_plain(_source_texts(settings))
    return settings


def _source_texts(settings: population.Settings) -> Iterator[str]:
    yield settings.full_name
    yield from settings.other_addresses
    for area in settings.towns:
        yield area.name
    for pool in (settings.surnames, data.RARE_SURNAMES, data.ALIAS_SURNAMES, *settings.given.values()):
        for kanji, kana in pool:
            yield kanji
            yield kana
    for tables in data.FOREIGN_NAMES.values():
        for table in tables:
            for latin, kana in table:
                yield latin
                yield kana
    yield from data.COUNTRY_ADDRESS.values()
    yield from data.JAPANESE_ABROAD
    yield from data.BUILDING_PREFIXES
    yield from data.BUILDING_SUFFIXES


def _produce(settings, sizes: list[int], counters: tuple[int, int], send) -> None:
    """Build every chunk in order and ``send`` its payload; then the final counters."""
    try:
        numbers = writer.Numbers(settings.seed, *counters)
        for index, size in enumerate(sizes):
            households = population.build_chunk(settings, index, size)
            send(("chunk", writer.chunk_rows(settings, numbers, households).payload()))
        send(("done", (numbers.atena_last, numbers.setai_last)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        send(("error", traceback.format_exc()))


def _chunks(settings, sizes: list[int], counters: tuple[int, int], parallel: bool) -> Iterator[tuple]:
    """Chunk payloads in order: from a forked worker process, or built here.

    The worker is forked so that it shares this process's configuration (data keys, settings)
    exactly; it never touches the database connection it inherits, and it ends with
    ``os._exit`` (multiprocessing's fork start), so nothing of the connection is closed from it.
    """
    if not parallel:
        numbers = writer.Numbers(settings.seed, *counters)
        for index, size in enumerate(sizes):
            households = population.build_chunk(settings, index, size)
            yield ("chunk", writer.chunk_rows(settings, numbers, households).payload())
        yield ("done", (numbers.atena_last, numbers.setai_last))
        return
    context = multiprocessing.get_context("fork")
    channel = context.Queue(maxsize=2)  # at most two chunks wait: memory stays bounded
    worker = context.Process(
        target=_produce, args=(settings, sizes, counters, channel.put), name="yakuba-generate", daemon=True
    )
    worker.start()
    try:
        while True:
            try:
                message = channel.get(timeout=5)
            except queue.Empty:
                if not worker.is_alive():
                    raise RuntimeError("住民生成の作業プロセスが異常終了しました") from None
                continue
            yield message
            if message[0] != "chunk":
                return
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()


def generate_population(
    residents: int,
    *,
    seed: int = 1,
    as_of: date | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: bool = False,
    parallel: bool | None = None,
) -> GenerateSummary:
    """Generate ``residents`` current residents (plus recent 除票) for the current tenant.

    ``parallel``: build chunks in a forked worker process while this one loads (default: when
    there is more than one chunk and ``fork`` is available). The result is the same either way.
    """
    tenant = require_tenant()
    if not 1 <= residents <= MAX_RESIDENTS:
        raise GenerateError(f"生成する住民数は1〜{MAX_RESIDENTS:,}人です: {residents}")
    if Resident.objects.exists():
        raise GenerateError(
            f"団体コード {tenant.lg_code} にはすでに住民が登録されています（生成は住民のいない市区町村にのみ行えます）"
        )
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    settings = prepare_settings(tenant.lg_code, seed, as_of)
    sizes = [min(chunk_size, residents - start) for start in range(0, residents, chunk_size)]
    if parallel is None:
        parallel = len(sizes) > 1 and "fork" in multiprocessing.get_all_start_methods()
    connection = connections[tenant.alias]
    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection, inside the tenant transaction
    summary = GenerateSummary(0, 0, 0, 0, 0, 0, 0, 0.0)
    with raw.cursor() as cursor:
        counters = numbering.lock_counters(cursor, tenant.lg_code)
        writer.create_temp_tables(cursor)
        bar = _progress(residents, progress)
        final = counters
        for kind, value in _chunks(settings, sizes, counters, parallel):
            if kind == "error":
                raise RuntimeError(f"住民の生成に失敗しました:\n{value}")
            if kind == "done":
                final = value
                break
            writer.write_chunk(cursor, value)
            counts = value["counts"]
            summary.residents += value["current"]
            summary.removed += value["removed"]
            summary.foreign += value["foreign"]
            summary.households += counts["gen_household"]
            summary.history_rows += counts["gen_history"]
            summary.moves += counts["gen_move"]
            summary.protections += counts["gen_protection"]
            bar.update(value["current"])
        bar.close()
        numbering.raise_counters(cursor, tenant.lg_code, *final)
        analyze_registry(cursor)
    record(
        Action.CREATE,
        "resident",
        detail={"generated": residents, "seed": seed, "as_of": as_of.isoformat(), "removed": summary.removed},
    )
    summary.seconds = time.perf_counter() - started
    return summary


class _NoBar:
    def update(self, _n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="人", desc="住民を生成", file=sys.stderr, smoothing=0.1)
