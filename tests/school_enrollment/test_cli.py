"""The 学齢簿 commands: ``import school-districts`` (every bad line named, exit 1, nothing
loaded), ``school generate`` (once per year), ``school schedule`` (statutory dates) and
``school follow``."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.school_enrollment.conftest import DISTRICTS
from yakuba.cli import main
from yakuba.platform.tenancy.context import tenant_context
from yakuba.school_enrollment.models import District, RollEntry, Schedule

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_district_import_names_every_bad_line(aizu, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(DISTRICTS + "栄町,3,,E01,東栄小学校,J02,第二中学校\r\n", encoding="utf-8")
    assert main(["import", "school-districts", AIZU, str(bad)]) == 1
    assert f"{bad}: 5行目 番地から: 栄町 の番地が 4行目の範囲と重なっています" in capsys.readouterr().err
    with tenant_context(AIZU):
        assert not District.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text(DISTRICTS, encoding="utf-8")
    assert main(["import", "school-districts", AIZU, str(good)]) == 0
    assert "通学区域 3 行、学校 4 校" in capsys.readouterr().out


def test_generate_schedule_and_follow(family, capsys):
    assert main(["school", "generate", AIZU, "--entry-year", "2027", "--as-of", "2026-10-01"]) == 0
    assert "2027年入学の学齢簿を編製しました（基準日 2026-10-01）" in capsys.readouterr().out
    assert main(["school", "generate", AIZU, "--entry-year", "2027"]) == 2
    assert "編製済み" in capsys.readouterr().err
    assert main(["school", "schedule", AIZU, "--entry-year", "2027", "--health-check", "2026-12-01",
                 "--notice", "2027-02-01"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "--health-check: 就学時健康診断は 2026年10月1日から2026年11月30日までの日にしてください" in err
    assert "--notice: 就学通知は就学時健康診断の日から2027年1月31日までに発送してください" in err
    assert main(["school", "schedule", AIZU, "--entry-year", "2027", "--health-check", "2026-11-01",
                 "--notice", "2027-01-20"]) == 0  # fmt: skip
    assert main(["school", "follow", AIZU]) == 0
    with tenant_context(AIZU):
        assert Schedule.objects.get().notice_on.isoformat() == "2027-01-20"
        assert RollEntry.objects.filter(added_reason="moved-in").count() == 4
