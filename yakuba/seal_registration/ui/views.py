"""印鑑登録 counter screens (docs/seal_registration.md, "Screens"): a resident by 宛名番号 with their
registrations, the 登録申請 (same day or the 照会書), a registration's page with its history and
the 印影, the 廃止届 and the 亡失届, and the 照会書 waiting for their 回答書.

Role: 窓口 (``access.STAFF_ROLES``; 印鑑条例 work of the 市民課 counter). The 窓口 handles
支援措置 on the registry's screens, so it sees protected persons here too (civil-facts §2: the
印鑑 system keeps the registry's 支援措置; the certificates machinery still refuses a protected
person's certificate to anyone but the person). Every decision is the door's
(``services.registrations``): a refusal comes back as (field, message) and is shown at its
field, answered 422; nothing is written before the door accepts.
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from yakuba.platform.audit.log import Action, record
from yakuba.platform.ui.staff import forbidden, staff_view
from yakuba.registry import services as registry
from yakuba.seal_registration import access
from yakuba.seal_registration.codes import Applicant, Identity, Status
from yakuba.seal_registration.services import ordinance, queries, registrations
from yakuba.seal_registration.services.registrations import Application, Refused

ACTIVE = "seal_registration"
NUMBER = re.compile(r"^\d{1,15}$")
CODE = re.compile(r"^\d{1,8}$")
# The 窓口 sees persons under 支援措置 (as on the registry's screens); 個人番号 is never shown here.
VISIBILITY = registry.Visibility(protected=True)
RESIDENT = 1  # resident JSON status (docs/reference/contract.md §6)

# The door's field names → the form's inputs (a rule about the person has no input: summary only).
INPUTS = {
    "text": "seal_text",
    "seal": "seal_text",
    "size": "width_mm",
    "guarantor": "guarantor_registration_no",
}
LABELS = {
    "seal_text": "印影の文字",
    "width_mm": "印影の大きさ",
    "height_mm": "印影の大きさ",
    "image": "印影の画像",
    "deformable": "印鑑の材質",
    "applicant": "申請者",
    "identity": "本人確認",
    "power_of_attorney": "委任状",
    "guarantor_registration_no": "保証人の印鑑登録番号",
    "adult_ward": "成年被後見人",
    "guardian_present": "法定代理人の同行",
}
BAD_NUMBER = "{label}は mm の数字（小数1桁まで、例 15.0）で入力してください"
IDENTITY_HINT = (
    "本人が官公署発行の顔写真付きの証明書を提示する{guarantor}と即日登録。それ以外（代理人を含む）は"
    "本人の住所へ照会書を送り、{days}日以内に届いた回答書で登録します"
)
NO_IMAGE = "印影を読み取った画像（PNG 又は JPEG）を選んでください"


def person_url(atena_no: str) -> str:
    return reverse("seal_registration:person") + "?" + urlencode({"atena_no": atena_no})


def registration_url(registration_no: str) -> str:
    return reverse("seal_registration:registration") + "?" + urlencode({"no": registration_no})


def summary_of(errors: dict[str, list[str]], labels: dict[str, str]) -> list[dict]:
    """The form's error summary: each message linked to its input when it has one."""
    return [
        {"id": f"f-{key}" if key in labels else "", "label": labels.get(key, ""), "message": m}
        for key, messages_ in errors.items()
        for m in messages_
    ]


def by_input(errors: list[tuple[str, str]], inputs: dict[str, str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for field, message in errors:
        found.setdefault(inputs.get(field, field), []).append(message)
    return found


def audit_read(atena_nos) -> None:
    """A screen showed these persons (氏名, 住所 …): one ``read`` audit row naming them."""
    if atena_nos:
        record(Action.READ, registrations.RESOURCE, subjects=list(atena_nos), purpose=registrations.PURPOSE)


def not_found(request, message: str):
    return forbidden(request, message, title="見つかりません", status=404)


def asked_person(request) -> tuple[str, registry.ResidentRecord | None]:
    """(the 宛名番号 the GET or POST names, the person through the registry's door or None)."""
    source = request.POST if request.method == "POST" else request.GET
    atena_no = source.get("atena_no", "").strip()[:15]
    return atena_no, resident_or_none(atena_no) if NUMBER.match(atena_no) else None


def resident_or_none(atena_no: str):
    """The person through the registry's door, or None (unknown)."""
    try:
        return registry.get_resident(atena_no, visibility=VISIBILITY)
    except registry.NotFound:
        return None


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET"])
def person_view(request):
    """住民 by 宛名番号: the person (氏名, 生年月日, 住所 — read through the registry's door and
    audited), their registrations with each one's history and any 照会書 still waiting."""
    atena_no = request.GET.get("atena_no", "").strip()[:15]
    context = {"atena_no": atena_no, "pending": queries.pending_count(), "active": ACTIVE}
    if not atena_no:
        return render(request, "seal_registration/person.html", context)
    if not NUMBER.match(atena_no):
        context["error"] = "宛名番号は数字で入力してください"
        return render(request, "seal_registration/person.html", context, status=422)
    person = resident_or_none(atena_no)
    if person is None:
        context["error"] = registrations.NOT_FOUND.format(atena_no=atena_no)
        return render(request, "seal_registration/person.html", context, status=404)
    found = queries.registrations_of(atena_no)
    audit_read([atena_no])
    context |= {
        "person": person,
        "is_resident": person.status == RESIDENT,
        "registrations": found,
        "has_open": any(r.is_open for r in found),
        "inquiries": queries.inquiries_of(atena_no, visibility=VISIBILITY),
        "notices": queries.guardianship_of(atena_no),
    }
    return render(request, "seal_registration/person.html", context)


def _decimal(text: str) -> Decimal | None:
    """A measured size in mm with at most one decimal (the column's scale), else None."""
    try:
        value = Decimal(text.strip())
        return value if 0 <= value < 1000 and value == value.quantize(Decimal("0.1")) else None
    except InvalidOperation:  # not a number, NaN, or an exponent too large to quantize
        return None


def _given(post) -> dict:
    return {
        "seal_text": post.get("seal_text", "").strip()[:40],
        "width_mm": post.get("width_mm", "").strip()[:10],
        "height_mm": post.get("height_mm", "").strip()[:10],
        "deformable": post.get("deformable") == "1",
        "applicant": post.get("applicant", Applicant.SELF),
        "identity": post.get("identity", Identity.PHOTO_ID),
        "power_of_attorney": post.get("power_of_attorney") == "1",
        "guarantor_registration_no": post.get("guarantor_registration_no", "").strip()[:8],
        "adult_ward": post.get("adult_ward") == "1",
        "guardian_present": post.get("guardian_present") == "1",
    }


def _application(atena_no: str, given: dict, upload) -> Application:
    """The door's Application from the form; what the form itself cannot read raises Refused."""
    errors = []
    sizes = {}
    for key in ("width_mm", "height_mm"):
        sizes[key] = _decimal(given[key]) if given[key] else None
        if sizes[key] is None:
            errors.append((key, BAD_NUMBER.format(label="幅" if key == "width_mm" else "高さ")))
    if given["applicant"] not in Applicant.values:
        errors.append(("applicant", "申請者を選んでください"))
    if given["identity"] not in Identity.values:
        errors.append(("identity", "本人確認の方法を選んでください"))
    if upload is None or upload.size == 0:
        errors.append(("image", NO_IMAGE))
    if errors:
        raise Refused(errors)
    return Application(
        atena_no,
        given["seal_text"],
        sizes["width_mm"],
        sizes["height_mm"],
        upload.read(registrations.MAX_IMAGE + 1),  # one byte more: the door refuses it as too large
        deformable=given["deformable"],
        applicant=Applicant(given["applicant"]),
        identity=Identity(given["identity"]),
        power_of_attorney=given["power_of_attorney"],
        guarantor_registration_no=given["guarantor_registration_no"],
        adult_ward=given["adult_ward"],
        guardian_present=given["guardian_present"],
    )


def _apply_form(request, person, given: dict, errors: dict | None = None, status: int = 200, latest=None):
    """The form with the 条例 in force today in its hints (sizes, 回答書 days, 保証書, 成年被後見人):
    the numbers are the municipality's, never the screen's (services/ordinance.py). ``latest``: the
    person's latest registration, named at the top while it is open (the door refuses a second)."""
    errors = errors or {}
    rules = ordinance.in_force(timezone.localdate())
    identities = [
        (v, label) for v, label in Identity.choices if v != Identity.GUARANTOR or rules.guarantor_allowed
    ]
    return render(
        request,
        "seal_registration/apply.html",
        {
            "person": person,
            "given": given,
            "errors": errors,
            "summary": summary_of(errors, LABELS),
            "applicants": Applicant.choices,
            "identities": identities,
            "rules": rules,
            "open_registration": latest
            if latest is not None and latest.status == Status.REGISTERED
            else None,
            "identity_hint": IDENTITY_HINT.format(
                guarantor="か、保証書がある" if rules.guarantor_allowed else "", days=rules.reply_days
            ),
            "active": ACTIVE,
        },
        status=status,
    )


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def apply_view(request):
    """印鑑登録申請: GET the form for ``?atena_no=``; POST registers the same day (本人 with a
    photo ID or a 保証書) or sends the 照会書 (civil-facts §2.3) — every refusal at its field."""
    atena_no, person = asked_person(request)
    if person is None:
        return not_found(request, registrations.NOT_FOUND.format(atena_no=atena_no))
    if request.method == "GET":
        audit_read([atena_no])
        return _apply_form(request, person, _given({}), latest=registrations.registration_of(atena_no))
    given = _given(request.POST)
    try:
        done = registrations.apply_registration(
            _application(atena_no, given, request.FILES.get("image")), visibility=VISIBILITY
        )
    except Refused as refused:
        return _apply_form(request, person, given, by_input(refused.errors, INPUTS), 422)
    if isinstance(done, registrations.InquirySent):
        return render(
            request, "seal_registration/inquiry_sent.html", {"person": person, "sent": done, "active": ACTIVE}
        )
    messages.success(
        request, f"印鑑登録をしました（印鑑登録番号 {done.registration_no}、印鑑登録証の番号 {done.card_no}）"
    )
    return redirect(registration_url(done.registration_no))


def _image_src(registration_no: str) -> str:
    """The 印影 as a data: URL (the page's own, so no second request can read it unaudited):
    ``seal_image`` writes the audit row of this view."""
    image = registrations.seal_image(registration_no)
    kind = "png" if image.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(image).decode()}"


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET"])
def registration_view(request):
    """A registration: the seal as checked and its image (each view one audit row), the card,
    how it was applied for, its history; the 廃止届 and 亡失届 while it is open."""
    number = request.GET.get("no", "").strip()[:8]
    found = queries.detail(number) if CODE.match(number) else None
    if found is None:
        return not_found(request, registrations.NO_REGISTRATION.format(no=number))
    person = resident_or_none(found.atena_no)
    if person is None:  # a person no longer readable (archived beyond the door): the number alone
        return not_found(request, registrations.NOT_FOUND.format(atena_no=found.atena_no))
    return render(
        request,
        "seal_registration/registration.html",
        {"r": found, "person": person, "image": _image_src(number), "active": ACTIVE},
    )


ENDINGS = {
    "abolish": ("印鑑登録廃止申請", "廃止届を受け付ける"),
    "lost": ("印鑑登録証亡失届", "亡失届を受け付ける"),
}


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def end_view(request):
    """廃止届 (by 印鑑登録番号) or 亡失届 (the card reported lost): GET the 確認 — what ends, and
    that it cannot be undone —, POST ends the registration today (civil-facts §2.5)."""
    source = request.POST if request.method == "POST" else request.GET
    number, kind = source.get("no", "").strip()[:8], source.get("kind", "")
    found = queries.detail(number) if CODE.match(number) else None
    if found is None or kind not in ENDINGS:
        return not_found(request, registrations.NO_REGISTRATION.format(no=number))
    title, button = ENDINGS[kind]
    if request.method == "GET":
        person = resident_or_none(found.atena_no)
        audit_read([found.atena_no])
        return render(
            request,
            "seal_registration/end_confirm.html",
            {"r": found, "person": person, "kind": kind, "title": title, "button": button, "active": ACTIVE},
        )
    try:
        if kind == "abolish":
            registrations.abolish(number)
        else:
            registrations.report_lost(found.card_no)
    except Refused as refused:
        for _field, message in refused.errors:
            messages.error(request, message)
        return redirect(registration_url(number))
    messages.success(request, f"{title}を受け付け、印鑑登録番号 {number} の登録を廃止しました")
    return redirect(registration_url(number))


@staff_view(roles=access.STAFF_ROLES)
@require_http_methods(["GET"])
def inquiries_view(request):
    """照会書 waiting for their 回答書 (keyset pages of 50, oldest first), each with its deadline."""
    after = request.GET.get("after", "").strip()[:8]
    after = after if CODE.match(after) else ""
    rows, last = queries.pending_page(after=after, visibility=VISIBILITY)
    audit_read([q.atena_no for q in rows])
    base = reverse("seal_registration:inquiries")
    return render(
        request,
        "seal_registration/inquiries.html",
        {
            "rows": rows,
            "next_url": f"{base}?after={last}" if last else "",
            "first_url": base if after else "",
            "active": ACTIVE,
        },
    )


@staff_view(roles=access.STAFF_ROLES)
@require_POST
def answer_view(request):
    """The 回答書 brought back: registered today, or the door's reason on the list."""
    number = request.POST.get("inquiry_no", "").strip()[:8]
    try:
        done = registrations.answer_inquiry(number, visibility=VISIBILITY)
    except Refused as refused:
        for _field, message in refused.errors:
            messages.error(request, f"照会番号 {number}：{message}")
        return redirect(reverse("seal_registration:inquiries"))
    messages.success(
        request,
        f"回答書を受け付け、印鑑登録をしました（印鑑登録番号 {done.registration_no}、"
        f"印鑑登録証の番号 {done.card_no}）",
    )
    return redirect(registration_url(done.registration_no))
