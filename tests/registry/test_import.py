"""``yakuba import residents``: strict, all or nothing, idempotent; export → import → export is exact."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from tests.registry.import_samples import TODAY, atena, my_number, row, sample_rows, to_csv
from yakuba.cli import main
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.linkage.models import Event
from yakuba.platform.tenancy.context import tenant_context
from yakuba.platform.tenancy.services import register_municipality
from yakuba.registry.codes import IMPORT_KIND
from yakuba.registry.generate import generate_population
from yakuba.registry.models import Household, Move, NumberCounter, Resident, ResidentHistory
from yakuba.registry.services import SearchQuery, get_resident, search
from yakuba.registry.services.imports import ImportRejected, import_residents
from yakuba.registry.services.records import my_number_of

pytestmark = pytest.mark.django_db
KORIYAMA = "072036"


def _import(path, lg_code=AIZU, **options):
    issues = []
    with bind_actor(SYSTEM), tenant_context(lg_code):
        try:
            summary = import_residents(str(path), report=issues.append, **options)
        except ImportRejected:
            return None, [str(i) for i in issues]
    return summary, [str(i) for i in issues]


def _write(tmp_path, rows, name="in.csv", **options):
    path = tmp_path / name
    path.write_bytes(to_csv(rows, **options))
    return path


def _counts(lg_code=AIZU) -> tuple:
    with tenant_context(lg_code):
        return (
            Resident.objects.count(),
            ResidentHistory.objects.count(),
            Household.objects.count(),
            Move.objects.count(),
            AuditEntry.objects.count(),
            Event.objects.count(),
        )


# --- what a good file gives ----------------------------------------------------------------------


def test_a_valid_file_is_imported_with_history_households_and_numbers(aizu, tmp_path):
    path = _write(tmp_path, sample_rows())
    summary, issues = _import(path)
    assert issues == [] and (summary.rows, summary.inserted, summary.unchanged, summary.households) == (
        8,
        8,
        0,
        4,
    )
    with tenant_context(AIZU):
        taro = Resident.objects.get(atena_no=atena(1))
        assert (taro.name, taro.town_area, taro.block, taro.history_no) == (
            "青木 太郎",
            "東栄町",
            "3番1号",
            1,
        )
        assert my_number_of(taro) == my_number(1) and my_number(1) not in taro.my_number_encrypted
        history = ResidentHistory.objects.get(atena_no=atena(1))
        assert (history.history_no, history.move_kind) == (1, IMPORT_KIND)
        assert history.move_date == date.fromisoformat(row(1, 1, "", "", "", "", 1)["住所を定めた年月日"])
        move = Move.objects.get(kind=IMPORT_KIND)
        assert move.request["rows"] == 8 and move.request["sha256"] == summary.sha256
        takahashi = Resident.objects.get(atena_no=atena(6))
        assert (takahashi.birth_date, takahashi.birth_date_text) == (None, "昭和10年月日不詳")
        households = {h.setai_no: h for h in Household.objects.all()}
        assert households[atena(901)].head_atena_no == atena(1) and households[atena(901)].active
        assert households[atena(903)].head_atena_no == atena(6)
        # Searchable like any resident, 除票 included.
        found = search(SearchQuery(name_kana="ｱｵｷ"))
        assert {r.atena_no for r in found} == {atena(1), atena(2), atena(3)}
        assert get_resident(atena(7)).status == 3
        # New numbers continue after the imported ones.
        assert NumberCounter.objects.get(kind="atena").last >= 8
        audit = AuditEntry.objects.get(action="create", resource="resident")
        assert audit.detail["imported"] == 8 and audit.detail["sha256"] == summary.sha256
        event = Event.objects.get(type="jp.yakuba.registry.residents.imported.v1")
        assert event.data["imported"] == 8 and "個人番号" not in str(event.data)


def test_re_running_the_same_file_changes_nothing(aizu, tmp_path):
    path = _write(tmp_path, sample_rows())
    _import(path)
    before = _counts()
    summary, issues = _import(path)
    assert issues == [] and (summary.inserted, summary.unchanged) == (0, 8)
    after = _counts()
    assert after[:4] == before[:4]  # only the audit row of the second run is new


def test_a_changed_row_of_a_registered_person_is_refused(aizu, tmp_path):
    _import(_write(tmp_path, sample_rows()))
    rows = sample_rows()
    rows[2]["氏名"] = "青木 一朗"
    summary, issues = _import(_write(tmp_path, rows, "changed.csv"))
    assert summary is None
    assert issues == [
        f"4行目 1列目（宛名番号）: 宛名番号 {atena(3)} は登録済みで、記載内容が異なります（変更は異動として入力してください）"
    ]


def test_new_people_are_added_beside_registered_ones(aizu, tmp_path):
    rows = sample_rows()
    _import(_write(tmp_path, rows[:4]))
    summary, issues = _import(_write(tmp_path, rows, "all.csv"))
    assert issues == [] and (summary.inserted, summary.unchanged) == (4, 4)


def test_cp932_file(aizu, tmp_path):
    rows = [r for r in sample_rows() if "𠮷" not in r["氏名"]]  # 𠮷 has no CP932 code
    summary, issues = _import(_write(tmp_path, rows, encoding="cp932"), encoding="cp932")
    assert issues == [] and summary.inserted == len(rows)
    with tenant_context(AIZU):
        assert Resident.objects.get(atena_no=atena(1)).name == "青木 太郎"


def test_utf8_bom_is_accepted(aizu, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + to_csv(sample_rows()))
    summary, issues = _import(path)
    assert issues == [] and summary.inserted == 8


def test_staging_in_worker_processes_gives_the_same_result(aizu, tmp_path, monkeypatch):
    """Large files are staged by forked workers: chunks come back in order, findings intact."""
    from yakuba.registry.services import imports

    monkeypatch.setattr(imports, "CHUNK_ROWS", 3)
    rows = sample_rows()
    rows[1]["性別"] = "9"
    rows[6]["生年月日"] = "2020-02-30"
    broken = _write(tmp_path, rows)
    _summary, inline = _import(broken, parallel=False)
    _summary, forked = _import(broken, parallel=True)
    assert forked == inline and [i[:4] for i in inline] == ["3行目 ", "8行目 "]
    summary, issues = _import(_write(tmp_path, sample_rows(), name="good.csv"), parallel=True)
    assert issues == [] and (summary.inserted, summary.households) == (8, 4)


# --- round trip ----------------------------------------------------------------------------------


def test_export_import_export_gives_identical_bytes(aizu, system_actor, tmp_path):
    with tenant_context(AIZU):
        generate_population(1_500, seed=7, as_of=TODAY)
    register_municipality(KORIYAMA)
    first, second, third = (tmp_path / f"{n}.csv" for n in ("first", "second", "third"))
    assert main(["export", "residents", AIZU, str(first)]) == 0
    assert main(["import", "residents", KORIYAMA, str(first), "--quiet"]) == 0
    assert main(["export", "residents", KORIYAMA, str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    # Idempotent: a second import of the same file adds nothing and the export is unchanged.
    assert main(["import", "residents", KORIYAMA, str(first), "--quiet"]) == 0
    assert main(["export", "residents", KORIYAMA, str(third)]) == 0
    assert third.read_bytes() == first.read_bytes()


def test_cp932_round_trip(aizu, tmp_path):
    rows = [r for r in sample_rows() if "𠮷" not in r["氏名"]]
    _import(_write(tmp_path, rows, encoding="cp932"), encoding="cp932")
    register_municipality(KORIYAMA)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert main(["export", "residents", AIZU, str(first), "--encoding", "cp932"]) == 0
    assert main(["import", "residents", KORIYAMA, str(first), "--encoding", "cp932", "--quiet"]) == 0
    assert main(["export", "residents", KORIYAMA, str(second), "--encoding", "cp932"]) == 0
    assert first.read_bytes() == second.read_bytes()


# --- every rule: the line, the column and the message the operator reads ------------------------


def _set(index: int, **items):
    def change(rows):
        rows[index].update(items)

    return change


RULES = [
    (
        _set(0, 宛名番号="0000000012"),
        "2行目 1列目（宛名番号）: 宛名番号の桁数または検査数字（M11）が正しくありません（0000000012）",
    ),
    (
        _set(1, 世帯番号="0000009010"),
        "3行目 2列目（世帯番号）: 世帯番号の桁数または検査数字（M11）が正しくありません（0000009010）",
    ),
    (_set(1, 住民種別="3"), "3行目 3列目（住民種別）: 住民種別は 1（日本人）または 2（外国人）です"),
    (_set(1, 住民状態="9"), "3行目 4列目（住民状態）: 住民状態は 1（住民）、2（転出予定）、3（消除）です"),
    (_set(1, 氏名=""), "3行目 5列目（氏名）: 氏名を入力してください"),
    (
        _set(1, 氏名フリガナ="あおき はなこ"),
        "3行目 6列目（氏名フリガナ）: フリガナは全角カタカナで入力してください（あおき はなこ）",
    ),
    (
        _set(1, 旧氏フリガナ="Sato"),
        "3行目 8列目（旧氏フリガナ）: フリガナは全角カタカナで入力してください（Sato）",
    ),
    (
        _set(1, 生年月日="2023-02-30"),
        "3行目 11列目（生年月日）: 日付は YYYY-MM-DD の実在する日付で入力してください（2023-02-30）",
    ),
    (_set(1, 生年月日="2999-01-01"), "3行目 11列目（生年月日）: 生年月日が未来の日付です"),
    (
        _set(1, 生年月日="あいう"),
        "3行目 11列目（生年月日）: 生年月日が正しくありません（あいう）: 日付として認識できません",
    ),
    (_set(1, 性別="0"), "3行目 12列目（性別）: 性別は 1（男）または 2（女）です"),
    (_set(2, 続柄="孫"), "4行目 13列目（続柄）: 続柄「孫」は使えません。「子の子」と記載してください"),
    (_set(1, 郵便番号="965-0872"), "3行目 14列目（郵便番号）: 郵便番号は7桁の数字です"),
    (
        _set(1, 住民となった年月日="2024/04/01"),
        "3行目 17列目（住民となった年月日）: 日付は YYYY-MM-DD の実在する日付で入力してください（2024/04/01）",
    ),
    (
        _set(1, 個人番号="123456789012"),
        "3行目 23列目（個人番号）: 個人番号の桁数または検査数字が正しくありません",
    ),
    (
        _set(1, 住民票コード="12345678901"),
        "3行目 24列目（住民票コード）: 住民票コードの桁数または検査数字が正しくありません（12345678901）",
    ),
    (_set(4, **{"国籍・地域": ""}), "6行目 25列目（国籍・地域）: 外国人住民は国籍・地域を入力してください"),
    (
        _set(4, 在留資格=""),
        "6行目 26列目（在留資格）: 外国人住民は在留資格（法30条の45の区分）を入力してください",
    ),
    (_set(1, **{"国籍・地域": "日本"}), "3行目 25列目（国籍・地域）: 日本人住民には国籍・地域を記載しません"),
    (_set(1, 通称="花"), "3行目 9列目（通称）: 日本人住民には通称を記載しません"),
    (_set(7, 転出予定日=""), "9行目 29列目（転出予定日）: 転出予定の住民は転出予定日を入力してください"),
    (_set(6, 消除事由=""), "8行目 31列目（消除事由）: 消除された住民は消除事由を入力してください"),
    (_set(6, 消除事由="引越し"), "8行目 31列目（消除事由）: 消除事由が正しくありません（引越し）"),
    (_set(6, 消除年月日=""), "8行目 32列目（消除年月日）: 消除された住民は消除年月日を入力してください"),
    (_set(1, 消除年月日="2020-01-01"), "3行目 32列目（消除年月日）: 住民には消除年月日を記載しません"),
    (_set(1, 方書="あ" * 101), "3行目 16列目（方書）: 100文字を超えています"),
    (_set(2, 宛名番号=atena(1)), f"4行目 1列目（宛名番号）: 宛名番号 {atena(1)} が 2行目と重複しています"),
    (_set(2, 個人番号=my_number(1)), "4行目 23列目（個人番号）: 個人番号が 2行目の住民と重複しています"),
    (_set(2, 続柄="世帯主"), "2行目 13列目（続柄）: 世帯番号 0000009016 に世帯主が2人います（2・4行目）"),
    (_set(4, 続柄="同居人"), "6行目 13列目（続柄）: 世帯番号 0000009024 に世帯主がいません"),
    (
        _set(1, 方書="コーポ101"),
        "3行目 15列目（住所）: 同じ世帯の世帯主（2行目）と住所・方書・郵便番号が異なります",
    ),
]


@pytest.mark.parametrize(("change", "message"), RULES, ids=[m.split(": ")[1][:24] for _c, m in RULES])
def test_each_rule_reports_line_column_and_reason(aizu, tmp_path, change, message):
    rows = sample_rows()
    change(rows)
    before = _counts()
    summary, issues = _import(_write(tmp_path, rows))
    assert summary is None and any(i.startswith(message) for i in issues), issues
    assert _counts() == before


def test_structure_errors(aizu, tmp_path):
    good = to_csv(sample_rows()).decode().split("\r\n")
    lines = [
        good[0],
        good[1],
        good[2].rsplit(",", 5)[0],  # columns missing
        good[3].replace("青木 一郎", "青木 一郎".encode().decode())
        + ',"extra","ignored"',  # extra columns are fine
        good[4][:-2] + '"x"y',  # broken quoting
        good[5],
    ]
    path = tmp_path / "broken.csv"
    data = (
        "\r\n".join(lines).encode()
        + b"\r\n"
        + good[6].replace("高橋", "\udcff").encode("utf-8", "surrogateescape")
    )
    path.write_bytes(data + b"\r\n")
    _summary, issues = _import(path)
    assert "3行目: 列が足りません（27列。32列必要です）" in issues
    assert '5行目: CSV の形式が正しくありません（引用符（"）の後に区切りがありません）' in issues
    assert any(i.startswith("7行目: utf-8 として読めない文字があります（7行目）。CP932") for i in issues), (
        issues
    )
    assert not any(i.startswith("4行目") for i in issues)


def test_header_and_empty_file(aizu, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert _import(empty)[1] == ["1行目: 見出し行がありません（空のファイルです）"]
    data = to_csv(sample_rows()).replace("氏名フリガナ".encode(), "カナ".encode(), 1)
    wrong = tmp_path / "wrong.csv"
    wrong.write_bytes(data)
    assert _import(wrong)[1] == [
        "1行目 6列目（氏名フリガナ）: 見出しが住民記録レイアウトと異なります（「氏名フリガナ」のはずが「カナ」）"
    ]


def test_conflicts_with_registered_numbers(aizu, tmp_path):
    _import(_write(tmp_path, sample_rows()))
    newcomer = row(50, 9, "世帯主", "新井 一", "アライ ハジメ", "1980-01-01", 1, 個人番号=my_number(1))
    newcomer["住民票コード"] = sample_rows()[1]["住民票コード"]
    _summary, issues = _import(_write(tmp_path, [newcomer], "new.csv"))
    assert issues == [
        f"2行目 23列目（個人番号）: 個人番号が登録済みの住民（宛名番号 {atena(1)}）と重複しています",
        f"2行目 24列目（住民票コード）: 住民票コード {newcomer['住民票コード']} は登録済みの住民（宛名番号 {atena(2)}）のものです",
    ]


# --- the command ---------------------------------------------------------------------------------


def test_cli_reports_every_bad_row_on_stderr_and_exits_1(aizu, tmp_path, capsys):
    rows = sample_rows()
    rows[1]["生年月日"] = "2023-02-30"
    rows[5]["性別"] = "3"
    path = _write(tmp_path, rows)
    before = _counts()
    assert main(["import", "residents", AIZU, str(path), "--quiet"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert (
        err[0] == "3行目 11列目（生年月日）: 日付は YYYY-MM-DD の実在する日付で入力してください（2023-02-30）"
    )
    assert err[1] == "7行目 12列目（性別）: 性別は 1（男）または 2（女）です"
    assert err[2].endswith("2 件の誤りがあるため、取り込みませんでした")
    assert _counts() == before


def test_cli_check_only_imports_nothing(aizu, tmp_path, capsys):
    path = _write(tmp_path, sample_rows())
    assert main(["import", "residents", AIZU, str(path), "--check", "--quiet"]) == 0
    assert "8 行を検証しました" in capsys.readouterr().out
    assert _counts()[0] == 0


def test_cli_bad_arguments(aizu, tmp_path, capsys):
    assert main(["import", "residents", AIZU, str(tmp_path / "missing.csv"), "--quiet"]) == 2
    assert "ファイルを読めません" in capsys.readouterr().err
    assert main(["import", "residents", "131016", str(_write(tmp_path, sample_rows())), "--quiet"]) == 2
    assert "登録されていません" in capsys.readouterr().err
