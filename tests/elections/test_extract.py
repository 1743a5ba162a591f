"""選挙人名簿抄本: per 投票区 in the plan's order, by 住所 with numbers compared as numbers, 氏名・住所・
性別・生年月日 only, a 表示 and a 旧住所地 registration printed, persons under 支援措置 left out of the
閲覧's copy only, a fixed number of queries, one audit row each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.elections.conftest import TODAY, ago
from tests.registry.conftest import move_in_body, person
from tests.registry.ui.test_screens import protect
from yakuba.cli import main
from yakuba.elections import services
from yakuba.elections.codes import Basis, Change
from yakuba.elections.models import Entry, EntryChange, Precinct, PrecinctPlan
from yakuba.elections.services import extract
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db

KIJUN = ago(10)
LONG_AGO = ago(400)


def voter(registry, name: str, sex: int, block: str, birth: str = "1970-04-01") -> str:
    body = move_in_body(
        person(name, "センキョ タロウ", birth, sex, "世帯主"),
        address={"postal_code": "9650872", "town_area": "東栄町", "block": block, "extra": ""},
        move_date=LONG_AGO.isoformat(),
        notified_date=LONG_AGO.isoformat(),
    )
    return registry.move(body)["persons"][0]["atena_no"]


@pytest.fixture
def town(registry, system_actor):
    people = {
        "十番": voter(registry, "抄本 十番", 1, "10番1号", birth="1970-04-02"),
        "二番": voter(registry, "抄本 二番", 2, "2番1号", birth="1989-01-08"),
        "三番": voter(registry, "抄本 三番", 1, "3番1号"),
    }
    with tenant_context(AIZU):
        services.register("election", KIJUN, KIJUN + timedelta(days=17))
    return people


def test_address_key_compares_numbers_as_numbers():
    key = extract.address_key
    assert key("東栄町2番1号") < key("東栄町10番1号") < key("東栄町十一番1号")
    assert key("一丁目9番") < key("二丁目1番")


def test_one_section_in_address_order_with_the_four_items(town):
    with tenant_context(AIZU):
        made = extract.make_extract(TODAY)
    [section] = made.sections
    assert section.tohyoku == "第1投票区"
    assert [x.name for x in section.lines] == ["抄本 二番", "抄本 三番", "抄本 十番"]
    first = section.lines[0]
    assert first.sex == "女" and first.birth_text == "平成元年1月8日" and "東栄町2番1号" in first.address
    assert (section.men, section.women) == (2, 1)
    # Not on the roll before the 登録日.
    with tenant_context(AIZU):
        assert extract.make_extract(KIJUN - timedelta(days=1)).sections == []


def test_csv_and_pdf_are_audited_and_hold_no_atena_no(town):
    with tenant_context(AIZU):
        body, made = extract.print_extract(TODAY, output="csv")
        pdf_body, _ = extract.print_extract(TODAY, tohyoku="第1投票区", output="pdf")
        audits = list(AuditEntry.objects.filter(resource=extract.RESOURCE).order_by("id"))
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == "投票区,番号,氏名,住所,性別,生年月日,備考"
    assert lines[1].startswith("第1投票区,1,抄本 二番,") and ",女,平成元年1月8日," in lines[1]
    assert not any(a in body.decode() for a in town.values())
    assert pdf_body.startswith(b"%PDF")
    assert [(a.action, a.detail["count"], a.detail["format"]) for a in audits] == [
        ("export", 3, "csv"),
        ("print", 3, "pdf"),
    ]


def test_a_marked_entry_and_a_former_address_entry_are_annotated(town):
    moved = ago(5)
    with tenant_context(AIZU):
        Entry.objects.filter(atena_no=town["十番"]).update(marked_on=moved, moved_out_on=moved)
        Entry.objects.filter(atena_no=town["三番"]).update(
            basis=Basis.FORMER_ADDRESS, former_address="福島県会津若松市旧町1番1号", left_on=date(2026, 1, 10)
        )
        lines = {x.name: x for x in extract.make_extract(TODAY).sections[0].lines}
        before = {x.name: x for x in extract.make_extract(moved - timedelta(days=1)).sections[0].lines}
    assert lines["抄本 十番"].note.startswith("表示（転出 ")
    assert before["抄本 十番"].note == ""
    assert lines["抄本 三番"].address == "福島県会津若松市旧町1番1号"
    assert lines["抄本 三番"].note.startswith(
        "旧住所地（法第21条第2項）、住所を有しなくなった日 令和8年1月10日"
    )


def test_protected_persons_are_left_out_of_the_viewing_copy_only(town):
    protect(town["二番"])
    with tenant_context(AIZU):
        own = extract.make_extract(TODAY)
        body, viewing = extract.print_extract(TODAY, output="csv", for_viewing=True)
        audit = AuditEntry.objects.filter(resource=extract.RESOURCE).latest("id")
    assert own.count == 3
    assert viewing.count == 2 and viewing.withheld == 1
    assert "抄本 二番" not in body.decode("utf-8-sig") and "2番1号" not in body.decode("utf-8-sig")
    assert audit.detail["withheld"] == 1 and audit.detail["for_viewing"] is True


def test_sections_follow_the_plan_codes_and_unplaced_entries_come_last(town):
    with tenant_context(AIZU):
        plan = PrecinctPlan.objects.create(
            lg_code=AIZU, effective_from=LONG_AGO, created_at=timezone.now(), created_by="test"
        )
        for code in ("2", "10"):
            Precinct.objects.create(lg_code=AIZU, plan=plan, code=code, name=f"第{code}投票区")
        Entry.objects.filter(atena_no=town["十番"]).update(tohyoku="第10投票区")
        Entry.objects.filter(atena_no=town["二番"]).update(tohyoku="第2投票区")
        Entry.objects.filter(atena_no=town["三番"]).update(tohyoku="")
        made = extract.make_extract(TODAY)
        only = extract.make_extract(TODAY, tohyokus=["第10投票区"])
        with pytest.raises(extract.ExtractRefused, match="--tohyoku: 投票区「第9投票区」はありません"):
            extract.print_extract(TODAY, tohyoku="第9投票区")
    assert [s.tohyoku for s in made.sections] == ["第2投票区", "第10投票区", extract.UNPLACED]
    assert [x.name for s in only.sections for x in s.lines] == ["抄本 十番"]


def test_the_extract_reads_in_a_fixed_number_of_queries(town, registry, django_assert_max_num_queries):
    with tenant_context(AIZU), django_assert_max_num_queries(8):
        small = extract.make_extract(TODAY)
    for n in range(5):
        voter(registry, f"抄本 追加{n}", 1, f"{n + 20}番1号", birth=f"1960-01-0{n + 1}")
    with tenant_context(AIZU):
        services.register("election", KIJUN + timedelta(days=1), KIJUN + timedelta(days=18))
    with tenant_context(AIZU), django_assert_max_num_queries(8):
        large = extract.make_extract(TODAY)
    assert (small.count, large.count) == (3, 8)


@pytest.mark.django_db(transaction=True)
def test_the_cli_writes_the_extract_and_names_bad_input(registry, tmp_path, capsys):
    voter(registry, "抄本 一人", 2, "5番1号")
    with tenant_context(AIZU), bind_actor(SYSTEM):
        services.register("election", KIJUN, KIJUN + timedelta(days=17))
    target = tmp_path / "shohon.pdf"
    args = ["elections", "extract", AIZU, "--as-of", TODAY.isoformat(), "--out", str(target)]
    assert main(args) == 0
    assert target.read_bytes().startswith(b"%PDF") and (target.stat().st_mode & 0o777) == 0o600
    assert "選挙人名簿抄本（" in capsys.readouterr().err
    assert main([*args[:-2], "--tohyoku", "第9投票区", "--out", str(tmp_path / "x.csv")]) == 2
    assert "--tohyoku: 投票区「第9投票区」はありません" in capsys.readouterr().err
    assert main(["elections", "period-add", AIZU, "--name", "市長選挙", "--announced-on", "2027-04-19",
                 "--election-day", "2027-04-18"]) == 2  # fmt: skip
    assert "--announced-on: 公示・告示日は選挙期日より前の日にしてください" in capsys.readouterr().err
    assert main(["elections", "period-add", AIZU, "--name", "市長選挙", "--announced-on", "2027-04-11",
                 "--election-day", "2027-04-18"]) == 0  # fmt: skip
    assert main(["elections", "periods", AIZU]) == 0
    assert "2027-04-18\t2027-04-11\t2027-04-23\t市長選挙" in capsys.readouterr().out
    report = tmp_path / "jokyo.csv"
    assert main(["elections", "viewing-report", AIZU, "--from", "2026-01-01", "--to", "2026-12-31",
                 "--out", str(report)]) == 0  # fmt: skip
    assert report.read_text(encoding="utf-8-sig").startswith("申出者の氏名・名称,")


def test_the_extract_as_of_a_past_day_puts_a_moved_entry_in_that_days_precinct(town):
    moved_on = ago(3)
    with tenant_context(AIZU):
        entry = Entry.objects.get(atena_no=town["十番"])
        Entry.objects.filter(id=entry.id).update(tohyoku="第2投票区")
        EntryChange.objects.create(lg_code=AIZU, entry=entry, run=None, change=Change.MOVED, on=moved_on,
                                   detail={"from": "第1投票区", "to": "第2投票区"},
                                   created_at=timezone.now(), created_by="test")  # fmt: skip
        before = extract.make_extract(moved_on - timedelta(days=1), tohyokus=["第1投票区"])
        after = extract.make_extract(moved_on, tohyokus=["第1投票区"])
        now = extract.make_extract(TODAY)
    assert "抄本 十番" in [x.name for s in before.sections for x in s.lines]
    assert "抄本 十番" not in [x.name for s in after.sections for x in s.lines]
    assert [(s.tohyoku, len(s.lines)) for s in now.sections] == [("第1投票区", 2), ("第2投票区", 1)]
