"""``yakuba overseas …`` end to end: a 国外転出 in the registry, ``follow`` raising its work item,
``apply-departure``, ``register``, ``book``, ``came-home`` and ``strike-off-due``; a broken rule
is one line with exit status 2."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import AIZU
from tests.overseas_electors.conftest import PLANNED, TODAY, in_town, move_abroad, resident, run_roll
from tests.registry.conftest import registry  # noqa: F401 (fixture)
from yakuba.cli import main
from yakuba.overseas_electors.rules.eligibility import struck_off_from
from yakuba.overseas_electors.services import queries

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_overseas_commands(registry, capsys, on_day, system_actor):  # noqa: F811
    voter = resident(registry, "在外 端末")
    run_roll()
    move_abroad(registry, voter)
    assert main(["overseas", "follow", AIZU, "--until-caught-up"]) == 0
    assert "出国時申請の案内 1 件" in capsys.readouterr().out
    early = (TODAY - timedelta(days=1)).isoformat()  # before the 転出届
    assert main(["overseas", "apply-departure", AIZU, "--atena-no", voter, "--date", early]) == 2
    assert "applied_on" in capsys.readouterr().err
    assert main(["overseas", "apply-departure", AIZU, "--atena-no", voter, "--date", TODAY.isoformat()]) == 0
    assert "申請ID" in capsys.readouterr().out
    [app] = [a.pk for a in in_town(queries.pending)]
    on_day(PLANNED)
    assert main(["overseas", "register", AIZU, "--application", str(app), "--date", PLANNED.isoformat(),
                 "--mission", "在英国日本国大使館"]) == 0  # fmt: skip
    assert "在外選挙人証番号 00000001" in capsys.readouterr().out
    assert main(["overseas", "book", AIZU, "--as-of", PLANNED.isoformat()]) == 0
    lines = capsys.readouterr().out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("在外選挙人証番号,宛名番号,氏名") and lines[1].startswith(
        f"00000001,{voter},在外 端末"
    )
    assert "在英国日本国大使館" in lines[1] and "最終住所地" in lines[1]
    assert main(["overseas", "came-home", AIZU, "--card-no", "00000001", "--date", PLANNED.isoformat()]) == 0
    first = struck_off_from(PLANNED)
    assert str(first) in capsys.readouterr().out
    assert main(["overseas", "strike-off-due", AIZU, "--date", first.isoformat()]) == 0
    assert "1 人を抹消" in capsys.readouterr().out
    assert main(["overseas", "strike-off", AIZU, "--card-no", "00000001", "--reason", "died",
                 "--date", first.isoformat()]) == 2  # fmt: skip
    assert "card_no" in capsys.readouterr().err
