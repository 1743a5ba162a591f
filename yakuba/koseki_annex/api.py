"""The 附票 endpoint of contract §9.9: ``GET /api/v1/{lg}/koseki/registers/{koseki_id}/annex``.

The 戸籍 is read through its door (``yakuba.koseki.services.koseki_of``, its own audit row) for
its 本籍・筆頭者, which name the 附票; each person of the 附票 is given the 戸籍's ``person_id``
when a member has the same 氏名 (spaces ignored) and 生年月日. Scope ``koseki:read`` (the
contract's scope of 戸籍 and 附票); persons under 支援措置 only for a client that also holds
``registry:protected`` (else they are not in the answer, as the registry's reads do).
"""

from __future__ import annotations

from datetime import date

from ninja import Path, Router
from pydantic import BaseModel, Field

from yakuba.koseki import services as koseki
from yakuba.koseki_annex import services
from yakuba.koseki_annex.events import READ
from yakuba.platform.api.auth import tenant_endpoint
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


@router.get(
    "koseki/registers/{koseki_id}/annex",
    response={200: AnnexOut, **ERRORS},
    summary="戸籍の附票（住所の履歴）",
)
@tenant_endpoint(READ)
def get_annex(request, lg_code: str = LG_CODE, koseki_id: str = KOSEKI_ID):
    try:
        register = koseki.koseki_of(koseki_id)
    except koseki.NotFound:
        raise ApiProblem(404, f"戸籍ID {koseki_id} の戸籍は見つかりません") from None
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
