"""The 振り仮名 notices (改正戸籍法附則; civil-facts §3.4): the 本籍地 mails each 戸籍 the readings
it plans to record, at the addresses of the 基準日 (2025-05-26).

- **Per 戸籍, by address.** One notice holds **up to 4 persons of the same 戸籍 at the same
  address**; a fifth is on a notice of their own (丹波市
  https://www.city.tamba.lg.jp/soshiki/shimin_anzen/koseki/6/10810.html ; 六戸町
  https://www.town.rokunohe.aomori.jp/docs/2025052800017). It is addressed to the 筆頭者 when they
  live at that address, otherwise to the first person on it (戸籍法14条 order).
- **The address is the 附票's.** The 本籍地 knows where its persons live from the 附票 (住民基本台帳法
  第17条): a person's 住所 on the 基準日 is their last row dated on or before it. A person with no
  such row — or a 国外転出者 — is listed for the clerk (CSV), not guessed.
- **支援措置.** A protected person (``rows.protected_codes``) is never on another's notice nor at
  another's address — and, as every batch of ``platform.print_batch``, never sent to the print
  shop: they are withheld by 個人ID and the clerk makes theirs at the counter.

A person of the 戸籍 is found on its 附票 by their 宛名番号, else by 氏名 (spaces ignored) and
生年月日, as ``removals`` finds them. The readings come through the 戸籍's door a page of 戸籍 at a
time: a fixed number of queries a page, one print audit row naming the persons notified; the PDFs
are rendered outside the transaction (``platform.print_batch``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.koseki import services as koseki
from yakuba.koseki_annex.models import Entry
from yakuba.koseki_annex.rules.domicile import koseki_key
from yakuba.koseki_annex.services.following import annexes_of
from yakuba.koseki_annex.services.rows import protected_codes
from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant

BASE_DAY = date(2025, 5, 26)  # the addresses of the 施行日 (civil-facts §3.4)
PER_NOTICE = 4
PAGE = 200  # 戸籍 a page
TITLE = "戸籍に記載される氏名の振り仮名のお知らせ"
PURPOSE = "振り仮名の通知の作成"
NO_ROW = "基準日の住所が附票にありません"
OVERSEAS = "国外転出者（国内の住所がありません）"
UNADDRESSED_HEADER = ["koseki_id", "person_id", "氏名", "生年月日", "理由"]


@dataclass(frozen=True)
class Listed:
    """One person on a notice: what the 本籍地 plans to record for them."""

    name: str
    birth: str  # 生年月日 in 和暦
    surname_kana: str
    given_name_kana: str


@dataclass(frozen=True)
class Notice:
    """One notice (one envelope, one PDF)."""

    filename: str
    koseki_id: str
    honseki: str
    hittosha: str
    to: str  # 宛名
    address: str
    persons: list[Listed]


@dataclass(frozen=True)
class Unaddressed:
    """A person the batch could not address: for the clerk."""

    koseki_id: str
    person_id: str
    name: str
    birth_date: date
    reason: str


@dataclass(frozen=True)
class Page:
    """A page for ``platform.print_batch.print_pages``, with the persons left to the clerk."""

    documents: list[Notice]
    withheld: list[str]
    heading: dict
    last: str
    unaddressed: list[Unaddressed]


def _plain(name: str) -> str:
    return "".join(name.split())


def _addresses(readings: list[koseki.NotifiedReading], as_of: date) -> dict[str, tuple[str, Entry]]:
    """{person_id: (住民票コード, their 附票 row on ``as_of``)} — two queries whatever the number."""
    annexes = annexes_of({koseki_key(r.honseki, r.hittosha) for r in readings})
    if not annexes:
        return {}
    rows = list(
        Entry.objects.filter(annex__in=[a.pk for a in annexes.values()], address_set_on__lte=as_of)
        .order_by("annex_id", "juminhyo_code", "-address_set_on", "-id")
        .distinct("annex_id", "juminhyo_code")
        .only("annex_id", "juminhyo_code", "atena_no", "name", "birth_date", "address", "overseas")
    )
    by_atena = {(e.annex_id, e.atena_no): e for e in rows if e.atena_no}
    by_name = {(e.annex_id, _plain(e.name), e.birth_date): e for e in rows}
    found: dict[str, tuple[str, Entry]] = {}
    for r in readings:
        annex = annexes.get(koseki_key(r.honseki, r.hittosha))
        if annex is None:
            continue
        row = by_atena.get((annex.pk, r.atena_no)) or by_name.get((annex.pk, _plain(r.name), r.birth_date))
        if row is not None:
            found[r.person_id] = (row.juminhyo_code, row)
    return found


def _listed(r: koseki.NotifiedReading) -> Listed:
    return Listed(r.name, format_wareki(r.birth_date), r.surname_kana, r.given_name_kana)


def _notices_of(
    readings: list[koseki.NotifiedReading], found: dict[str, tuple[str, Entry]], protected: set[str]
) -> tuple[list[Notice], list[Unaddressed], list[str]]:
    """The notices of one 戸籍 (its readings in order), numbered in the order of their first
    person; the persons without an address; the protected persons withheld (個人ID)."""
    first = readings[0]
    slots: list[tuple[str, list[koseki.NotifiedReading]]] = []  # (address, persons) in order
    by_address: dict[str, list[koseki.NotifiedReading]] = {}
    unaddressed: list[Unaddressed] = []
    withheld: list[str] = []
    for r in readings:
        code, row = found.get(r.person_id, ("", None))
        if row is None or row.overseas or not row.address:
            reason = OVERSEAS if row is not None and row.overseas else NO_ROW
            unaddressed.append(Unaddressed(r.koseki_id, r.person_id, r.name, r.birth_date, reason))
        elif code in protected:
            withheld.append(r.person_id)  # made at the counter, never by the print shop
        elif row.address in by_address:
            by_address[row.address].append(r)
        else:
            by_address[row.address] = [r]
            slots.append((row.address, by_address[row.address]))
    notices: list[Notice] = []
    for address, persons in slots:
        head = next((p for p in persons if p.head), None)
        for start in range(0, len(persons), PER_NOTICE):
            chunk = persons[start : start + PER_NOTICE]
            notices.append(
                Notice(
                    f"furigana-{first.koseki_id}-{len(notices) + 1:02d}.pdf",
                    first.koseki_id,
                    first.honseki,
                    first.hittosha,
                    (head or chunk[0]).name,
                    address,
                    [_listed(p) for p in chunk],
                )
            )
    return notices, unaddressed, withheld


def heading() -> dict:
    """What every notice prints besides its persons: the 本籍地, its 長, the day, the 届出 window
    and the 職権記載 date (附則)."""
    municipality = lookup(require_tenant().lg_code)
    return {
        "title": TITLE,
        "municipality": municipality.full_name,
        "mayor": f"{municipality.name}長",
        "issued_on": format_wareki(timezone.localdate()),
        "filing_from": format_wareki(koseki.FILING_FROM),
        "filing_until": format_wareki(koseki.FILING_UNTIL),
        "recorded_from": format_wareki(koseki.RECORDED_FROM),
    }


def notices_page(as_of: date = BASE_DAY, *, after: str = "", limit: int = PAGE) -> Page:
    """The notices of the next ``limit`` 戸籍 after 戸籍ID ``after`` (``last`` empty at the end)."""
    read = koseki.notified_readings(after, limit)
    if not read.last:
        return Page([], [], {}, "", [])
    found = _addresses(read.readings, as_of)
    protected = protected_codes({code for code, _row in found.values()}) if found else set()
    by_koseki: dict[str, list[koseki.NotifiedReading]] = {}
    for r in read.readings:
        by_koseki.setdefault(r.koseki_id, []).append(r)
    documents: list[Notice] = []
    unaddressed: list[Unaddressed] = []
    withheld: list[str] = []
    for readings in by_koseki.values():
        notices, missing, kept_back = _notices_of(readings, found, protected)
        documents += notices
        unaddressed += missing
        withheld += kept_back
    record(
        Action.PRINT,
        "koseki_annex.annex",
        purpose=PURPOSE,
        subjects=sorted(code for code, _row in found.values()),
        detail={
            "as_of": as_of.isoformat(),
            "after": after,
            "through": read.last,
            "notices": len(documents),
            "unaddressed": [u.person_id for u in unaddressed],
        },
    )
    return Page(documents, withheld, heading(), read.last, unaddressed)


def render(notice: Notice, head: dict) -> bytes:
    """The PDF of one notice (no database: the batch renders outside its transaction)."""
    return pdf.render_counted(
        "koseki_annex/furigana_notice.html", {**head, "notice": notice}, stylesheets=(pdf.NOTICE_CSS,)
    )[0]


def unaddressed_rows(persons: list[Unaddressed]) -> list[list[str]]:
    """The clerk's list (CSV rows with its header): persons no notice could be addressed to."""
    return [UNADDRESSED_HEADER] + [
        [u.koseki_id, u.person_id, u.name, u.birth_date.isoformat(), u.reason] for u in persons
    ]
