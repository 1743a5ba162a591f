"""Areas by address (``yakuba.platform.address_ranges``): the CSV's every error named by line and
column, optional trailing columns, a code meaning one thing per file, and the placing of an
address by its longest 町字 and its 番地 range (civil-facts §1.5, §4.4)."""

from __future__ import annotations

import pytest

from yakuba.platform.address_ranges import AddressRanges, Coded, Found, RangeFileRejected, read_ranges

PRECINCT = (Coded("投票区", optional=("投票所",)),)


def test_optional_trailing_columns_may_be_left_out():
    short = "町字,番地から,番地まで,投票区コード,投票区名\r\n本町,,,01,第1投票区\r\n"
    full = (
        "\ufeff町字,番地から,番地まで,投票区コード,投票区名,投票所\r\n本町,1,10,01,第1投票区,本町公民館\r\n"
    )
    assert read_ranges(short.encode(), PRECINCT, what="投票区")[0].values == ("01", "第1投票区", "")
    [row] = read_ranges(full.encode(), PRECINCT, what="投票区")
    assert (row.line, row.town_area, row.from_no, row.to_no) == (2, "本町", 1, 10)
    assert row.values == ("01", "第1投票区", "本町公民館")


def test_every_bad_line_is_named_with_its_column():
    bad = (
        "町字,番地から,番地まで,投票区コード,投票区名,投票所\r\n"
        "本町,1,10,01,第1投票区,本町公民館\r\n"
        "本町,5,20,01,第1投票区,本町小学校\r\n"  # overlaps line 2; another 投票所 for 01
        ",１１,3,02,,\r\n"  # no 町字, 11 > 3, no name
        "栄町,x,,0 2,第2投票区,\r\n"
        "栄町,1\r\n"
    )
    with pytest.raises(RangeFileRejected) as rejected:
        read_ranges(bad.encode(), PRECINCT, what="投票区")
    assert rejected.value.errors == [
        "3行目 投票所: コード 01 は 2行目で「本町公民館」です",
        "4行目 町字: 入力してください",
        "4行目 番地まで: 番地から（11）以上にしてください",
        "4行目 投票区名: 入力してください",
        "5行目 番地から: 0 から 99999 の整数を入力してください（x）",
        "5行目 投票区コード: 英数字10桁以内で入力してください（0 2）",
        "6行目: 列の数が 2 です（6 列にしてください）",
        "3行目 番地から: 本町 の番地が 2行目の範囲と重なっています",
    ]


def test_the_header_the_encoding_and_an_empty_file_are_named():
    with pytest.raises(
        RangeFileRejected, match=r"1行目: 見出しは「町字,番地から,番地まで,投票区コード,投票区名\[,投票所\]」"
    ):
        read_ranges(b"a,b\r\n", PRECINCT, what="投票区")
    with pytest.raises(RangeFileRejected, match="ファイル: UTF-8 で保存してください"):
        read_ranges("町字".encode("cp932"), PRECINCT, what="投票区")
    with pytest.raises(RangeFileRejected, match="ファイル: 投票区の行がありません"):
        read_ranges("町字,番地から,番地まで,投票区コード,投票区名\r\n\r\n".encode(), PRECINCT, what="投票区")


def test_an_address_is_placed_by_the_longest_town_and_its_range_never_guessed():
    index = AddressRanges(
        "福島県会津若松市",
        [("栄町", 0, 99999, "第2投票区"), ("東栄町", 1, 10, "第1投票区"), ("東栄町", 20, 30, "第3投票区")],
    )
    assert index.find("福島県会津若松市東栄町3番46号") == Found("東栄町", 3, ("第1投票区",))
    assert index.find("福島県会津若松市東栄町２０番地") == Found("東栄町", 20, ("第3投票区",))
    assert index.find("福島県会津若松市東栄町15番") == Found("東栄町", 15)  # between two ranges
    assert index.find("福島県会津若松市栄町") == Found("栄町", None, ("第2投票区",))
    assert index.find("福島県会津若松市北会津町1番") == Found()


def test_a_town_name_with_digits_is_still_found_by_its_longest_match():
    # 岩手県 writes 地割 with digits (「第2地割」): the text before the first digit is not the 町字.
    index = AddressRanges(
        "岩手県雫石町", [("長山", 0, 99999, "第1投票区"), ("長山第2地割", 0, 99999, "第2投票区")]
    )
    assert index.find("岩手県雫石町長山第2地割3番地") == Found("長山第2地割", 3, ("第2投票区",))
    plain = AddressRanges("福島県会津若松市", [("栄町", 0, 99999, "第2投票区")])
    assert plain.find("福島県会津若松市栄町一丁目5番") == Found(
        "栄町", None, ("第2投票区",)
    )  # no 番地 after 栄町
