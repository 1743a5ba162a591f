"""The 附票 endpoint of contract §9.9: ``GET /api/v1/{lg}/koseki/registers/{koseki_id}/annex``.

The 戸籍 is read through its door (``yakuba.koseki.services.koseki_of``, its own audit row) for
its 本籍・筆頭者, which name the 附票; each person of the 附票 is given the 戸籍's ``person_id``
when a member has the same 氏名 (spaces ignored) and 生年月日. Scope ``koseki:read`` (the
contract's scope of 戸籍 and 附票); persons under 支援措置 only for a client that also holds
``registry:protected`` (else they are not in the answer, as the registry's reads do).
``POST …/annex/copies`` issues the 附票の写し (with ``certificates:issue`` too).

No ``from __future__ import annotations`` here: ninja reads the body and parameter types when
the module is imported.
"""

from datetime import date
from typing import Annotated, Literal

from ninja import Path, Router
from pydantic import BaseModel, Field, StringConstraints

from yakuba.certificates import services as certificates
from yakuba.certificates.interface.api import FamilyRequesterIn, IssueIn, printing
from yakuba.koseki import services as koseki
from yakuba.koseki_annex import services
from yakuba.koseki_annex.events import READ
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.documents import SIGNED_PDF, certificate_pdf, refused
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem

router = Router(tags=["koseki_annex"])
KOSEKI_ID = Path(..., max_length=10, description="戸籍ID")


class AnnexRowOut(BaseModel):
    address: str = Field(title="住所（国外転出者は空）")
    address_since: date = Field(title="住所を定めた年月日（国外転出者は転出予定年月日）")
    overseas: bool = Field(title="国外転出者であること")
    country: str = Field(title="転出先国名（国外転出者）")


class AnnexPersonOut(BaseModel):
    person_id: str | None = Field(title="戸籍の個人ID（戸籍の記載と照合できたとき）")
    name: str = Field(title="氏名")
    birth_date: date | None = Field(title="出生の年月日（2022-01-11より前に除かれた人は記載なし）")
    sex: int | None = Field(title="男女の別（1 男, 2 女）")
    left_on: date | None = Field(title="除籍の日（この附票から除かれた日）")
    rows: list[AnnexRowOut] = Field(title="住所の記載（古い順）")


class AnnexOut(BaseModel):
    koseki_id: str
    honseki: str = Field(title="本籍")
    hittosha: str = Field(title="筆頭者")
    closed: bool = Field(title="除附票（全員が除かれた）")
    entries: list[AnnexPersonOut]


def _plain(name: str) -> str:
    return "".join(name.split())


def _register(koseki_id: str):
    """The 戸籍 (its 本籍・筆頭者 name the 附票), read through its door; 404 when unknown."""
    try:
        return koseki.koseki_of(koseki_id)
    except koseki.NotFound:
        raise ApiProblem(404, f"戸籍ID {koseki_id} の戸籍は見つかりません") from None


@router.get(
    "koseki/registers/{koseki_id}/annex",
    response={200: AnnexOut, **ERRORS},
    summary="戸籍の附票（住所の履歴）",
)
@tenant_endpoint(READ)
def get_annex(request, lg_code: str = LG_CODE, koseki_id: str = KOSEKI_ID):
    register = _register(koseki_id)
    try:
        annex = services.annex_of(
            register.honseki,
            register.hittosha,
            protected=request.auth.has_scope("registry:protected"),
            purpose="戸籍の附票の照会（API）",
        )
    except services.NotOnAnnex:  # no 住所 recorded for this 戸籍 yet
        persons, closed = (), False
    else:
        persons, closed = annex.persons, annex.closed
    members = {(_plain(m.name), m.birth_date): m.person_id for m in register.members}
    return AnnexOut(
        koseki_id=koseki_id,
        honseki=register.honseki,
        hittosha=register.hittosha,
        closed=closed,
        entries=[
            AnnexPersonOut(
                person_id=members.get((_plain(p.name), p.birth_date)),
                name=p.name,
                birth_date=p.birth_date,
                sex=p.sex,
                left_on=p.left_on,
                rows=[
                    AnnexRowOut(
                        address=r.address,
                        address_since=r.address_set_on,
                        overseas=r.overseas,
                        country=r.country,
                    )
                    for r in p.rows
                ],
            )
            for p in persons
        ],
    )


# --- the 附票の写し (住民基本台帳法 第20条; docs/koseki_annex.md) --------------------------------


class CopyRequesterIn(FamilyRequesterIn):
    """Who asked (住民基本台帳法 第20条): a person on the 附票 asks as 本人 by the 宛名番号 they
    have here or, living in another town, by their 住民票コード on the 附票."""

    juminhyo_code: Annotated[str, StringConstraints(pattern=r"^(\d{11})?$")] = Field(
        "", title="請求者（本人）の住民票コード（附票に記録されている者。他の市区町村の住民）"
    )


class CopyIn(IssueIn):
    items: list[Literal["domicile", "overseas_elector", "juminhyo_code"]] = Field(
        default_factory=list,
        max_length=3,
        title="請求により記載する事項（本籍・筆頭者、在外選挙人、住民票コード）",
    )
    persons: list[Annotated[str, StringConstraints(pattern=r"^\d{11}$")]] = Field(
        default_factory=list, max_length=50, title="記載する者の住民票コード（一部の写し。省略時は全員）"
    )
    requester: CopyRequesterIn = Field(title="請求者")
    mandate: bool = Field(False, title="代理人の委任状を確認した")
    wide_area: bool = Field(False, title="本籍地以外の窓口での請求（広域交付: 附票は対象外）")


@router.post(
    "koseki/registers/{koseki_id}/annex/copies",
    response={200: None, **ERRORS},
    summary="戸籍の附票の写しを発行する（署名付き PDF、ヘッダ X-Certificate-Number に証明書番号）",
    openapi_extra=SIGNED_PDF,
)
@tenant_endpoint(READ)
def post_copy(request, payload: CopyIn, koseki_id: str = KOSEKI_ID, lg_code: str = LG_CODE):
    """One copy as one transaction: every refusal at its field (422), the 交付履歴 and print audit
    rows; an unknown 戸籍 404. Printing takes ``certificates:issue`` too (``printing``)."""
    visibility = printing(request.auth)
    register = _register(koseki_id)
    asked = payload.requester
    try:
        issued = services.issue_copy(
            services.CopyRequest(
                register.honseki,
                register.hittosha,
                tuple(payload.items),
                mandate=payload.mandate,
                wide_area=payload.wide_area,
                persons=tuple(payload.persons),
            ),
            requester=asked.info(person_id=asked.juminhyo_code),
            visibility=visibility,
            fee_exempt_reason=payload.fee_exempt_reason,
        )
    except certificates.RuleViolation as exc:
        raise refused(exc.errors) from None
    return certificate_pdf(issued.pdf, issued.number)
