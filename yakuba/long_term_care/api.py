"""介護保険 endpoints. The 保険料段階 calculation is a pure function: any valid token may call it,
no municipality in the path, nothing stored (contract §4.8)."""

from ninja import Router

from yakuba.long_term_care.services import CalculationRejected, KaigoIn, KaigoOut, calculate_kaigo
from yakuba.platform.api.params import ERRORS
from yakuba.platform.api.problems import ApiProblem

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["long_term_care"])


@calculations.post(
    "insurance/kaigo/calculate",
    response={200: KaigoOut, **ERRORS},
    summary="介護保険料（第1号被保険者）の段階・年額と利用者負担割合を計算する（計算過程つき）",
    openapi_extra={"x-business-rules": True},
)
def calculate_kaigo_endpoint(request, body: KaigoIn):
    try:
        return calculate_kaigo(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
