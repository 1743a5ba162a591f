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
- Where the 条例 makes the **マイナンバーカード** the 印鑑登録証 (``Ordinance.my_number_card_as_card``;
  §2.3, 古河市), the registrant presenting their own card is asked for instead of a card number —
  the registrant only, never a 代理人 (§2.4: 古河市
  https://www.city.ibaraki-koga.lg.jp/soshiki/shimin_mado/3/1601.html).
"""

from __future__ import annotations

from django.utils import timezone

from yakuba.certificates import services as certificates
from yakuba.registry import services as registry
from yakuba.seal_registration.services import ordinance
from yakuba.seal_registration.services.registrations import (
    RegistrationView,
    registration_by_card,
    registration_of,
    seal_image,
)

KIND = "seal_certificate"
TITLE = "印鑑登録証明書"
ATTESTATION = "この写しは、登録されている印影と相違ないことを証明する。"
REQUESTERS = ("self", "agent")
NO_CARD = "印鑑登録証の番号を入力してください（証明書の交付には印鑑登録証が必要です）"
UNKNOWN_CARD = "印鑑登録証の番号 {card_no} の登録は見つかりません"
NOT_REGISTERED = "この印鑑登録証の登録は{status}されているため、証明できません（{reason}、{day}）"
REFUSED_REQUESTER = "印鑑登録証明書は、印鑑登録証を持参した本人又は代理人に交付します"
NOT_THE_REGISTRANT = "本人の請求では、請求者の宛名番号は登録者の宛名番号です"
MY_NUMBER_CARD_NOT_USED = "この市町村の条例では、マイナンバーカードを印鑑登録証として使えません"
MY_NUMBER_CARD_SELF = (
    "マイナンバーカードによる請求は、登録者本人に限ります（請求者の宛名番号を入力してください）"
)
NO_OPEN_REGISTRATION = "この方の印鑑登録はありません"
FOREIGN = 2


def _by_card(card_no: str) -> tuple[RegistrationView | None, list]:
    """The registration a 印鑑登録証 names."""
    if not card_no:
        return None, [("card_no", NO_CARD)]
    registration = registration_by_card(card_no)
    if registration is None:
        return None, [("card_no", UNKNOWN_CARD.format(card_no=card_no))]
    return registration, []


def _by_my_number_card(requester: certificates.RequesterInfo, today) -> tuple[RegistrationView | None, list]:
    """The registration of the registrant presenting their マイナンバーカード (read by the clerk:
    the requester's 宛名番号), where the 条例 allows it."""
    if not ordinance.in_force(today).my_number_card_as_card:
        return None, [("my_number_card", MY_NUMBER_CARD_NOT_USED)]
    if requester.type != "self" or not requester.atena_no:
        return None, [("requester.type", MY_NUMBER_CARD_SELF)]
    registration = registration_of(requester.atena_no)
    if registration is None:
        return None, [("requester.atena_no", NO_OPEN_REGISTRATION)]
    return registration, []


def issue(
    card_no: str,
    *,
    requester: certificates.RequesterInfo,
    visibility: registry.Visibility,
    fee_exempt_reason: str = "",
    reissue_of: str = "",
    my_number_card: bool = False,
) -> certificates.Issued:
    """Issue the certificate (inside the caller's ``tenant_context``, one transaction) for the
    印鑑登録証 ``card_no``, or with ``my_number_card`` for the registrant's own マイナンバーカード
    (``card_no`` is then ignored). Raises the certificates door's ``RuleViolation`` with every
    reason at once."""
    card_no = card_no.strip()
    today = timezone.localdate()
    if my_number_card:
        registration, errors = _by_my_number_card(requester, today)
    else:
        registration, errors = _by_card(card_no)
    if registration is not None and not registration.valid_on(today):
        day = registration.ended_on
        errors.append(
            (
                "my_number_card" if my_number_card else "card_no",
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
        options={"my_number_card": True} if my_number_card else {"card_no": card_no},
        requester=requester,
        visibility=visibility,
        fee_exempt_reason=fee_exempt_reason,
        reissue_of=reissue_of,
    )


def reissue(options: dict, **issue_options):
    """再発行 from the 交付履歴 (``register_reissue``): the same card, today's registry — refused
    if the registration has ended since."""
    return issue(
        options.get("card_no", ""), my_number_card=options.get("my_number_card", False), **issue_options
    )


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
