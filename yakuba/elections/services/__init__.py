"""The 選挙人名簿's door: registration runs and the roll (docs/elections.md)."""

from yakuba.elections.services.register import RegisterRefused, register
from yakuba.elections.services.roll import Roll, RollEntry, roll, roll_text

__all__ = ["RegisterRefused", "Roll", "RollEntry", "register", "roll", "roll_text"]
