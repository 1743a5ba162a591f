"""The 印鑑登録証明書 (civil-facts §2.4) through the certificates app's machinery
(``yakuba.certificates.issue_document``: who asked, 支援措置, the number, the QR code,
the signature, the 交付履歴 and the print audit).

- It is asked for with the **印鑑登録証** (its number): the seal itself is not needed, and a
  代理人 holding the card may ask without a 委任状 (§2.4; 古河市).
- It shows the **印影** and only the registrant's **氏名, 生年月日, 住所** — 性別 left out, as more
  and more municipalities do (§2.4). The 住所 is the registry's on the day of issue, so a 転居
  needs nothing (§2.5).
- Only for a registration valid today: after the 転出日 (自動廃止), a 死亡, a 廃止届 or a 亡失届 the
  card certifies nothing (§2.5).
"""

from __future__ import annotations

from django.utils import timezone

from yakuba.certificates import services as certificates
from yakuba.registry import services as registry
from yakuba.seal_registration.services.registrations import registration_by_card, seal_image

KIND = "seal_certificate"
TITLE = "印鑑登録証明書"
ATTESTATION = "この写しは、登録されている印影と相違ないことを証明する。"
REQUESTERS = ("self", "agent")
NO_CARD = "印鑑登録証の番号を入力してください（証明書の交付には印鑑登録証が必要です）"
UNKNOWN_CARD = "印鑑登録証の番号 {card_no} の登録は見つかりません"
NOT_REGISTERED = "この印鑑登録証の登録は{status}されているため、証明できません（{reason}、{day}）"
REFUSED_REQUESTER = "印鑑登録証明書は、印鑑登録証を持参した本人又は代理人に交付します"
NOT_THE_REGISTRANT = "本人の請求では、請求者の宛名番号は登録者の宛名番号です"
FOREIGN = 2


def issue(
    card_no: str,
    *,
    requester: certificates.RequesterInfo,
    visibility: registry.Visibility,
    fee_exempt_reason: str = "",
    reissue_of: str = "",
) -> certificates.Issued:
    """Issue the certificate (inside the caller's ``tenant_context``, one transaction). Raises
    the certificates door's ``RuleViolation`` with every reason at once."""
    card_no = card_no.strip()
    registration = registration_by_card(card_no) if card_no else None
    errors = []
    if not card_no:
        errors.append(("card_no", NO_CARD))
    elif registration is None:
        errors.append(("card_no", UNKNOWN_CARD.format(card_no=card_no)))
    elif not registration.valid_on(timezone.localdate()):
        day = registration.ended_on
        errors.append(
            (
                "card_no",
                NOT_REGISTERED.format(
                    status=registration.status.label,
                    reason=registration.end_reason_label,
                    day=f"{day.year}年{day.month}月{day.day}日" if day else "",
                ),
            )
        )
    if requester.type not in REQUESTERS:
        errors.append(("requester.type", REFUSED_REQUESTER))
    elif (
        registration is not None and requester.type == "self" and requester.atena_no != registration.atena_no
    ):
        errors.append(("requester.atena_no", NOT_THE_REGISTRANT))
    if errors:
        raise certificates.RuleViolation(errors)
    return certificates.issue_document(
        KIND,
        lambda vis: document(registration.registration_no, registration.atena_no, visibility=vis),
        subjects={registration.atena_no},
        options={"card_no": card_no},
        requester=requester,
        visibility=visibility,
        fee_exempt_reason=fee_exempt_reason,
        reissue_of=reissue_of,
    )


def reissue(options: dict, **issue_options):
    """再発行 from the 交付履歴 (``register_reissue``): the same card, today's registry — refused
    if the registration has ended since."""
    return issue(options["card_no"], **issue_options)


def document(registration_no: str, atena_no: str, *, visibility) -> certificates.Document:
    """The 印影 (read through ``seal_image``: one audit row) and 氏名, 生年月日, 住所 today."""
    person = registry.get_resident(atena_no, visibility=visibility)  # NotFound when hidden
    foreign = person.resident_type == FOREIGN
    rows = (
        (certificates.Item("name", "氏名", person.name, wide=True),),
        (certificates.Item("birth_date", "生年月日", certificates.birth_text(person, foreign)),),
    )
    sheet = certificates.Sheet(
        household=(
            certificates.Item(
                "address", "住所", certificates.full_address(person.address, person.address_extra), wide=True
            ),
        ),
        persons=(certificates.Person(atena_no, person.name, foreign, rows),),
    )
    return certificates.Document(
        kind=KIND,
        layout="individual",
        setai_no="",
        atena_nos=[atena_no],
        sheets=[sheet],
        title=TITLE,
        attestation=ATTESTATION,
        image=seal_image(registration_no),
        image_label="印影",
    )
