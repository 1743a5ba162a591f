"""20歳到達 from the registry: the residents whose 資格取得日 — the day before the 20th birthday
(国民年金法 §8一, 年齢計算ニ関スル法律) — is the day asked, a 2月29日 birth on 2月28日; a person under 支援措置 listed without name and address; the read audited; the CLI's CSV."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.conftest import AIZU
from tests.registry.conftest import person, registry  # noqa: F401 (fixture)
from yakuba.cli import main
from yakuba.national_pension.services import entrants_csv, entrants_on
from yakuba.national_pension.services.entry import PROTECTED_NOTE, PURPOSE
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as door

pytestmark = pytest.mark.django_db


@pytest.fixture
def young(registry, system_actor):  # noqa: F811
    filed = registry.move_in(
        person("成人 一郎", "セイジン イチロウ", "2007-04-02", 1, "世帯主"),
        person("成人 次郎", "セイジン ジロウ", "2007-04-01", 1, "子"),  # 20 on 2027-03-31
        person("閏 花子", "ウルウ ハナコ", "2008-02-29", 2, "子"),  # 20 on 2028-02-28
    )
    # Filed today: the days asked are ahead (the list reads who is registered at the end of it).
    return [p["atena_no"] for p in filed["persons"]]


def _on(day):
    with tenant_context(AIZU):
        return [(e.atena_no, e.acquired_on) for e in entrants_on(day)]


def test_the_day_before_the_twentieth_birthday(young):
    ichiro, jiro, hanako = young
    assert _on(date(2027, 4, 1)) == [(ichiro, date(2027, 4, 1))]
    assert _on(date(2027, 3, 31)) == [(jiro, date(2027, 3, 31))]  # born on the 1st: the month before
    assert _on(date(2027, 4, 2)) == []
    # Born 2月29日: the 20th year ends on 2月28日 (twenty years on is a leap year again)
    assert _on(date(2028, 2, 28)) == [(hanako, date(2028, 2, 28))]
    assert _on(date(2028, 2, 29)) == []
    with tenant_context(AIZU):
        assert AuditEntry.objects.filter(resource="registry.inhabitants", purpose=PURPOSE).count() == 5


def test_a_protected_person_is_listed_without_name_or_address(young):
    ichiro = young[0]
    with tenant_context(AIZU):
        door.set_measure(ichiro, starts_on=timezone.localdate(), kind="dv")
        text = entrants_csv(entrants_on(date(2027, 4, 1))).decode("utf-8-sig")
    header, row = text.splitlines()
    assert header.startswith("宛名番号,氏名") and row.startswith(f"{ichiro},,,2007-04-02,2027-04-01,,")
    assert row.endswith(PROTECTED_NOTE) and "成人" not in text


def test_the_cli_writes_the_csv(young, tmp_path, capsys):
    out = tmp_path / "entrants.csv"
    assert main(["insurance", "nenkin", "entrants", AIZU, "--date", "2027-03-31", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600  # names and 生年月日 (platform/private_files)
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith(
        f"{young[1]},成人 次郎,セイジン\u3000ジロウ,2007-04-01,2027-03-31"
    )
    assert "1 人" in capsys.readouterr().err
