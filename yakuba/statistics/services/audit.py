"""Every report is one audit row: an export of the resource, with the 基準日 or period, the format
and what was counted in its detail (docs/statistics.md)."""

from __future__ import annotations

from yakuba.platform.audit.log import Action, record


def report_made(resource: str, purpose: str, output: str, **detail) -> None:
    """Record a report of ``resource`` made in ``output`` (json, csv, xlsx, png, svg …)."""
    record(Action.EXPORT, resource, purpose=purpose, detail={"format": output, **detail})
