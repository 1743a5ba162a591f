"""Tax endpoints (docs/tax.md, "API"). The 個人住民税 calculation is a pure function: any valid
token may call it, no municipality in the path, nothing stored (contract §4.8)."""

from ninja import Router

from yakuba.platform.api.params import ERRORS
from yakuba.platform.api.problems import ApiProblem
from yakuba.tax.services import CalculationRejected, ResidentTaxIn, ResidentTaxOut, calculate_resident_tax

# Mounted at /api/v1/ (no tenant): yakuba/api.py mounts each domain's ``calculations`` router there.
calculations = Router(tags=["tax"])


@calculations.post(
    "tax/resident-tax/calculate",
    response={200: ResidentTaxOut, **ERRORS},
    summary="個人住民税を計算する（所得・控除・税額控除から年税額まで、計算過程つき）",
    openapi_extra={"x-business-rules": True},
)
def calculate_resident_tax_endpoint(request, body: ResidentTaxIn):
    try:
        return calculate_resident_tax(body)
    except CalculationRejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
