"""介護保険 endpoints. The 保険料段階 calculation is a pure function: any valid token may call it,
no municipality in the path, nothing stored (contract §4.8). The 要介護認定 records of a
municipality (docs/long_term_care.md#nintei) are read with ``kaigo:read`` and added — an 申請 and
its 結果, never a rewrite — with ``kaigo:write``."""

from datetime import date
from typing import Annotated

from ninja import Query, Router
from pydantic import BaseModel, Field, StringConstraints

from yakuba.long_term_care.codes import CareLevel, CertificationKind
from yakuba.long_term_care.services import (
    CalculationRejected,
    KaigoIn,
    KaigoOut,
    Rejected,
    calculate_kaigo,
    certification,
)
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.platform.identity import scopes

READ = scopes.register("kaigo:read", "介護保険の要介護認定の記録の参照")
WRITE = scopes.register("kaigo:write", "介護保険の要介護認定（申請・結果）の登録")

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


# --- 要介護認定 records (scopes kaigo:read, kaigo:write) -----------------------------------------

router = Router(tags=["long_term_care"])
AtenaNo = Annotated[str, StringConstraints(pattern=r"^\d{1,15}$")]


class PersonQuery(BaseModel):
    atena_no: AtenaNo = Field(title="宛名番号")


class DecisionOut(BaseModel):
    level: CareLevel = Field(title="認定結果")
    decided_on: date = Field(title="認定日")
    valid_from: date | None = Field(title="有効期間の開始")
    valid_until: date | None = Field(title="有効期間の終了")


class CertificationOut(BaseModel):
    application_id: int = Field(title="申請の番号")
    atena_no: str
    kind: CertificationKind = Field(title="申請区分")
    applied_on: date = Field(title="申請日")
    decisions: list[DecisionOut] = Field(title="結果（古い順。最後が有効、前のものは訂正された結果）")


class CertificationIn(BaseModel):
    atena_no: AtenaNo = Field(title="宛名番号")
    applied_on: date = Field(title="申請日")
    kind: CertificationKind = Field(title="申請区分")
    level: CareLevel | None = Field(None, title="認定結果（結果を同時に記録するとき）")
    decided_on: date | None = Field(None, title="認定日")
    valid_from: date | None = Field(None, title="有効期間の開始")
    valid_until: date | None = Field(None, title="有効期間の終了")


def _out(line) -> CertificationOut:
    return CertificationOut(
        application_id=line.application_id,
        atena_no=line.atena_no,
        kind=line.kind,
        applied_on=line.applied_on,
        decisions=[
            DecisionOut(
                level=d.level, decided_on=d.decided_on, valid_from=d.valid_from, valid_until=d.valid_until
            )
            for d in line.decisions
        ],
    )


@router.get(
    "insurance/kaigo/certifications",
    response={200: list[CertificationOut], **ERRORS},
    summary="要介護認定の申請と結果（1人、新しい申請から）",
)
@tenant_endpoint(READ)
def list_certifications(request, lg_code: str = LG_CODE, query: Query[PersonQuery] = None):
    return [_out(line) for line in certification.certifications(query.atena_no)]


@router.post(
    "insurance/kaigo/certifications",
    response={201: CertificationOut, **ERRORS},
    summary="要介護認定の申請（と結果）を記録する",
    openapi_extra={"x-business-rules": True},
)
@tenant_endpoint(WRITE)
def post_certification(request, body: CertificationIn, lg_code: str = LG_CODE):
    try:
        line = certification.add_certification(
            body.atena_no,
            body.applied_on,
            body.kind,
            level=body.level,
            decided_on=body.decided_on,
            valid_from=body.valid_from,
            valid_until=body.valid_until,
        )
    except Rejected as exc:
        raise ApiProblem(422, "入力内容に誤りがあります", errors=exc.errors) from None
    return 201, _out(line)
