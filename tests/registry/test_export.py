"""``yakuba export residents``: the 住民記録 layout, as of a date, encodings, 支援措置."""

from __future__ import annotations

import csv

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import ADDRESS_2, days_ago, move_body, person
from tests.registry.test_move_rules import family
from yakuba.cli import main
from yakuba.platform.audit.log import Actor, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services
from yakuba.registry.layout import HEADERS

pytestmark = pytest.mark.django_db


def _rows(path, encoding="utf-8") -> list[dict]:
    with open(path, encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        assert next(reader) == list(HEADERS)
        return [dict(zip(HEADERS, r, strict=True)) for r in reader]


def test_export_writes_every_person_in_the_contract_layout(registry, tmp_path, capsys):
    setai, (taro, hanako, ichiro) = family(registry)
    registry.move({"kind": "death", "move_date": days_ago(1), "persons": [{"atena_no": ichiro}]})
    out = tmp_path / "residents.csv"
    assert main(["export", "residents", AIZU, str(out)]) == 0
    rows = {r["宛名番号"]: r for r in _rows(out)}
    assert set(rows) == {taro, hanako, ichiro}
    assert rows[taro]["氏名"] == "青木 太郎" and rows[taro]["生年月日"] == "1960-01-07"
    assert rows[taro]["住所"] == "福島県会津若松市東栄町3番46号" and rows[taro]["続柄"] == "世帯主"
    assert (rows[ichiro]["住民状態"], rows[ichiro]["消除事由"], rows[ichiro]["消除年月日"]) == (
        "3",
        "death",
        days_ago(1),
    )
    assert out.read_bytes().endswith(b"\r\n") and not (tmp_path / "residents.csv.partial").exists()
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(action="export", resource="resident").get().detail["rows"] == 3


def test_export_as_of_a_past_date(registry, tmp_path):
    setai, (taro, hanako, ichiro) = family(registry)  # moved in 20 days ago
    registry.move(
        move_body(
            "move_within",
            [{"atena_no": a} for a in (taro, hanako, ichiro)],
            household={"setai_no": setai, "address": ADDRESS_2},
            move_date=days_ago(5),
        )
    )
    out = tmp_path / "then.csv"
    assert main(["export", "residents", AIZU, str(out), "--as-of", days_ago(10)]) == 0
    assert {r["住所"] for r in _rows(out)} == {"福島県会津若松市東栄町3番46号"}
    assert main(["export", "residents", AIZU, str(out), "--as-of", days_ago(30)]) == 0
    assert _rows(out) == []


def test_cp932_export_refuses_a_character_it_cannot_hold(registry, tmp_path, capsys):
    registry.move_in(person("𠮷田 一郎", "ヨシダ イチロウ"))
    out = tmp_path / "sjis.csv"
    assert main(["export", "residents", AIZU, str(out), "--encoding", "cp932"]) == 2
    assert "cp932 で表せない文字があります（'𠮷'）" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "sjis.csv.partial").exists()


def test_protected_persons_need_an_explicit_override_with_a_reason(registry, tmp_path, capsys):
    setai, (taro, hanako, ichiro) = family(registry)
    with bind_actor(Actor("staff", "counter-1")), tenant_context(AIZU):
        services.set_measure(hanako, starts_on=timezone.localdate())
    out = tmp_path / "r.csv"
    assert main(["export", "residents", AIZU, str(out)]) == 0
    assert "支援措置の対象 1 人は除外" in capsys.readouterr().out
    assert hanako not in {r["宛名番号"] for r in _rows(out)}
    assert main(["export", "residents", AIZU, str(out), "--include-protected"]) == 2
    assert (
        main(["export", "residents", AIZU, str(out), "--include-protected", "--reason", "システム移行"]) == 0
    )
    assert hanako in {r["宛名番号"] for r in _rows(out)}
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(action="export", purpose="システム移行").exists()


def test_cells_with_commas_and_quotes_are_quoted_exactly_as_csv_writer_does(registry, tmp_path):
    """The server builds each line's CSV text; it must be what csv.writer would have written."""
    import io

    registry.move_in(person(previous_address='大韓民国ソウル特別市江南区, "テヘラン路" 152'))
    registry.move_in(person("青木 次郎", "アオキ ジロウ", previous_address="東京都千代田区千代田1番1号"))
    out = tmp_path / "residents.csv"
    assert main(["export", "residents", AIZU, str(out)]) == 0
    written = out.read_bytes().decode()
    assert '"大韓民国ソウル特別市江南区, ""テヘラン路"" 152"' in written
    again = io.StringIO(newline="")
    csv.writer(again, lineterminator="\r\n").writerows(csv.reader(io.StringIO(written, newline="")))
    assert again.getvalue() == written
