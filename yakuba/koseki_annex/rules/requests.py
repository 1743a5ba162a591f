"""Who may ask for a 附票の写し, and how (住民基本台帳法 第20条; registry-facts §17.3).

- A person recorded on the 附票 (anyone in the same 戸籍), or a 直系尊属 or 直系卑属 of one: no
  reason needed.
- Anyone else (第三者): only with a legitimate reason, written on the request (請求事由).
- A 代理人 for any of them needs a 委任状.
- The 附票 is not covered by 戸籍 広域交付: it is asked for at the 本籍地 only (名古屋市 FAQ,
  https://faq.city.nagoya.jp/faq/detail.aspx?id=72 ; 市貝町 https://www.town.ichikai.tochigi.jp/Info/1570).

Every broken rule comes back at once as (field, message), in Japanese, for the clerk's form.
"""

from __future__ import annotations

from enum import StrEnum


class Requester(StrEnum):
    ON_ANNEX = "on_annex"  # recorded on the 附票 (本人, or another person of the same 戸籍)
    LINEAL = "lineal"  # 直系尊属 or 直系卑属 of a person recorded on it
    THIRD_PARTY = "third_party"  # 第三者


def check_request(
    requester: Requester, *, agent: bool, mandate: bool, reason: str, at_honseki_town: bool
) -> list[tuple[str, str]]:
    """The broken rules of a request for a 附票の写し (empty: it may be issued)."""
    errors: list[tuple[str, str]] = []
    if not at_honseki_town:
        errors.append(
            (
                "counter",
                "戸籍の附票の写しは広域交付の対象ではありません（本籍地の市区町村に請求してください）",
            )
        )
    if agent and not mandate:
        errors.append(("mandate", "代理人の請求には委任状が必要です"))
    if requester is Requester.THIRD_PARTY and not reason.strip():
        errors.append(("reason", "第三者の請求には請求の事由（正当な理由）を記入してください"))
    return errors
