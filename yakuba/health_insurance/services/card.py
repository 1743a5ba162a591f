"""国民健康保険 資格確認書: the card each 被保険者 gets since no 被保険者証 is issued (2024-12-02).

Since 2024-12-02 国保 issues no new 被保険者証; a 被保険者 without a マイナ保険証 gets a 資格確認書
without applying (insurance-welfare-facts §2.1, §2.2). It states who insures (保険者番号 and the
municipality's name), whom (被保険者 記号・番号・枝番, 氏名, 生年月日, 性別, 資格取得年月日, the
世帯主's name, the address), the 一部負担金の割合 (``rules.copay``, 国保法 §42), the 有効期限 (the
municipality's choice; never past the day before the 75th birthday, when 後期 starts: facts §2.2,
nor past the last day the printed 割合 holds — 就学 or 70歳到達 brings a new card)
and the 交付年月日.

The 保険者番号 is not a setting the platform keeps: the caller hands it in (the CLI's
``--insurer``). The 記号・番号・枝番 are 国保's own (``insured_numbers``). It is not a 証明書 of
the certificates app — no request, no fee, no 交付 at a counter: the 保険者 sends it ex officio,
and every print is an audit row (per person, or per page of the batch naming its range of
宛名番号). Names and addresses come through the registry's door as for the notices: a person hidden
from the caller does not exist; the batch leaves out everyone whose card would name a protected
person, for a clerk with the right to print one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections
from django.utils import timezone

from yakuba.health_insurance.codes import Change
from yakuba.health_insurance.rules.copay import copay_share, share_until
from yakuba.health_insurance.rules.qualification import seventy_fifth_birthday
from yakuba.health_insurance.services.notices import Page, heading
from yakuba.health_insurance.services.numbers import insured_numbers
from yakuba.health_insurance.services.qualification import insured_on
from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry

TITLE = "国民健康保険 資格確認書"
RESOURCE = "health_insurance.card"
BATCH_PURPOSE = "国民健康保険 資格確認書（一括作成）"
PAGE = 1000
SEXES = {1: "男", 2: "女"}  # 住民記録システム標準仕様書 §1.1.1 性別
INSURER_NO = re.compile(r"^\d{6}$")  # 市町村国保: 都道府県番号2桁 + 保険者別番号3桁 + 検証番号1桁
STYLESHEET = "health_insurance/documents/documents.css"

# The 被保険者 on a day among some persons: each one's last 資格 row on or before the day is a 取得
# (its date is the 資格取得年月日), with their 国保世帯 now and its 世帯主. ``{persons}`` picks them:
# one person, or a range of 宛名番号 (a page).
_INSURED_SQL = """
SELECT q.atena_no, q.effective_on, coalesce(m.setai_no, q.setai_no), coalesce(h.head_atena_no, '')
  FROM (SELECT DISTINCT ON (atena_no) atena_no, setai_no, change, effective_on
          FROM health_insurance_qualification q
         WHERE lg_code = %(lg)s AND {persons} AND effective_on <= %(day)s AND change <> %(corrected)s
           AND NOT EXISTS (SELECT 1 FROM health_insurance_qualification c WHERE c.corrects = q.id)
         ORDER BY atena_no, effective_on DESC, id DESC) q
  LEFT JOIN health_insurance_member m ON m.lg_code = %(lg)s AND m.atena_no = q.atena_no
  LEFT JOIN health_insurance_household h ON h.lg_code = %(lg)s AND h.setai_no = coalesce(m.setai_no, q.setai_no)
 WHERE q.change = %(acquired)s
 ORDER BY q.atena_no
"""
_ONE = "atena_no = %(atena_no)s"
_RANGE = "atena_no > %(after)s AND atena_no <= %(through)s"
# The last 宛名番号 of the next ``limit`` persons with a 資格 row (the page's range; an index walk).
_THROUGH_SQL = """
SELECT max(atena_no) FROM (SELECT DISTINCT atena_no FROM health_insurance_qualification
                            WHERE lg_code = %s AND atena_no > %s ORDER BY atena_no LIMIT %s) a
"""


class CardRejected(ValueError):
    """A card that cannot be made (not insured on the day, a bad 保険者番号 or 有効期限)."""


@dataclass(frozen=True)
class Terms:
    """What the municipality decides for a run of cards."""

    on: date  # the 基準日: insured on this day, 一部負担金の割合 as of it
    insurer_no: str
    valid_until: date
    issued_on: date

    @classmethod
    def of(cls, on: date, insurer_no: str, valid_until: date, issued_on: date | None = None) -> Terms:
        if not INSURER_NO.match(insurer_no or ""):
            raise CardRejected("保険者番号は6桁の数字で指定してください")
        if valid_until < on:
            raise CardRejected("有効期限は基準日以後の日にしてください")
        return cls(on, insurer_no, valid_until, issued_on or timezone.localdate())


@dataclass(frozen=True)
class Card:
    atena_no: str
    setai_no: str
    symbol: str
    number: str
    branch: str
    name: str
    kana: str
    birth: str
    sex: str
    acquired_on: str
    head_name: str
    address: str
    copay: int  # 割
    valid_until: str
    insurer_no: str
    issued_on: str

    @property
    def filename(self) -> str:
        # 世帯番号 first: the files of one envelope sort together
        return f"{TITLE}-{self.setai_no}-{self.branch or '00'}-{self.atena_no}.pdf"


def _insured(day: date, persons: str, **params) -> list[tuple]:
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(
            _INSURED_SQL.format(persons=persons),
            {
                "day": day,
                "lg": tenant.lg_code,
                "corrected": Change.CORRECTED,
                "acquired": Change.ACQUIRED,
                **params,
            },
        )
        return cursor.fetchall()


def _cards(rows: list[tuple], terms: Terms, visibility) -> list[Card]:
    """The cards of ``rows`` (宛名番号, 取得日, 世帯番号, 世帯主) — two reads whatever their number:
    the numbers (国保's door) and the persons (the registry's)."""
    numbers = insured_numbers([r[0] for r in rows])
    records = registry.residents_of({a for r in rows for a in (r[0], r[3]) if a}, visibility=visibility)
    cards = []
    for atena_no, acquired_on, setai_no, head in rows:
        person = records.get(atena_no)
        if person is None:
            continue  # hidden from the caller (or not in the registry): no card names them
        valid_until = terms.valid_until
        if person.birth_date is not None:
            valid_until = min(valid_until, seventy_fifth_birthday(person.birth_date) - timedelta(days=1))
            valid_until = min(valid_until, share_until(person.birth_date, terms.on) or valid_until)
        symbol, number, branch = numbers.get(atena_no, ("", "", ""))
        head_record = records.get(head)
        cards.append(
            Card(
                atena_no=atena_no,
                setai_no=setai_no,
                symbol=symbol,
                number=number,
                branch=branch,
                name=person.name,
                kana=person.name_kana,
                birth=format_wareki(person.birth_date) if person.birth_date else person.birth_date_text,
                sex=SEXES.get(person.sex, ""),
                acquired_on=format_wareki(acquired_on),
                head_name=head_record.name if head_record else "",
                address=" ".join(p for p in (person.address, person.address_extra) if p),
                copay=copay_share(person.birth_date, terms.on),
                valid_until=format_wareki(valid_until),
                insurer_no=terms.insurer_no,
                issued_on=format_wareki(terms.issued_on),
            )
        )
    return cards


def render(card: Card, head: dict) -> bytes:
    """The PDF of one card (no database: the batch renders outside its transaction)."""
    context = {**head, "title": TITLE, "card": card, "issued_on": card.issued_on}
    return pdf.render_counted(
        "health_insurance/documents/card.html", context, stylesheets=(pdf.NOTICE_CSS, STYLESHEET)
    )[0]


def card_of(atena_no: str, terms: Terms, *, visibility) -> Card:
    """The card of one person; ``CardRejected`` when not insured on the 基準日, the registry's
    ``NotFound`` when hidden from the caller (the refusal audited)."""
    registry.get_resident(atena_no, visibility=visibility)  # NotFound when hidden
    cards = _cards(_insured(terms.on, _ONE, atena_no=atena_no), terms, visibility)
    if not cards:
        raise CardRejected(
            f"宛名番号 {atena_no} は{format_wareki(terms.on)}に国民健康保険の被保険者ではありません"
        )
    return cards[0]


def card_pdf(
    atena_no: str,
    *,
    on: date,
    insurer_no: str,
    valid_until: date,
    visibility,
    issued_on: date | None = None,
) -> tuple[bytes, str]:
    """(the PDF, its file name) of one person's 資格確認書 — the screen's; one audit row."""
    terms = Terms.of(on, insurer_no, valid_until, issued_on)
    card = card_of(atena_no, terms, visibility=visibility)
    body = render(card, heading())
    record(
        Action.PRINT,
        RESOURCE,
        subjects=[atena_no],
        purpose=TITLE,
        detail={"on": on.isoformat(), "valid_until": card.valid_until, "insurer_no": insurer_no},
    )
    return body, card.filename


def insured_count(day: date) -> int:
    """How many 被保険者 on the day (the batch's progress bar)."""
    return len(insured_on(day))


def cards_page(terms: Terms, *, after: str, limit: int = PAGE) -> Page:
    """The cards of the 被保険者 among the next ``limit`` persons 国保 knows after ``after`` (keyset
    on 宛名番号; a page may hold fewer cards, even none) for a print shop: a fixed number of queries whatever ``limit``, one audit row naming the range. A card
    naming a person under 支援措置 (the person or the 世帯主) is withheld."""
    tenant = require_tenant()
    with connections[tenant.alias].cursor() as cursor:
        cursor.execute(_THROUGH_SQL, [tenant.lg_code, after, limit])
        (last,) = cursor.fetchone()
    if last is None:
        return Page([], [], {}, "")
    rows = _insured(terms.on, _RANGE, after=after, through=last)
    protected = registry.protected_among({a for r in rows for a in (r[0], r[3]) if a})
    withheld = [r[0] for r in rows if protected.intersection((r[0], r[3]))]
    cards = _cards([r for r in rows if r[0] not in withheld], terms, registry.Visibility())
    record(
        Action.PRINT,
        RESOURCE,
        purpose=BATCH_PURPOSE,
        detail={
            "on": terms.on.isoformat(),
            "after": after,
            "through": last,
            "count": len(cards),
            "withheld": withheld,
        },
    )
    return Page(cards, withheld, heading(), last)
