"""児童扶養手当 endpoints. The calculation is a pure function: any valid token may call it, no
municipality in the path, nothing stored (contract §4.8, §9.6)."""

from ninja import Router

from yakuba.child_support_allowance.services import (
    CalculationRejected,
    SupportAllowanceIn,
    SupportAllowanceOut,
    calculate_support_allowance,
)
from yakuba.platform.api.params import ERRORS
from yakuba.platform.api.problems import ApiProblem

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["child_support_allowance"])


@calculations.post(
    "child/support-allowance/calculate",
    response={200: SupportAllowanceOut, **ERRORS},
    summary="児童扶養手当の手当月額を所得・扶養親族等の数から計算する（計算の過程つき）",
    openapi_extra={"x-business-rules": True},
)
def calculate_endpoint(request, body: SupportAllowanceIn):
    try:
        return calculate_support_allowance(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
