"""選挙人名簿 fixtures: persons filed through the registry's API on chosen days."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from tests.registry.conftest import ADDRESS, move_body, move_in_body, person, registry  # noqa: F401 (fixture)

TODAY = timezone.localdate()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def born_for_birthday(birthday18: date) -> str:
    """The 生年月日 whose 18th birthday is ``birthday18`` (never a 2月29日 in these tests)."""
    return birthday18.replace(year=birthday18.year - 18).isoformat()


def file_move_in(registry, name: str, birth: str, *, moved: date, notified: date, address=ADDRESS) -> str:  # noqa: F811
    """A 転入 of one person (their own 世帯, at ``address``) with its 異動日 and 届出年月日; the 宛名番号."""
    kana = "センキョ " + "ア" * (len(name) % 5 + 1)
    body = move_in_body(
        person(name, kana, birth, 1, "世帯主"),
        address=address,
        move_date=moved.isoformat(),
        notified_date=notified.isoformat(),
    )
    return registry.move(body)["persons"][0]["atena_no"]


def file_move_out(registry, atena_no: str, on: date, *, token: str | None = None) -> None:  # noqa: F811
    """A 転出 (to 千代田区); ``token`` one that may see a person under 支援措置."""
    response = registry.post(
        move_body(
            "move_out",
            [{"atena_no": atena_no}],
            move_date=on.isoformat(),
            destination="domestic",
            destination_address="東京都千代田区千代田1番1号",
            notified_date=on.isoformat(),
        ),
        token=token,
    )
    assert response.status_code == 201, response.content.decode()


def file_death(registry, atena_no: str, on: date) -> None:  # noqa: F811
    registry.move(move_body("death", [{"atena_no": atena_no}], move_date=on.isoformat()))
