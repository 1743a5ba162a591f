"""Rows for the synthetic population, and loading them with COPY.

PostgreSQL refuses ``COPY … FROM`` into a table under row-level security ("COPY FROM not
supported with row-level security"), and every registry table is under FORCE ROW LEVEL
SECURITY. So each chunk is COPYed into session temporary tables (no RLS; dropped at commit) and
moved over with one ``INSERT … SELECT`` per table, which the tenant policy checks row by row
(``WITH CHECK lg_code = current tenant``). The 異動 get their database ids in the same statement
(``INSERT … RETURNING``) and the history and current rows are joined to them by the Move UUID.

Numbers: 宛名番号 and 世帯番号 continue the municipality's counters (locked for the whole
transaction, so a clerk's 異動 waits rather than takes a number twice) and are raised past the
generated numbers at the end. 個人番号 and 住民票コード are affine permutations of the person's
ordinal (``(a·i + b) mod 10^k`` with ``a`` coprime to 10), so they are unique without keeping a
set of issued numbers, and then get their check digit.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from yakuba.platform import crypto
from yakuba.platform.japanese.checkdigits import juminhyo_code_check_digit, my_number_check_digit, with_m11
from yakuba.registry.codes import RemovalReason, ResidentType, Status
from yakuba.registry.generate.population import JST, Address, Household, Person, Settings
from yakuba.registry.services import store
from yakuba.registry.services.bulk import COPY_ESCAPE
from yakuba.registry.services.records import my_number_context, my_number_lookup

# Items that do not change over a person's history, then items a 異動 sets.
STATIC_COLUMNS = (
    "lg_code",
    "atena_no",
    "resident_type",
    "name",
    "name_kana",
    "former_surname",
    "former_surname_kana",
    "alias",
    "alias_kana",
    "birth_date",
    "birth_date_text",
    "birth_sort_date",
    "sex",
    "domicile",
    "domicile_head",
    "my_number_encrypted",
    "my_number_hash",
    "juminhyo_code",
    "nationality",
    "residence_status",
    "residence_expiry",
    "residence_card_no",
)
STATE_COLUMNS = (
    "setai_no",
    "status",
    "relationship",
    "postal_code",
    "address",
    "town_area",
    "block",
    "address_extra",
    "became_resident_on",
    "address_set_on",
    "notified_on",
    "previous_address",
    "planned_move_out_on",
    "destination_address",
    "removal_reason",
    "removed_on",
    "move_kind",
    "move_date",
    "processed_at",
    "history_no",
)
HISTORY_COLUMNS = STATIC_COLUMNS + STATE_COLUMNS
RESIDENT_COLUMNS = HISTORY_COLUMNS + ("version", *store.SEARCH_KEY_COLUMNS)
# The COPY text carries every column the store writes but the 異動's id, known only in the database.
if {*HISTORY_COLUMNS, "move_id"} != {"lg_code", *store.HISTORY_COLUMNS} or {*RESIDENT_COLUMNS, "move_id"} != {
    "lg_code",
    *store.CURRENT_COLUMNS,
}:
    raise RuntimeError("generator columns differ from the registry store's")
MOVE_COLUMNS = (
    "lg_code",
    "move_id",
    "kind",
    "move_date",
    "notified_date",
    "processed_at",
    "actor",
    "terminal",
    "request",
    "ex_officio",
)
HOUSEHOLD_COLUMNS = (
    "lg_code",
    "setai_no",
    "head_atena_no",
    "postal_code",
    "address",
    "town_area",
    "block",
    "address_extra",
    "active",
    "version",
)
PROTECTION_COLUMNS = (
    "lg_code",
    "protection_id",
    "atena_no",
    "kind",
    "provisional",
    "covered_atena_nos",
    "starts_on",
    "ends_on",
    "ended_early_on",
    "reason",
    "created_by",
    "created_at",
)
ACTOR = "system"
TERMINAL = "yakuba generate"
PROTECTION_REASON = "DV等支援措置（合成データ）"


class Numbers:
    """Sequential 宛名番号/世帯番号 and permuted 個人番号/住民票コード (see the module docstring)."""

    def __init__(self, seed: int, atena_last: int, setai_last: int):
        rng = random.Random(f"yakuba-generate-numbers:{seed}")
        self.atena_last = atena_last
        self.setai_last = setai_last
        self.ordinal = 0
        self._mn = (self._unit(rng, 10**11), rng.randrange(10**11))
        self._jc = (self._unit(rng, 10**10), rng.randrange(10**10))

    @staticmethod
    def _unit(rng: random.Random, modulus: int) -> int:
        while True:
            a = rng.randrange(modulus // 10, modulus)
            if a % 2 and a % 5:
                return a

    def atena(self) -> str:
        self.atena_last += 1
        return with_m11(f"{self.atena_last:09d}")

    def setai(self) -> str:
        self.setai_last += 1
        return with_m11(f"{self.setai_last:09d}")

    def personal(self) -> tuple[str, str]:
        """(個人番号, 住民票コード) of the next person."""
        i = self.ordinal
        self.ordinal += 1
        base = f"{(self._mn[0] * i + self._mn[1]) % 10**11:011d}"
        code = f"{(self._jc[0] * i + self._jc[1]) % 10**10:010d}"
        return base + str(my_number_check_digit(base)), code + str(juminhyo_code_check_digit(code))


def _text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(COPY_ESCAPE)
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _line(values) -> str:
    return "\t".join(map(_text, values))


@dataclass
class ChunkRows:
    """One chunk as COPY text lines per table, plus counts."""

    residents: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)
    households: list[str] = field(default_factory=list)
    protections: list[str] = field(default_factory=list)
    current: int = 0  # residents (住民 and 転出予定)
    removed: int = 0
    foreign: int = 0

    def payload(self) -> dict:
        """Bytes per temporary table, and the counts (what a worker process sends back)."""
        tables = {
            "gen_move": self.moves,
            "gen_history": self.history,
            "gen_resident": self.residents,
            "gen_household": self.households,
            "gen_protection": self.protections,
        }
        return {
            "copy": {t: "".join(lines).encode() for t, lines in tables.items()},
            "counts": {t: len(lines) for t, lines in tables.items()},
            "current": self.current,
            "removed": self.removed,
            "foreign": self.foreign,
        }


def _address(settings: Settings, address: Address) -> str:
    """The five address columns (郵便番号, 住所, 町字, 番地・号, 方書) as COPY text."""
    full = f"{settings.full_name}{address.town_area}{address.block}"
    return f"{address.postal_code}\t{full}\t{address.town_area}\t{address.block}\t{address.extra}"


def _static(settings: Settings, numbers: Numbers, p: Person, atena_no: str) -> str:
    lg = settings.lg_code
    my_number, jcode = numbers.personal()
    encrypted = crypto.encrypt(my_number, context=my_number_context(lg, atena_no))
    kind = int(ResidentType.FOREIGN if p.foreign else ResidentType.JAPANESE)
    expiry = _text(p.expiry)
    return (
        f"{lg}\t{atena_no}\t{kind}\t{p.name}\t{p.kana}\t{p.former}\t{p.former_kana}\t{p.alias}\t"
        f"{p.alias_kana}\t{p.birth}\t\t{p.birth}\t{p.sex}\t{p.domicile}\t{p.domicile_head}\t{encrypted}\t"
        f"{my_number_lookup(lg, my_number)}\t{jcode}\t{p.nationality}\t{p.status}\t{expiry}\t{p.card}"
    )


def _request(event, seed: int) -> str:
    request = {"kind": event.kind, "move_date": event.move_date.isoformat(), "generated": {"seed": seed}}
    if event.origin:
        request["origin"] = event.origin
    if event.destination:
        request["destination"] = event.destination
        request["planned_date"] = event.move_date.isoformat()
    return json.dumps(request, ensure_ascii=False).translate(COPY_ESCAPE)


RESIDENT, MOVING_OUT, REMOVED = int(Status.RESIDENT), int(Status.MOVING_OUT), int(Status.REMOVED)
# Positions in a person's state (the STATE_COLUMNS up to 消除年月日; the address is one text).
(
    SETAI,
    STATUS,
    REL,
    ADDRESS,
    BECAME,
    ADDRESS_SET,
    NOTIFIED,
    PREVIOUS,
    PLANNED,
    DESTINATION,
    REASON,
    REMOVED_ON,
) = range(12)


def _state_text(c: list, kind: str, move_date: date, processed_at: datetime, number: int) -> str:
    planned = "\\N" if c[PLANNED] is None else c[PLANNED]
    removed = "\\N" if c[REMOVED_ON] is None else c[REMOVED_ON]
    return (
        f"{c[SETAI]}\t{c[STATUS]}\t{c[REL]}\t{c[ADDRESS]}\t{c[BECAME]}\t{c[ADDRESS_SET]}\t{c[NOTIFIED]}\t"
        f"{c[PREVIOUS]}\t{planned}\t{c[DESTINATION]}\t{c[REASON]}\t{removed}\t{kind}\t{move_date}\t"
        f"{processed_at.isoformat()}\t{number}"
    )


def chunk_rows(settings: Settings, numbers: Numbers, households: list[Household]) -> ChunkRows:
    """Every row of one chunk, as COPY text: current rows, history, moves, households, 支援措置.

    Text values are written without escaping: every string comes from the checked source tables
    (``check_plain``) and digits, so none contains a tab, a newline or a backslash.
    """
    out = ChunkRows()
    lg = settings.lg_code
    for household in households:
        setai_no = numbers.setai()
        atena = {id(p): numbers.atena() for p in household.members}
        static = {id(p): _static(settings, numbers, p, atena[id(p)]) for p in household.members}
        state: dict[int, list] = {}
        history_no: dict[int, int] = {}
        latest: dict[int, tuple] = {}  # key -> (core text, move uuid, final state)
        address: str | None = None
        for event in household.events:
            move_uuid = str(event.move_id)
            out.moves.append(
                f"{lg}\t{move_uuid}\t{event.kind}\t{event.move_date}\t{event.notified}\t"
                f"{event.processed_at.isoformat()}\t{ACTOR}\t{TERMINAL}\t{_request(event, settings.seed)}\tf\n"
            )
            if event.kind == "move_in" or (event.kind == "birth" and address is None):
                address = _address(settings, event.address)
            for p in event.persons:
                key = id(p)
                current = state.get(key)
                if event.kind in ("move_in", "birth"):
                    if current is not None:
                        continue
                    on = event.move_date
                    current = state[key] = [
                        setai_no, RESIDENT, p.rel, address, on, on, event.notified, event.previous_address,
                        None, "", "", None,
                    ]  # fmt: skip
                elif current is None or current[STATUS] != RESIDENT:
                    continue
                elif event.kind == "move_within":
                    current[ADDRESS] = _address(settings, event.address)
                    current[ADDRESS_SET] = event.move_date
                elif event.kind == "death":
                    current[STATUS] = REMOVED
                    current[REASON] = RemovalReason.DEATH.value
                    current[REMOVED_ON] = event.move_date
                elif event.kind == "move_out":
                    current[STATUS] = MOVING_OUT if event.planned else REMOVED
                    current[PLANNED] = event.move_date
                    current[DESTINATION] = event.destination_address
                    current[REASON] = (
                        RemovalReason.MOVE_OUT_ABROAD.value
                        if event.destination == "abroad"
                        else RemovalReason.MOVE_OUT_DOMESTIC.value
                    )
                    current[REMOVED_ON] = event.move_date
                number = history_no[key] = history_no.get(key, 0) + 1
                core = f"{static[key]}\t{_state_text(current, event.kind, event.move_date, event.processed_at, number)}"
                out.history.append(f"{core}\t{move_uuid}\n")
                latest[key] = (core, move_uuid, current)
            if event.kind == "move_within":
                address = _address(settings, event.address)
        active_members = []
        for p in household.members:
            found = latest.get(id(p))
            if found is None:
                continue
            core, move_uuid, final = found
            if final[STATUS] == REMOVED:
                out.removed += 1
            else:
                out.current += 1
                active_members.append(p)
                if p.foreign:
                    out.foreign += 1
            keys = "\t".join(store.search_keys(p.name, p.kana, p.alias_kana))
            out.residents.append(f"{core}\t{history_no[id(p)]}\t{keys}\t{move_uuid}\n")
        head = next((p for p in active_members if p.rel == "世帯主"), None)
        where = latest[id(head)][2][ADDRESS] if head is not None else address
        head_no = atena[id(head)] if head else ""
        active = "t" if active_members else "f"
        out.households.append(f"{lg}\t{setai_no}\t{head_no}\t{where}\t{active}\t1\n")
        if household.protected and household.protection_start and active_members:
            # One measure per family: the head (or first member) applies, the others are
            # covered with them (併せて支援を求める者). Its id is derived, so a seed gives the same rows.
            start = household.protection_start
            created = datetime.combine(start, time(9, 0), tzinfo=JST)
            applicant = head if head in active_members else active_members[0]
            covered = [atena[id(p)] for p in active_members if p is not applicant]
            out.protections.append(
                _line(
                    (
                        lg,
                        uuid.uuid5(
                            uuid.NAMESPACE_URL, f"yakuba:{lg}:protection:{atena[id(applicant)]}:{start}"
                        ),
                        atena[id(applicant)],
                        "dv",
                        "f",
                        "{" + ",".join(covered) + "}",
                        start,
                        _year_later(start),
                        None,
                        PROTECTION_REASON,
                        ACTOR,
                        created,
                    )
                )
                + "\n"
            )
    return out


def check_plain(texts) -> None:
    """Refuse source strings that COPY text would need to escape (see ``chunk_rows``)."""
    for text in texts:
        if text != text.translate(COPY_ESCAPE):
            raise ValueError(f"source text with a tab, newline or backslash: {text!r}")


def _year_later(start: date) -> date:
    """End of a one-year 支援措置 period (the day before the anniversary)."""
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:
        anniversary = date(start.year + 1, 3, 1)
    return anniversary - timedelta(days=1)


# --- SQL -----------------------------------------------------------------------------------------

TEMP_TABLES = {
    "gen_resident": ("registry_resident", RESIDENT_COLUMNS, True),
    "gen_history": ("registry_resident_history", HISTORY_COLUMNS, True),
    "gen_move": ("registry_move", MOVE_COLUMNS, False),
    "gen_household": ("registry_household", HOUSEHOLD_COLUMNS, False),
    "gen_protection": ("registry_protection", PROTECTION_COLUMNS, False),
}


def create_temp_tables(cursor) -> None:
    for temp, (table, columns, with_move) in TEMP_TABLES.items():
        cursor.execute(
            f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT {', '.join(columns)} FROM {table} WITH NO DATA"
        )
        if with_move:
            cursor.execute(f"ALTER TABLE {temp} ADD COLUMN move_uuid uuid")


def _cols(columns, prefix: str = "") -> str:
    return ", ".join(prefix + c for c in columns)


MOVE_SQL = f"""
WITH m AS (
    INSERT INTO registry_move ({_cols(MOVE_COLUMNS)})
    SELECT {_cols(MOVE_COLUMNS)} FROM gen_move
    RETURNING id, move_id
), h AS (
    {store.insert_history("(SELECT g.*, m.id AS move_id FROM gen_history g JOIN m ON m.move_id = g.move_uuid) AS v")}
    RETURNING 1
), r AS (
    {store.insert_current("(SELECT g.*, m.id AS move_id FROM gen_resident g JOIN m ON m.move_id = g.move_uuid) AS v")}
    RETURNING 1
)
SELECT (SELECT count(*) FROM m), (SELECT count(*) FROM h), (SELECT count(*) FROM r)
"""
OTHER_SQL = [
    store.insert_households("gen_household"),
    f"INSERT INTO registry_protection ({_cols(PROTECTION_COLUMNS)}) SELECT {_cols(PROTECTION_COLUMNS)} FROM gen_protection",
    "TRUNCATE gen_resident, gen_history, gen_move, gen_household, gen_protection",
]


def _copy(cursor, table: str, data: bytes) -> None:
    columns, with_move = TEMP_TABLES[table][1], TEMP_TABLES[table][2]
    names = _cols(columns) + (", move_uuid" if with_move else "")
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        copy.write(data)


def write_chunk(cursor, payload: dict) -> None:
    """Load one chunk (a ``ChunkRows.payload()``) with a psycopg cursor in the tenant transaction."""
    for table, data in payload["copy"].items():
        if data:
            _copy(cursor, table, data)
    cursor.execute(MOVE_SQL)
    loaded = cursor.fetchone()
    counts = payload["counts"]
    expected = (counts["gen_move"], counts["gen_history"], counts["gen_resident"])
    if tuple(loaded) != expected:
        raise RuntimeError(f"generated rows lost in the load: {tuple(loaded)} != {expected}")
    for sql in OTHER_SQL:
        cursor.execute(sql)
