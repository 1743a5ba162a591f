"""後期高齢者医療 endpoints. The premium calculation is a pure function: any valid token may call
it, no municipality in the path, nothing stored (contract §4.8)."""

from ninja import Router

from yakuba.late_elderly_medical.services import CalculationRejected, KoukiIn, KoukiOut, calculate_kouki
from yakuba.platform.api.params import ERRORS
from yakuba.platform.api.problems import ApiProblem

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["late_elderly_medical"])


@calculations.post(
    "insurance/kouki/calculate",
    response={200: KoukiOut, **ERRORS},
    summary="後期高齢者医療保険料を計算する（均等割・所得割・軽減・限度額、計算過程つき）",
    openapi_extra={"x-business-rules": True},
)
def calculate_kouki_endpoint(request, body: KoukiIn):
    try:
        return calculate_kouki(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
