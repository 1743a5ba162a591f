"""Which assessments changed: what another app that keeps figures derived from them (the 国保 更正)
asks, to recalculate only what moved."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from yakuba.tax.models import Assessment


def assessments_changed_since(fiscal_year: int, since: datetime) -> dict[str, datetime]:
    """{宛名番号: when its latest version was made} of the persons whose assessment of
    ``fiscal_year`` got a version (a 更正, a 取消し, a recalculation) after ``since`` — one query."""
    rows = (
        Assessment.objects.filter(fiscal_year=fiscal_year, created_at__gt=since)
        .values("atena_no")
        .annotate(last=Max("created_at"))
        .values_list("atena_no", "last")
    )
    return dict(rows)
