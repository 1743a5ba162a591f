"""児童手当 endpoint. The calculation is a pure function: any valid token may call it, no
municipality in the path, nothing stored (contract §4.8, §9.5)."""

from ninja import Router

from yakuba.child_allowance.services import (
    AllowanceIn,
    AllowanceOut,
    CalculationRejected,
    calculate_allowance,
)
from yakuba.platform.api.params import ERRORS
from yakuba.platform.api.problems import ApiProblem

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["child_allowance"])


@calculations.post(
    "child/allowance/calculate",
    response={200: AllowanceOut, **ERRORS},
    summary="児童手当の月額を子ごとに計算する（第何子・支給対象・計算の過程つき）",
    openapi_extra={"x-business-rules": True},
)
def calculate_allowance_endpoint(request, body: AllowanceIn):
    try:
        return calculate_allowance(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
