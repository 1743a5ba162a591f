"""The 附票 screens (docs/koseki_annex.md「画面」): the 戸籍係 finds a 附票 by 本籍, 筆頭者 or a
person's 氏名 and reads it (住所, 国外転出者, 在外選挙人, 除籍, 支援措置 marked), takes in a
附票記載事項通知 file (a bad one named line by line, nothing written) and downloads the outgoing
ones as a ZIP; the 附票の写し is issued with each refusal at its input; other roles refused."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import AIZU
from tests.koseki_annex.conftest import HONSEKI, code, notice_file, notice_line
from tests.registry.ui.test_screens import staff_client
from yakuba.certificates.models import Certificate
from yakuba.certificates.services import seal, settings
from yakuba.koseki_annex.models import Entry
from yakuba.koseki_annex.services import follow, note_overseas_elector
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)
ANNEX = f"/koseki_annex/annex/?honseki={HONSEKI}&hittosha=会津 太郎"


@pytest.fixture
def kosekigakari(registry, family, newcomer, system_actor):
    """会津's 附票 (from the registry; 花子 registered as a 在外選挙人), the 千代田 notice queued,
    the certificate settings in place; the 戸籍係 signed in."""
    with tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    follow(AIZU)
    with tenant_context(AIZU):
        note_overseas_elector(family["会津 花子"][1], "registered", date(2026, 1, 5), "会津若松市")
    return staff_client("kosekigakari", ["koseki"])


def test_search_and_read_an_annex(kosekigakari, family, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):  # a page of 附票: a fixed number of statements
        found = kosekigakari.get("/koseki_annex/", {"name": "会津花子"})
    page = found.content.decode()
    assert found.status_code == 200 and HONSEKI in page and "現在" in page
    assert (
        "該当する附票はありません"
        in kosekigakari.get("/koseki_annex/", {"hittosha": "山田"}).content.decode()
    )
    with django_assert_max_num_queries(30):
        shown = kosekigakari.get(ANNEX)
    text = shown.content.decode()
    assert shown.status_code == 200
    for expected in ("戸籍の附票", "会津 太郎", "会津 花子", "福島県会津若松市東栄町3番46号", family["会津 太郎"][1],
                     "在外選挙人名簿: 在外選挙人名簿に登録", "附票の写しを交付する", "住民記録（管内）"):  # fmt: skip
        assert expected in text, expected
    missing = kosekigakari.get("/koseki_annex/annex/?honseki=どこか&hittosha=だれか")
    assert missing.status_code == 404 and "の附票はありません" in missing.content.decode()


def test_a_notice_file_in_is_taken_whole_or_named_line_by_line_and_the_out_files_are_a_zip(kosekigakari):
    bad = SimpleUploadedFile("bad.csv", notice_file(notice_line(**{"性別": "x"})), content_type="text/csv")
    refused = kosekigakari.post("/koseki_annex/notices/", {"file": bad})
    assert (
        refused.status_code == 422
        and "2行目 性別: 1（男）か 2（女）にしてください" in refused.content.decode()
    )
    good = SimpleUploadedFile(
        "good.csv", notice_file(notice_line(**{"住民票コード": code(9)})), content_type="text/csv"
    )
    taken = kosekigakari.post("/koseki_annex/notices/", {"file": good})
    assert taken.status_code == 200 and "通知 1 件、附票に記載 1 件" in taken.content.decode()
    assert '<span id="unsent">1</span>件' in kosekigakari.get("/koseki_annex/notices/").content.decode()
    assert "附票記載事項通知 未送信" in kosekigakari.get("/").content.decode()
    sent = kosekigakari.post("/koseki_annex/notices/out/")
    assert sent["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(sent.content)).namelist()
    assert len(names) == 1 and names[0].startswith(f"fuhyo-notice-{AIZU}-131016-")
    again = kosekigakari.post("/koseki_annex/notices/out/")
    assert "送信する通知はありません" in again.content.decode()
    with tenant_context(AIZU):
        assert Entry.objects.filter(juminhyo_code=code(9)).count() == 1


def test_the_copy_is_issued_or_refused_at_its_inputs(kosekigakari, family):
    form = kosekigakari.get("/koseki_annex/copy/", {"honseki": HONSEKI, "hittosha": "会津 太郎"})
    assert f'value="{HONSEKI}"' in form.content.decode()
    refused = kosekigakari.post(
        "/koseki_annex/copy/",
        {"honseki": HONSEKI, "hittosha": "会津 太郎", "requester_type": "third_party", "requester_name": "債権 太郎",
         "wide_area": "1"},
    )  # fmt: skip
    page = refused.content.decode()
    assert refused.status_code == 422
    assert 'href="#f-purpose"' in page and 'href="#f-wide_area"' in page
    issued = kosekigakari.post(
        "/koseki_annex/copy/",
        {"honseki": HONSEKI, "hittosha": "会津 太郎", "items": ["domicile"], "requester_type": "lineal",
         "requester_name": "会津 一"},
    )  # fmt: skip
    assert issued.status_code == 200 and "附票の写しを交付しました" in issued.content.decode()
    with tenant_context(AIZU):
        assert Certificate.objects.get().kind == "annex_copy"
    one = kosekigakari.get(ANNEX).content.decode()
    link = f"persons={family['会津 花子'][1]}"
    assert link in one  # each person's own copy (一部の写し) from the 附票's page
    some = kosekigakari.post(
        "/koseki_annex/copy/",
        {"honseki": HONSEKI, "hittosha": "会津 太郎", "persons": family["会津 花子"][1], "requester_type": "lineal",
         "requester_name": "会津 一"},
    )  # fmt: skip
    assert some.status_code == 200
    with tenant_context(AIZU):
        assert Certificate.objects.order_by("-issued_at").first().options["persons"] == [
            family["会津 花子"][1]
        ]


def test_a_person_living_elsewhere_asks_for_their_own_copy_by_juminhyo_code(kosekigakari, family):
    """本人 with no 宛名番号 here is known on the 附票 by their 住民票コード (services/copy.py)."""
    base = {"honseki": HONSEKI, "hittosha": "会津 太郎", "requester_type": "self"}
    wrong = kosekigakari.post("/koseki_annex/copy/", base | {"requester_juminhyo_code": "99999999999"})
    assert wrong.status_code == 422 and 'href="#f-requester_juminhyo_code"' in wrong.content.decode()
    own = kosekigakari.post("/koseki_annex/copy/", base | {"requester_juminhyo_code": family["会津 花子"][1]})
    assert own.status_code == 200 and "附票の写しを交付しました" in own.content.decode()


def test_other_roles_are_refused(registry, system_actor):
    tax = staff_client("zeimu", ["tax"])
    assert tax.get("/koseki_annex/").status_code == 403
    assert tax.get("/koseki_annex/copy/").status_code == 403
    counter = staff_client("madoguchi", ["counter"])
    assert counter.get("/koseki_annex/").status_code == 403
    assert counter.get("/koseki_annex/copy/").status_code == 200


@pytest.mark.django_db
def test_a_search_page_costs_the_same_statements_for_one_annex_as_for_many(aizu, system_actor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yakuba.koseki_annex.services import find_annexes, take_in

    def statements() -> tuple[int, int]:
        with tenant_context(AIZU), CaptureQueriesContext(connection) as queries:
            found = find_annexes(name="会津")
        return len(found.rows), len(queries)

    with tenant_context(AIZU):
        take_in(notice_file(notice_line()), file_name="one.csv")
    one = statements()
    lines = [
        notice_line(**{"本籍": f"福島県会津若松市栄町{n}番", "住民票コード": code(500 + n)})
        for n in range(1, 6)
    ]
    with tenant_context(AIZU):
        take_in(notice_file(*lines), file_name="many.csv")
    many = statements()
    assert (one[0], many[0]) == (1, 6) and one[1] == many[1]
