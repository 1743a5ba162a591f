"""The 全銀協 総合振込 file a municipality hands its bank: fixed records of 120 bytes, each ended by
CRLF (122 bytes a line) — one header (データ区分 1), a data record (2) per payee, a trailer (8)
with the count and the sum, an end record (9).

Layout (全銀協制定ファイルフォーマット【総合振込】, as banks publish it:
https://expydoc.com/doc/11700435/ — the same fields in 三菱UFJ's Web21 layout,
https://happylibus.com/doc/455113/):

- header: データ区分 N1 「1」, 種別コード N2 「21」 (総合振込), コード区分 N1 「0」 (JIS), 振込依頼人
  コード N10, 振込依頼人名 C40, 振込指定日 N4 (MMDD), 仕向銀行番号 N4, 仕向銀行名 C15, 仕向支店番号
  N3, 仕向支店名 C15, 預金種目 N1, 口座番号 N7, ダミー C17;
- data: データ区分 N1 「2」, 被仕向銀行番号 N4, 被仕向銀行名 C15, 被仕向支店番号 N3, 被仕向支店名
  C15, 手形交換所番号 N4 (未使用: 0), 預金種目 N1, 口座番号 N7, 受取人名 C30, 振込金額 N10,
  新規コード N1, 顧客コード1 N10, 顧客コード2 N10, 振込指定区分 N1 (7 電信扱), 識別表示 C1,
  ダミー C7;
- trailer: データ区分 N1 「8」, 合計件数 N6, 合計金額 N12, ダミー C101;
- end: データ区分 N1 「9」, ダミー C119.

N is digits, right-aligned, zero-filled; C is JIS X 0201 (半角カナ, 英大文字, 数字 and a few signs),
left-aligned, space-filled, written as CP932 bytes (the same single bytes). A name that cannot be
written so (漢字, ヰ, a sign banks refuse) is refused with the payee named, never dropped or
garbled: the bank would pay someone else's name or reject the whole file. Pure Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import jaconv

RECORD = 120
CRLF = b"\r\n"
TRANSFER_KIND = "21"  # 総合振込
JIS = "0"
TELEGRAPHIC = "7"  # 振込指定区分: 電信扱
# The characters banks take in a C field: 数字, 英大文字, 半角カナ (ｱ–ﾝ, ｦ, 濁点, 半濁点), space and
# the signs ( ) - . / , ｢ ｣ — small kana are written large (ｷｮｳﾄ → ｷﾖｳﾄ), the 長音 as "-".
_SMALL = str.maketrans("ｧｨｩｪｫｬｭｮｯ", "ｱｲｳｴｵﾔﾕﾖﾂ")
_SIGNS = {"ｰ": "-", "−": "-", "‐": "-", "･": "."}
_ALLOWED = frozenset(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ()-./,ｦｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ｢｣"
)


class ZenginError(ValueError):
    """A value the file cannot carry: the message names the field and whose it is."""


@dataclass(frozen=True)
class Requester:
    """振込依頼人: the municipality, its 委託者 code at the bank and the 口座 it pays from."""

    code: str
    name: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    bank_name: str = ""
    branch_name: str = ""


@dataclass(frozen=True)
class Transfer:
    """One 振込: the payee's 口座, name (カナ) and the amount; ``payee`` names them in errors
    (宛名番号), ``customer_code`` goes to 顧客コード1 (digits, or empty)."""

    payee: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    name: str
    amount: int
    customer_code: str = ""
    bank_name: str = ""
    branch_name: str = ""


def kana(text: str, *, field: str, who: str) -> str:
    """``text`` in 半角 (JIS X 0201) as banks take it, or ``ZenginError`` naming ``field`` of
    ``who`` and the first character that cannot be written."""
    if _ALLOWED.issuperset(text):  # already as banks take it (a name stored converted): no work
        return text
    half = jaconv.z2h(jaconv.hira2kata(text), kana=True, ascii=True, digit=True).upper()
    half = "".join(_SIGNS.get(c, c) for c in half).translate(_SMALL)
    for c in half:
        if c not in _ALLOWED:
            raise ZenginError(f"{who}の{field}「{text}」に全銀ファイルで使えない文字「{c}」があります")
    return half


def _n(value: str | int, width: int, *, field: str, who: str) -> str:
    digits = str(value)
    if not digits.isascii() or not digits.isdigit() or len(digits) > width:
        raise ZenginError(f"{who}の{field}「{value}」は{width}桁以内の数字で指定してください")
    return digits.rjust(width, "0")


def _c(text: str, width: int, *, field: str, who: str) -> str:
    half = kana(text, field=field, who=who)
    if len(half) > width:
        raise ZenginError(f"{who}の{field}「{text}」は半角{width}文字を超えます（{len(half)}文字）")
    return half.ljust(width)


def _record(text: str) -> bytes:
    return text.encode("cp932") + CRLF


def header(requester: Requester, pay_on: date) -> bytes:
    who = "振込依頼人"
    return _record(
        "1"
        + TRANSFER_KIND
        + JIS
        + _n(requester.code, 10, field="依頼人コード", who=who)
        + _c(requester.name, 40, field="依頼人名", who=who)
        + f"{pay_on:%m%d}"
        + _n(requester.bank_code, 4, field="仕向銀行番号", who=who)
        + _c(requester.bank_name, 15, field="仕向銀行名", who=who)
        + _n(requester.branch_code, 3, field="仕向支店番号", who=who)
        + _c(requester.branch_name, 15, field="仕向支店名", who=who)
        + _n(requester.account_type, 1, field="預金種目", who=who)
        + _n(requester.account_number, 7, field="口座番号", who=who)
        + " " * 17
    )


def data(transfer: Transfer) -> bytes:
    who = f"受取人（宛名番号 {transfer.payee}）"
    if transfer.amount <= 0:
        raise ZenginError(f"{who}の振込金額 {transfer.amount} は1円以上にしてください")
    return _record(
        "2"
        + _n(transfer.bank_code, 4, field="金融機関コード", who=who)
        + _c(transfer.bank_name, 15, field="金融機関名", who=who)
        + _n(transfer.branch_code, 3, field="支店コード", who=who)
        + _c(transfer.branch_name, 15, field="支店名", who=who)
        + "0000"
        + _n(transfer.account_type, 1, field="預金種目", who=who)
        + _n(transfer.account_number, 7, field="口座番号", who=who)
        + _c(transfer.name, 30, field="口座名義", who=who)
        + _n(transfer.amount, 10, field="振込金額", who=who)
        + "0"
        + _n(transfer.customer_code or 0, 10, field="顧客コード", who=who)
        + "0" * 10
        + TELEGRAPHIC
        + " "
        + " " * 7
    )


def trailer(count: int, total: int) -> bytes:
    return _record(
        "8"
        + _n(count, 6, field="合計件数", who="トレーラー")
        + _n(total, 12, field="合計金額", who="トレーラー")
        + " " * 101
    )


def end() -> bytes:
    return _record("9" + " " * 119)


def lines(requester: Requester, pay_on: date, transfers: Iterable[Transfer]) -> Iterator[bytes]:
    """The file's records in order, each with its CRLF — streamed: a run of a million payees is
    written without holding it."""
    yield header(requester, pay_on)
    count = total = 0
    for transfer in transfers:
        yield data(transfer)
        count += 1
        total += transfer.amount
    yield trailer(count, total)
    yield end()
