"""The 附票記載事項通知 files (住民基本台帳法 第19条1項): taken in all or nothing, once, each line a
row unless it repeats the person's last one; sent out one file per 本籍地, each notice once."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import AIZU
from tests.koseki_annex.conftest import HONSEKI, OTHER_HONSEKI, code, notice_file, notice_line
from tests.registry.conftest import TODAY
from yakuba.koseki_annex import events
from yakuba.koseki_annex.models import Entry, NoticeFile, OutgoingNotice
from yakuba.koseki_annex.rules.notice_file import read_notices
from yakuba.koseki_annex.services import follow, protected_codes, send_out, take_in
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.file_issues import FileRejected
from yakuba.platform.linkage import feed
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)

HANAKO = code(2)


def _take_in(data: bytes, name: str = "notices.csv"):
    with tenant_context(AIZU):
        return take_in(data, file_name=name)


def _rows() -> list[tuple]:
    with tenant_context(AIZU):
        return list(
            Entry.objects.order_by("id").values_list("juminhyo_code", "address", "address_set_on", "source")
        )


@pytest.mark.django_db  # no feed read: the test's own transaction is enough
def test_a_notice_file_appends_rows_and_a_repeated_address_is_no_row(aizu, system_actor):
    moved = notice_line(**{"住民票コード": HANAKO, "住所を定めた年月日": "2026-11-01"})
    taken = _take_in(notice_file(moved, moved))  # the same 住所 twice: one row
    assert (taken.lines, taken.rows) == (2, 1)
    assert _rows() == [(HANAKO, "東京都千代田区千代田1番1号", date(2026, 11, 1), "notice")]
    again = notice_line(
        **{"住民票コード": HANAKO, "住所": "東京都千代田区千代田2番2号", "住所を定めた年月日": "2026-11-20"}
    )
    assert _take_in(notice_file(again), "second.csv").rows == 1
    assert len(_rows()) == 2
    with tenant_context(AIZU):
        audit = AuditEntry.objects.filter(resource="koseki_annex.entry").order_by("id").last()
        assert audit.subject_ids == [HANAKO] and audit.detail["file_name"] == "second.csv"


@pytest.mark.django_db  # no feed read: the test's own transaction is enough
def test_a_bad_line_refuses_the_whole_file_and_writes_nothing(aizu, system_actor):
    with pytest.raises(FileRejected) as refused:
        _take_in(notice_file(notice_line(**{"住民票コード": HANAKO}), notice_line(**{"性別": "9"})))
    assert [str(i) for i in refused.value.issues] == ["3行目 性別: 1（男）か 2（女）にしてください"]
    assert _rows() == []
    with tenant_context(AIZU):
        assert not NoticeFile.objects.exists()


def test_a_protected_persons_row_reaches_only_clients_that_protect_them(aizu, system_actor):
    """A notice marked 支援措置: its event is withheld from a client without registry:protected
    (the feed's guard), as the registry's own events are."""
    _take_in(notice_file(notice_line(**{"住民票コード": HANAKO, "支援措置": "1"})))
    plain = feed.Audience(scopes=frozenset({"koseki:read"}))
    trusted = feed.Audience(scopes=frozenset({"koseki:read", "registry:protected"}))
    with tenant_context(AIZU):
        assert feed.read("", type_prefixes=(events.PREFIX,), audience=plain).events == []
        (event,) = feed.read("", type_prefixes=(events.PREFIX,), audience=trusted).events
        assert protected_codes({HANAKO, code(1)}) == {HANAKO}
    assert event["subject"] == HANAKO and event["data"]["protected"] is True


@pytest.mark.django_db  # no feed read: the test's own transaction is enough
def test_a_file_is_taken_in_once(aizu, system_actor):
    data = notice_file(notice_line(**{"住民票コード": HANAKO}))
    _take_in(data)
    with pytest.raises(FileRejected) as refused:
        _take_in(data, "again.csv")
    assert "取り込み済みです（notices.csv）" in str(refused.value.issues[0])


def test_notices_for_other_domiciles_go_out_one_file_per_town_and_once(
    registry, newcomer, chiyoda, tmp_path, system_actor
):
    """千代田 lives here with a 本籍 in 千代田区: the file written for 千代田区 is one that 千代田区
    takes in (the same layout both ways)."""
    follow(AIZU)
    with tenant_context(AIZU):
        (sent,) = send_out(tmp_path)
        assert send_out(tmp_path) == []  # nothing new
        assert OutgoingNotice.objects.filter(file__isnull=True).count() == 0
    assert (sent.receiver, sent.notices) == ("131016", 1)
    assert oct(sent.path.stat().st_mode & 0o777) == "0o600"
    (notice,) = read_notices(sent.path.read_bytes(), receiver="131016", today=TODAY)
    assert (notice.sender, notice.honseki, notice.hittosha, notice.juminhyo_code, notice.name) == (
        AIZU, OTHER_HONSEKI, "千代田 一郎", newcomer[1], "千代田 一郎",
    )  # fmt: skip
    assert notice.line.address == "福島県会津若松市東栄町3番46号" and not notice.line.overseas
    with tenant_context("131016"):
        taken = take_in(sent.path.read_bytes(), file_name=sent.path.name)
        assert taken.rows == 1 and Entry.objects.get().annex.honseki == OTHER_HONSEKI


def test_a_local_domicile_is_never_sent_out(registry, family, tmp_path, system_actor):
    follow(AIZU)
    with tenant_context(AIZU):
        assert send_out(tmp_path) == []
        assert Entry.objects.filter(annex__honseki=HONSEKI).count() == 2
