"""What every use case of the 印鑑登録 raises when the rules refuse: all the reasons at once, each
naming its field, in the clerk's words (a screen shows each at its field, the API answers 422)."""

from __future__ import annotations


class Refused(ValueError):
    """The application breaks rules: ``errors`` is every (field, message) at once."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(m for _f, m in errors))
        self.errors = errors
