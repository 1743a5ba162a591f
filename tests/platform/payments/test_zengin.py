"""The 全銀協 総合振込 file: every field at its place (全銀協制定ファイルフォーマット【総合振込】,
https://expydoc.com/doc/11700435/), the trailer's count and sum, 120 bytes + CRLF whatever the
values, and names the bank cannot read refused with the payee named."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yakuba.platform.payments import zengin

REQUESTER = zengin.Requester(
    code="1234567890",
    name="アイヅワカマツシ",
    bank_code="0128",
    bank_name="トウホウ",
    branch_code="1",
    branch_name="ホンテン",
    account_type="1",
    account_number="1234567",
)
TRANSFER = zengin.Transfer(
    payee="000000000000123",
    bank_code="9900",
    branch_code="12",
    account_type="1",
    account_number="765",
    name="ヤマダ　タロウ",
    amount=30000,
    customer_code="42",
)


def _fields(record: bytes, widths: list[int]) -> list[str]:
    text, at, found = record.decode("cp932"), 0, []
    for width in widths:
        found.append(text[at : at + width])
        at += width
    assert at == len(text) == zengin.RECORD
    return found


def test_the_header_fields():
    record = zengin.header(REQUESTER, date(2026, 12, 10))
    assert record.endswith(b"\r\n")
    fields = _fields(record[:-2], [1, 2, 1, 10, 40, 4, 4, 15, 3, 15, 1, 7, 17])
    assert fields == [
        "1",
        "21",
        "0",
        "1234567890",
        "ｱｲﾂﾞﾜｶﾏﾂｼ".ljust(40),
        "1210",
        "0128",
        "ﾄｳﾎｳ".ljust(15),
        "001",
        "ﾎﾝﾃﾝ".ljust(15),
        "1",
        "1234567",
        " " * 17,
    ]


def test_the_data_record_fields():
    fields = _fields(zengin.data(TRANSFER)[:-2], [1, 4, 15, 3, 15, 4, 1, 7, 30, 10, 1, 10, 10, 1, 1, 7])
    assert fields == [
        "2",
        "9900",
        " " * 15,
        "012",
        " " * 15,
        "0000",
        "1",
        "0000765",
        "ﾔﾏﾀﾞ ﾀﾛｳ".ljust(30),
        "0000030000",
        "0",
        "0000000042",
        "0" * 10,
        "7",
        " ",
        " " * 7,
    ]


def test_the_trailer_counts_and_sums_the_data_records():
    second = zengin.Transfer(**{**TRANSFER.__dict__, "payee": "2", "amount": 15000})
    records = b"".join(zengin.lines(REQUESTER, date(2026, 12, 10), [TRANSFER, second])).split(b"\r\n")
    assert [r[:1] for r in records] == [b"1", b"2", b"2", b"8", b"9", b""]
    assert _fields(records[3], [1, 6, 12, 101]) == ["8", "000002", "000000045000", " " * 101]
    assert records[4] == b"9" + b" " * 119


def test_small_kana_are_written_large_and_hiragana_as_katakana():
    assert zengin.kana("きょうと　ぎんこう", field="f", who="w") == "ｷﾖｳﾄ ｷﾞﾝｺｳ"
    assert zengin.kana("サトー（カ）", field="f", who="w") == "ｻﾄ-(ｶ)"


@pytest.mark.parametrize("name", ["山田太郎", "ヰノウエ", "ヤマダ＠"])
def test_a_name_the_bank_cannot_read_is_refused_naming_the_payee(name):
    with pytest.raises(zengin.ZenginError, match="宛名番号 000000000000123.*口座名義"):
        zengin.data(zengin.Transfer(**{**TRANSFER.__dict__, "name": name}))


def test_a_name_too_long_or_an_account_not_digits_is_refused():
    with pytest.raises(zengin.ZenginError, match="30文字を超えます"):
        zengin.data(zengin.Transfer(**{**TRANSFER.__dict__, "name": "ア" * 31}))
    with pytest.raises(zengin.ZenginError, match="口座番号「12345678」は7桁以内"):
        zengin.data(zengin.Transfer(**{**TRANSFER.__dict__, "account_number": "12345678"}))
    with pytest.raises(zengin.ZenginError, match="1円以上"):
        zengin.data(zengin.Transfer(**{**TRANSFER.__dict__, "amount": 0}))


KANA = st.text(
    alphabet="アイウエオカキクケコガギャュョッサシスセソンヴー　ABCXYZ0123456789()-./", max_size=30
)


@given(
    name=KANA,
    amount=st.integers(1, 9_999_999_999),
    account=st.integers(0, 9_999_999),
    code=st.integers(0, 9_999_999_999),
    count=st.integers(0, 3),
)
def test_every_record_is_120_bytes_and_crlf(name, amount, account, code, count):
    half = zengin.kana(name, field="f", who="w")
    if len(half) > 30:
        return
    transfer = zengin.Transfer(
        payee="1",
        bank_code="1",
        branch_code="1",
        account_type="2",
        account_number=str(account),
        name=name,
        amount=amount,
        customer_code=str(code),
    )
    body = b"".join(zengin.lines(REQUESTER, date(2027, 2, 10), [transfer] * count))
    assert len(body) == 122 * (count + 3)
    assert all(len(r) == 120 for r in body.split(b"\r\n")[:-1])
