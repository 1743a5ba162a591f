"""How a registration proceeds (civil-facts §2.3).

- **Same day**: the applicant in person with either a photo ID issued by a 官公署 (マイナンバー
  カード, 運転免許証, passport, 在留カード …) or a 保証書 by someone already registered in the
  municipality (七ヶ浜町, 四街道市, 伊勢原市).
- **照会書・回答書** otherwise: no photo ID and no 保証人, or a 代理人 (who needs a 委任状). The
  照会書 goes to the applicant's address; the 回答書 comes back within the 規則's deadline (30 days
  in 洲本市, one month in 四街道市, 14 days in 由良町 — ``Ordinance.reply_days``); late, the
  application lapses. https://www.city.sumoto.hyogo.jp/soshiki/13/1144.html
"""

from __future__ import annotations

from datetime import date, timedelta

from yakuba.seal_registration.codes import Applicant, Identity, Procedure
from yakuba.seal_registration.rules.applicant import Refusal
from yakuba.seal_registration.rules.ordinance import DEFAULT, Ordinance

NO_POWER_OF_ATTORNEY = "代理人による申請には委任状が必要です"
GUARANTOR_NOT_REGISTERED = "保証人はこの市町村で印鑑登録をしている方でなければなりません"
GUARANTOR_IS_APPLICANT = "申請者本人は保証人になれません"
GUARANTOR_NOT_ALLOWED = "この市町村の条例では、保証書による本人確認はできません"
REPLY_LATE = "回答書の期限（{day}）を過ぎているため、この申請は無効です。改めて申請してください"


def check_procedure(
    applicant: Applicant,
    identity: Identity,
    *,
    power_of_attorney: bool = False,
    guarantor_registered: bool = False,
    guarantor_is_applicant: bool = False,
    ordinance: Ordinance = DEFAULT,
) -> list[Refusal]:
    """What makes the application itself unacceptable (empty: it goes on). A 条例 without the
    保証書 (``Ordinance.guarantor_allowed``) refuses it as the identity."""
    refusals: list[Refusal] = []
    if applicant == Applicant.AGENT and not power_of_attorney:
        refusals.append(("power_of_attorney", NO_POWER_OF_ATTORNEY))
    if identity == Identity.GUARANTOR and not ordinance.guarantor_allowed:
        refusals.append(("identity", GUARANTOR_NOT_ALLOWED))
    elif identity == Identity.GUARANTOR and applicant == Applicant.SELF:
        if guarantor_is_applicant:
            refusals.append(("guarantor", GUARANTOR_IS_APPLICANT))
        elif not guarantor_registered:
            refusals.append(("guarantor", GUARANTOR_NOT_REGISTERED))
    return refusals


def procedure(applicant: Applicant, identity: Identity) -> Procedure:
    """Same day only for the applicant in person with a photo ID or a 保証書; else the 照会書."""
    if applicant == Applicant.SELF and identity in (Identity.PHOTO_ID, Identity.GUARANTOR):
        return Procedure.SAME_DAY
    return Procedure.INQUIRY


def reply_deadline(sent_on: date, ordinance: Ordinance = DEFAULT) -> date:
    """The last day the 回答書 is accepted."""
    return sent_on + timedelta(days=ordinance.reply_days)


def check_reply(deadline: date, replied_on: date) -> list[Refusal]:
    if replied_on > deadline:
        day = f"{deadline.year}年{deadline.month}月{deadline.day}日"
        return [("replied_on", REPLY_LATE.format(day=day))]
    return []
