"""印鑑登録 endpoints (docs/seal_registration.md, "API"; contract.md "印鑑登録"): a person's
registrations, a registration (same day or the 照会書), the 回答書, the 廃止届, the 亡失届, the
印鑑登録証明書 (the signed PDF), the 法務局's 登記事項通知 and the 印鑑条例 settings in force.

Reading takes ``seal_registration:read``, every write ``seal_registration:write``. A person under
支援措置 is found only by a client that also holds ``registry:protected`` (else 404, as the
registry answers). The 印鑑登録証 number is a secret of its holder, so it travels in the body,
never in a URL (access logs keep URLs). Every refusal is a 422 naming the body's field with the
clerk's message (``rules/``), all of them at once.

No ``from __future__ import annotations`` here: ninja reads the body and parameter types when
the module is imported.
"""

import base64
import binascii
import dataclasses
import functools
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Path, Query, Router
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yakuba.certificates import services as certificates
from yakuba.platform.api.auth import tenant_endpoint
from yakuba.platform.api.documents import SIGNED_PDF, certificate_pdf, refused
from yakuba.platform.api.params import ERRORS, LG_CODE
from yakuba.platform.api.problems import ApiProblem
from yakuba.registry import services as registry
from yakuba.seal_registration.access import READ, WRITE
from yakuba.seal_registration.codes import Applicant, GuardianshipKind, Identity
from yakuba.seal_registration.services import certificate, guardianship, ordinance, registrations
from yakuba.seal_registration.services.registrations import Application, Refused

router = Router(tags=["seal_registration"])
AtenaNo = Annotated[str, StringConstraints(pattern=r"^\d{1,15}$")]
Number = Annotated[str, StringConstraints(pattern=r"^\d{8}$")]
PROTECTED = "registry:protected"
INVALID = "入力内容に誤りがあります"
NOT_FOUND = "宛名番号 {atena_no} の方は見つかりません"
BAD_BASE64 = "印影の画像は Base64 で符号化して送ってください"
BUSINESS_RULES = {"x-business-rules": True}
INQUIRY_NO = Path(..., pattern=r"^\d{8}$", description="照会番号（8桁）")
REGISTRATION_NO = Path(..., pattern=r"^\d{8}$", description="印鑑登録番号（8桁）")

# The rules name what they check; the API names the body's field that carries it.
_BODY_FIELD = {
    "text": "seal_text",
    "size": "width_mm",
    "seal": "image",
    "birth_date": "atena_no",
    "guarantor": "guarantor_registration_no",
}


def _visibility(request) -> registry.Visibility:
    return registry.Visibility(protected=request.auth.has_scope(PROTECTED))


def _write(path: str, response: dict, summary: str, openapi_extra: dict = BUSINESS_RULES):
    """A write endpoint: POST with ``seal_registration:write``, whose ``Refused`` is the 422
    naming each body field."""

    def decorate(func):
        @functools.wraps(func)
        def endpoint(request, *args, **kwargs):
            try:
                return func(request, *args, **kwargs)
            except Refused as exc:
                errors = [{"field": _BODY_FIELD.get(f, f), "message": m} for f, m in exc.errors]
                raise ApiProblem(422, INVALID, errors=errors) from None

        post = router.post(
            path, response={**response, **ERRORS}, summary=summary, openapi_extra=openapi_extra
        )
        return post(tenant_endpoint(WRITE)(endpoint))

    return decorate


class RegistrationOut(BaseModel):
    registration_no: str = Field(title="印鑑登録番号")
    atena_no: str = Field(title="宛名番号")
    seal_text: str = Field(title="印影の文字")
    width_mm: Decimal = Field(title="印影の幅（mm）")
    height_mm: Decimal = Field(title="印影の高さ（mm）")
    image_sha256: str = Field(title="印影の画像の SHA-256")
    registered_on: date = Field(title="登録日")
    status: Literal["registered", "abolished", "struck"] = Field(title="状態（登録、廃止、抹消）")
    ended_on: date | None = Field(title="廃止・抹消の日")
    end_reason: str = Field(
        title="廃止・抹消の事由（moved-out, died, removed, name-changed, abolition, lost, guardianship）"
    )


def _out(view: registrations.RegistrationView) -> RegistrationOut:
    """A registration without its card number (the card is its holder's) or its image."""
    return RegistrationOut(
        registration_no=view.registration_no,
        atena_no=view.atena_no,
        seal_text=view.seal_text,
        width_mm=view.width_mm,
        height_mm=view.height_mm,
        image_sha256=view.image_sha256,
        registered_on=view.registered_on,
        status=view.status.value,
        ended_on=view.ended_on,
        end_reason=view.end_reason,
    )


class PersonQuery(BaseModel):
    atena_no: AtenaNo = Field(title="宛名番号")


@router.get(
    "seal-registration/registrations",
    response={200: list[RegistrationOut], **ERRORS},
    summary="ある人の印鑑登録（廃止・抹消されたものを含む、新しい登録から。印影の画像と登録証の番号は含まない）",
)
@tenant_endpoint(READ)
def list_registrations(request, lg_code: str = LG_CODE, query: Query[PersonQuery] = None):
    try:
        registry.get_resident(query.atena_no, visibility=_visibility(request))
    except registry.NotFound:
        raise ApiProblem(404, NOT_FOUND.format(atena_no=query.atena_no)) from None
    return [_out(v) for v in registrations.registrations_of(query.atena_no)]


class ApplicationIn(BaseModel):
    """A 印鑑登録申請 (civil-facts §2.1–§2.3)."""

    model_config = ConfigDict(extra="forbid")
    atena_no: AtenaNo = Field(title="登録する人の宛名番号")
    seal_text: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        title="印影の文字（読み取ったとおり）"
    )
    width_mm: Decimal = Field(title="印影の幅（mm）", gt=0, lt=100, decimal_places=1)
    height_mm: Decimal = Field(title="印影の高さ（mm）", gt=0, lt=100, decimal_places=1)
    image: Annotated[str, StringConstraints(min_length=1, max_length=1_400_000)] = Field(
        title="印影の画像（PNG 又は JPEG、1MB 以下）を Base64 で"
    )
    deformable: bool = Field(False, title="ゴム印その他の変形しやすい印鑑")
    applicant: Literal["self", "agent"] = Field("self", title="申請者（self: 本人、agent: 代理人）")
    identity: Literal["photo-id", "guarantor", "none"] = Field(
        "photo-id", title="本人確認（photo-id: 顔写真付きの証明書、guarantor: 保証書、none: なし）"
    )
    power_of_attorney: bool = Field(False, title="委任状（代理人のとき）")
    guarantor_registration_no: Annotated[str, StringConstraints(pattern=r"^(\d{8})?$")] = Field(
        "", title="保証人の印鑑登録番号"
    )
    adult_ward: bool = Field(False, title="成年被後見人")
    guardian_present: bool = Field(False, title="法定代理人の同行")


class Outcome(BaseModel):
    """Registered the same day (``registration``, with the 印鑑登録証 number) or the 照会書 sent."""

    procedure: Literal["same-day", "inquiry"] = Field(title="登録の方法（same-day: 即日、inquiry: 照会書）")
    registration_no: str | None = Field(title="印鑑登録番号（登録したとき）")
    card_no: str | None = Field(title="印鑑登録証の番号（登録したとき）")
    registered_on: date | None = Field(title="登録日")
    inquiry_no: str | None = Field(title="照会番号（照会書を送るとき）")
    mail_to: str | None = Field(title="照会書の送付先（住民記録の住所）")
    deadline: date | None = Field(title="回答書の期限")


def _registered(done: registrations.Registered) -> Outcome:
    return Outcome(
        procedure=done.procedure.value,
        registration_no=done.registration_no,
        card_no=done.card_no,
        registered_on=done.registered_on,
        inquiry_no=None,
        mail_to=None,
        deadline=None,
    )


def _image(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ApiProblem(422, INVALID, errors=[{"field": "image", "message": BAD_BASE64}]) from None


@_write(
    "seal-registration/registrations",
    {201: Outcome},
    "印鑑登録申請: 即日登録（本人・顔写真付きの証明書又は保証書）又は照会書の発送",
)
def post_registration(request, body: ApplicationIn, lg_code: str = LG_CODE):
    application = Application(
        atena_no=body.atena_no,
        seal_text=body.seal_text,
        width_mm=body.width_mm,
        height_mm=body.height_mm,
        image=_image(body.image),
        deformable=body.deformable,
        applicant=Applicant(body.applicant),
        identity=Identity(body.identity),
        power_of_attorney=body.power_of_attorney,
        guarantor_registration_no=body.guarantor_registration_no,
        adult_ward=body.adult_ward,
        guardian_present=body.guardian_present,
    )
    done = registrations.apply_registration(application, visibility=_visibility(request))
    if isinstance(done, registrations.Registered):
        return 201, _registered(done)
    return 201, Outcome(
        procedure="inquiry",
        registration_no=None,
        card_no=None,
        registered_on=None,
        inquiry_no=done.inquiry_no,
        mail_to=done.address,
        deadline=done.deadline,
    )


@_write(
    "seal-registration/inquiries/{inquiry_no}/answer",
    {201: Outcome},
    "回答書の受付: 期限内で要件を満たせば登録する",
)
def post_answer(request, inquiry_no: str = INQUIRY_NO, lg_code: str = LG_CODE):
    return 201, _registered(registrations.answer_inquiry(inquiry_no, visibility=_visibility(request)))


@_write(
    "seal-registration/registrations/{registration_no}/abolish",
    {200: RegistrationOut},
    "印鑑登録廃止申請: 今日で廃止する",
)
def post_abolish(request, registration_no: str = REGISTRATION_NO, lg_code: str = LG_CODE):
    return _out(registrations.abolish(registration_no))


class CardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    card_no: Number = Field(title="印鑑登録証の番号")


@_write("seal-registration/lost-cards", {200: RegistrationOut}, "印鑑登録証亡失届: その登録を今日で廃止する")
def post_lost(request, body: CardIn, lg_code: str = LG_CODE):
    return _out(registrations.report_lost(body.card_no))


class RequesterIn(BaseModel):
    """Who presents the card: the registrant or a 代理人 holding it (civil-facts §2.4)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["self", "agent"] = Field(title="請求者（self: 本人、agent: 代理人）")
    atena_no: Annotated[str, StringConstraints(pattern=r"^(\d{1,15})?$")] = Field(
        "", title="請求者の宛名番号（本人のとき）"
    )
    name: Annotated[str, StringConstraints(max_length=100)] = Field("", title="代理人の氏名")


class CertificateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    card_no: Annotated[str, StringConstraints(pattern=r"^(\d{8})?$")] = Field(
        "", title="印鑑登録証の番号（マイナンバーカードによる請求では空）"
    )
    my_number_card: bool = Field(
        False, title="本人がマイナンバーカードを印鑑登録証として提示した（条例で認める市町村のみ）"
    )
    requester: RequesterIn = Field(title="請求者")
    fee_exempt_reason: Annotated[str, StringConstraints(max_length=100)] = Field("", title="手数料免除の理由")


@_write(
    "seal-registration/certificates",
    {200: None},
    "印鑑登録証明書を発行する（署名付き PDF、ヘッダ X-Certificate-Number に証明書番号）",
    SIGNED_PDF,
)
def post_certificate(request, body: CertificateIn, lg_code: str = LG_CODE):
    requester = certificates.RequesterInfo(
        type=body.requester.type, atena_no=body.requester.atena_no, name=body.requester.name
    )
    try:
        issued = certificate.issue(
            body.card_no,
            requester=requester,
            visibility=_visibility(request),
            fee_exempt_reason=body.fee_exempt_reason,
            my_number_card=body.my_number_card,
        )
    except certificates.NotFound:
        raise ApiProblem(404, "この URL にはリソースがありません") from None
    except certificates.RuleViolation as exc:
        raise refused(exc.errors) from None
    return certificate_pdf(issued.pdf, issued.number)


class GuardianshipIn(BaseModel):
    """The 法務局's 登記事項通知 of 成年後見 (civil-facts §2.1)."""

    model_config = ConfigDict(extra="forbid")
    atena_no: AtenaNo = Field(title="宛名番号")
    kind: Literal["started", "ended"] = Field(title="通知の種類（started: 後見開始、ended: 後見終了）")
    registered_on: date = Field(title="登記日")
    received_on: date | None = Field(None, title="受付日（省略時は今日）")


class GuardianshipOut(BaseModel):
    atena_no: str
    kind: Literal["started", "ended"]
    registered_on: date
    received_on: date
    struck_registration_no: str = Field(title="抹消した印鑑登録番号（抹消しなかったときは空）")


@_write(
    "seal-registration/guardianship-notices",
    {201: GuardianshipOut},
    "登記事項通知（成年後見）の受付: 後見開始なら条例のとおり印鑑登録を抹消する",
)
def post_guardianship(request, body: GuardianshipIn, lg_code: str = LG_CODE):
    received = guardianship.receive(
        body.atena_no,
        GuardianshipKind(body.kind),
        body.registered_on,
        received_on=body.received_on,
        visibility=_visibility(request),
    )
    return 201, GuardianshipOut(
        atena_no=received.atena_no,
        kind=received.kind.value,
        registered_on=received.registered_on,
        received_on=received.received_on,
        struck_registration_no=received.struck_registration_no,
    )


class OrdinanceQuery(BaseModel):
    on: date | None = Field(None, title="この日の設定（省略時は今日）")


class OrdinanceOut(BaseModel):
    """The 印鑑条例 settings in force (civil-facts §2: every number is the 条例's)."""

    effective_from: date | None = Field(title="適用開始日（既定値のときは null）")
    min_age: int = Field(title="登録できる年齢")
    adult_ward_with_guardian: bool = Field(title="成年被後見人が法定代理人の同行で登録できる")
    strike_on_guardianship: bool = Field(title="登記事項通知（後見開始）で登録を抹消する")
    min_mm: Decimal = Field(title="この一辺（mm）の正方形に収まる印影は登録できない")
    min_mm_allowed: bool = Field(title="ちょうど下限の大きさの印影を認める（「8mm以上」）")
    max_mm: Decimal = Field(title="この一辺（mm）の正方形に収まらない印影は登録できない")
    alike_mm: Decimal = Field(title="世帯員の印鑑と文字が同じでこの差（mm）以内なら類似")
    reply_days: int = Field(title="回答書の期限（照会書の発送日から、日）")
    guarantor_allowed: bool = Field(title="保証書による即日登録")
    kana_allowed: bool = Field(title="氏名をかなで表した印影を認める")
    my_number_card_as_card: bool = Field(title="マイナンバーカードを印鑑登録証とする")


@router.get(
    "seal-registration/ordinance",
    response={200: OrdinanceOut, **ERRORS},
    summary="印鑑条例の設定（指定日に適用されているもの）",
)
@tenant_endpoint(READ)
def get_ordinance(request, lg_code: str = LG_CODE, query: Query[OrdinanceQuery] = None):
    setting = ordinance.setting_on(query.on or timezone.localdate())
    return OrdinanceOut(effective_from=setting.effective_from, **dataclasses.asdict(setting.ordinance))
