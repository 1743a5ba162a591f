"""The 選挙人名簿's door: registration runs and the roll (docs/elections.md)."""

from yakuba.elections.services.register import RegisterRefused, announce, register
from yakuba.elections.services.roll import Roll, RollEntry, entry_of, roll, roll_text

__all__ = ["RegisterRefused", "Roll", "RollEntry", "announce", "entry_of", "register", "roll", "roll_text"]
