"""Errors a registry change answers with: every broken rule at once, or a conflict."""

from __future__ import annotations


class RuleViolation(Exception):
    """One or more rules broken; ``errors`` is a list of (field, message) for the clerk."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


class Conflict(Exception):
    """Another clerk changed or is changing the same household or person (HTTP 409)."""


class NotFound(LookupError):
    """No such person or household in this municipality (or hidden by 支援措置)."""


class Collector:
    """Collects broken rules so that the clerk sees all of them at once."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append((field, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise RuleViolation(self.errors)
