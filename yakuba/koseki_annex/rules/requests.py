"""Who may ask for a 附票の写し, and how (住民基本台帳法 第20条; registry-facts §17.3).

- A person recorded on the 附票 (anyone in the same 戸籍, one who has left it included), their
  配偶者, or a 直系尊属 or 直系卑属 of one: no reason needed (第20条1項; 長野市
  https://www.city.nagano.nagano.jp/n085500/contents/p006205.html ; 南アルプス市
  https://www.city.minami-alps.yamanashi.jp/docs/1488.html).
- 国又は地方公共団体の機関 (公用, 第20条2項): the office's name and what it is for.
- 弁護士・司法書士 and the other 特定事務受任者 (職務上請求, 第20条4項): their name and the
  請求事由 (the work they are doing) — as every 第三者 (第20条3項: only with a legitimate reason,
  written on the request).
- A 代理人 for any of them needs a 委任状.
- The 附票 is not covered by 戸籍 広域交付: it is asked for at the 本籍地 only (名古屋市 FAQ,
  https://faq.city.nagoya.jp/faq/detail.aspx?id=72 ; 市貝町 https://www.town.ichikai.tochigi.jp/Info/1570).

Every broken rule comes back at once as (field, message), in Japanese, for the clerk's form.
"""

from __future__ import annotations

from enum import StrEnum


class Requester(StrEnum):
    ON_ANNEX = "on_annex"  # recorded on the 附票 (本人, or another person of the same 戸籍)
    SPOUSE = "spouse"  # 配偶者 of a person recorded on it
    LINEAL = "lineal"  # 直系尊属 or 直系卑属 of a person recorded on it
    THIRD_PARTY = "third_party"  # 第三者 (第20条3項)
    OFFICIAL = "official"  # 国又は地方公共団体の機関 (第20条2項)
    PROFESSIONAL = "professional"  # 特定事務受任者の職務上請求 (第20条4項)


# Those who must say why they ask (第20条2項〜4項); the others are named by the 附票 itself.
NEEDS_REASON = {
    Requester.THIRD_PARTY: "第三者の請求には請求の事由（正当な理由）を記入してください",
    Requester.OFFICIAL: "公用の請求には利用の目的（事務の名称）を記入してください",
    Requester.PROFESSIONAL: "職務上請求には請求の事由（受任している事件又は事務）を記入してください",
}


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
    if requester in NEEDS_REASON and not reason.strip():
        errors.append(("reason", NEEDS_REASON[requester]))
    return errors
