"""国民健康保険 endpoints. The 国民健康保険税/料 calculation is a pure function: any valid token may
call it, no municipality in the path, nothing stored (contract §4.8)."""

from ninja import Router

from yakuba.health_insurance.services import CalculationRejected, KokuhoIn, KokuhoOut, calculate_kokuho
from yakuba.platform.api.params import ERRORS
from yakuba.platform.api.problems import ApiProblem

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["health_insurance"])


@calculations.post(
    "insurance/kokuho/calculate",
    response={200: KokuhoOut, **ERRORS},
    summary="国民健康保険税（料）を計算する（1世帯・1年度、医療分・支援分・介護分・子ども分、軽減と計算過程つき）",
    openapi_extra={"x-business-rules": True},
)
def calculate_kokuho_endpoint(request, body: KokuhoIn):
    try:
        return calculate_kokuho(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
