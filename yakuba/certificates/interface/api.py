"""Who asked, as the certificate endpoints take it, and the scope that prints.

No ``from __future__ import annotations`` here: ninja reads these models' types when the
endpoints that use them are imported.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.certificates.access import ISSUE
from yakuba.certificates.services import RequesterInfo
from yakuba.platform.api.problems import ApiProblem
from yakuba.registry.services import Visibility

ATENA_NO = Annotated[str, StringConstraints(pattern=r"^(\d{2,15})?$")]


class IssueIn(BaseModel):
    """What every certificate request carries besides its own fields: no unknown field, and the
    fee's exemption (手数料条例: 公用 is free by itself)."""

    model_config = ConfigDict(extra="forbid")
    fee_exempt_reason: Annotated[str, StringConstraints(max_length=100)] = Field("", title="手数料免除の理由")


class RequesterIn(BaseModel):
    """Who asked for a 住民票 certificate (住民基本台帳法 第12条〜第12条の3)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["self", "household", "agent", "third_party", "official"] = Field(title="請求者の区分")
    atena_no: ATENA_NO = Field("", title="請求者の宛名番号")
    name: Annotated[str, StringConstraints(max_length=100)] = Field("", title="請求者の氏名・機関名")
    override_reason: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", title="支援措置の対象者を記載する理由（registry:protected スコープのみ）"
    )

    def info(self, **more) -> RequesterInfo:
        """The machinery's ``RequesterInfo``: these fields, and what the app adds (``more``: the
        request's 請求事由, the requester's id in the app's own records)."""
        fields = ("type", "atena_no", "name", "purpose", "override_reason")
        given = {f: getattr(self, f) for f in fields if f in type(self).model_fields}
        return RequesterInfo(**(given | more))


class FamilyRequesterIn(RequesterIn):
    """Who asked for a 戸籍 or its 附票 (戸籍法 第10条〜第10条の3; 住民基本台帳法 第20条): the
    relation is read from the app's own records, not from these fields."""

    type: Literal["self", "spouse", "lineal", "agent", "third_party", "official", "professional"] = Field(
        title="請求者の区分（本人・配偶者・直系・代理人・第三者・公用・職務上請求）"
    )
    purpose: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", title="請求事由（第三者・公用・職務上請求）"
    )


def printing(client) -> Visibility:
    """An app's print endpoint checks the issuing scope besides its own read scope (a client
    that reads 戸籍 does not print them by that alone), and shows protected persons only to a
    client holding ``registry:protected``."""
    if not client.has_scope(ISSUE):
        raise ApiProblem(403, f"スコープ {ISSUE} が必要です")
    return Visibility(protected=client.has_scope("registry:protected"))
