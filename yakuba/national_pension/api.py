"""国民年金 endpoints. The 免除・納付猶予 judgement is a pure function: any valid token may call
it, no municipality in the path, nothing stored (contract §4.8)."""

from ninja import Router

from yakuba.national_pension.services import CalculationRejected, ExemptionIn, ExemptionOut, judge_exemption
from yakuba.platform.api.params import ERRORS
from yakuba.platform.api.problems import ApiProblem

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["national_pension"])


@calculations.post(
    "insurance/nenkin/exemption",
    response={200: ExemptionOut, **ERRORS},
    summary="国民年金保険料の免除・納付猶予・学生納付特例を所得で判定する（判定の過程つき）",
    openapi_extra={"x-business-rules": True},
)
def judge_exemption_endpoint(request, body: ExemptionIn):
    try:
        return judge_exemption(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
