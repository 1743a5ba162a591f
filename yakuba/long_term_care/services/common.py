"""What the 介護保険 clerk services share: the refusal with every broken rule at once, each
naming its field in Japanese (the CLI prints them and exits 2, the API answers 422)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yakuba.platform.calculations import CalculationRejected


class Rejected(CalculationRejected):
    """A clerk's input that cannot be recorded: ``errors`` as ``[{"field", "message"}]``."""

    @classmethod
    def of(cls, pairs: list[tuple[str, str]]) -> Rejected:
        return cls([{"field": f, "message": m} for f, m in pairs])


def refuse_if(pairs: list[tuple[str, str]]) -> None:
    if pairs:
        raise Rejected.of(pairs)


def not_future(field: str, day: date, label: str) -> list[tuple[str, str]]:
    """A date of something that has happened: never after today."""
    return [(field, f"{label}に未来の日付は入力できません")] if day > timezone.localdate() else []
