"""Who may have a 戸籍 certificate, and how (docs/koseki.md「証明書」; civil-facts §3.3).

- **本人等請求 (戸籍法10条1項):** a person written in the 戸籍 (one who has left it — 除籍 — too),
  their 配偶者, their 直系尊属 or 直系卑属: no reason needed. Decided from the 戸籍 data, never
  from what the requester says: the requester is a member, married to a member (the 筆頭者 and
  配偶者 of one 戸籍), a parent or grandparent of a member (the ``father_id``/``mother_id`` links,
  or named as a member's 父・母・養父・養母), or a child or grandchild of one.
- **第三者請求 (10条の2第1項):** only with a 請求事由 of one of three kinds — to exercise a right or
  perform a duty of one's own (1号), to hand the certificate to a 国・地方公共団体の機関 (2号), another
  正当な理由 (3号) — stated specifically on the request.
- **公用請求 (10条の2第2項):** a 国又は地方公共団体の機関, with the 事務 it is for.
- **職務上請求 (10条の2第3項〜第5項):** a 弁護士, 司法書士, 土地家屋調査士, 税理士, 社会保険労務士,
  弁理士, 海事代理士 or 行政書士 for the case or work they were entrusted with: their 資格 and the
  請求事由.
- **代理人 (10条の3第2項):** for one of 本人等, with a 委任状.
- **除籍・改製原戸籍 (12条の2):** the same rules.
- **広域交付 (120条の2; from 2024-03-01):** at any municipality's counter only the 戸籍全部事項証明書,
  除籍全部事項証明書 and 改製原戸籍謄本; only 本人, 配偶者, 直系尊属・直系卑属 in person with a photo ID;
  no 代理人, no post, no 第三者 or 職務上請求 (civil-facts §3.3, pitfall §7.9; 多度津町
  https://www.town.tadotsu.kagawa.jp/soshikikarasagasu/juminkankyoka/koseki/3262.html ; 法務省
  https://www.moj.go.jp/MINJI/minji04_00082.html).

Every broken rule comes back at once as (field, message) in Japanese, for the clerk's form.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

Refusal = tuple[str, str]


class Relation(StrEnum):
    """How the requester stands to the 戸籍 (10条1項), found from its data."""

    SELF = "self"
    SPOUSE = "spouse"
    ASCENDANT = "ascendant"  # the requester is a 直系尊属 of a member
    DESCENDANT = "descendant"  # the requester is a 直系卑属 of a member


class Purpose(StrEnum):
    """The three 請求事由 of a 第三者 (10条の2第1項1号〜3号)."""

    RIGHTS = "rights"  # 自己の権利を行使し、又は自己の義務を履行するため
    SUBMISSION = "submission"  # 国又は地方公共団体の機関に提出するため
    OTHER = "other"  # その他正当な理由


PURPOSES = {
    Purpose.RIGHTS: "自己の権利の行使・義務の履行",
    Purpose.SUBMISSION: "国又は地方公共団体の機関への提出",
    Purpose.OTHER: "その他正当な理由",
}

# 10条の2第3項〜第5項: those who may ask in their 職務.
PROFESSIONS = (
    "弁護士",
    "司法書士",
    "土地家屋調査士",
    "税理士",
    "社会保険労務士",
    "弁理士",
    "海事代理士",
    "行政書士",
)

# The certificate kinds (certificates.codes.Kind values) and what 広域交付 allows.
FULL = "koseki_full"
INDIVIDUAL = "koseki_individual"
JOSEKI = "joseki_full"
ORIGINAL = "original_koseki"
WIDE_AREA_KINDS = frozenset({FULL, JOSEKI, ORIGINAL})
KIND_LABELS = {
    FULL: "戸籍全部事項証明書",
    INDIVIDUAL: "戸籍個人事項証明書",
    JOSEKI: "除籍全部事項証明書",
    ORIGINAL: "改製原戸籍謄本",
}

# Requester types (certificates.codes.Requester values).
SELF, SPOUSE, LINEAL, AGENT = "self", "spouse", "lineal", "agent"
THIRD_PARTY, OFFICIAL, PROFESSIONAL = "third_party", "official", "professional"
OWN = frozenset({SELF, SPOUSE, LINEAL})
CLAIMS = {SELF: {Relation.SELF}, SPOUSE: {Relation.SPOUSE}, LINEAL: {Relation.ASCENDANT, Relation.DESCENDANT}}

NOT_RELATED = (
    "請求者は、この戸籍に記載されている者・その配偶者・直系尊属・直系卑属であることが戸籍から確認できません"
    "（戸籍法10条）。関係が確認できない場合は第三者請求（請求事由が必要）になります"
)
WRONG_CLAIM = "請求者の区分は「{claimed}」ですが、戸籍上の関係は「{found}」です"
NO_PERSON = (
    "本人・配偶者・直系の請求（代理人はその方）の個人IDを入力してください"
    "（この戸籍に父母・養父母として記載されている方は氏名で確認します）"
)
NO_PURPOSE_KIND = "第三者請求の請求事由の区分を選んでください（戸籍法10条の2第1項1号〜3号）"
NO_PROFESSION = "職務上請求の資格を選んでください（{choices}）"
NO_MANDATE = "代理人の請求には委任状が必要です（戸籍法10条の3第2項）"
WIDE_KIND = (
    "広域交付で請求できるのは戸籍全部事項証明書・除籍全部事項証明書・改製原戸籍謄本だけです（戸籍法120条の2）"
)
WIDE_REQUESTER = "広域交付は本人・配偶者・直系尊属・直系卑属が窓口で請求する場合に限ります（代理人・第三者・職務上請求・郵送は不可）"
WIDE_PHOTO = "広域交付には顔写真付きの本人確認書類が必要です（写真のない書類では交付できません）"
RELATION_LABELS = {
    Relation.SELF: "本人",
    Relation.SPOUSE: "配偶者",
    Relation.ASCENDANT: "直系尊属",
    Relation.DESCENDANT: "直系卑属",
}
CLAIM_LABELS = {SELF: "本人", SPOUSE: "配偶者", LINEAL: "直系尊属・直系卑属"}


@dataclass(frozen=True)
class Kin:
    """A person as the 戸籍 data knows them: who they are and who their parents are."""

    person_id: str
    father: str = ""  # 父・母 as written (names), and 養父・養母
    mother: str = ""
    adoptive_father: str = ""
    adoptive_mother: str = ""
    ancestors: frozenset[str] = frozenset()  # person_ids of their 直系尊属 written here (any depth)


@dataclass(frozen=True)
class Requester:
    """The requester as the 戸籍 data knows them (``person_id`` empty: not written in a 戸籍 here)."""

    person_id: str
    name: str
    spouses: frozenset[str] = frozenset()  # person_ids they are or were married to (筆頭者・配偶者)
    ancestors: frozenset[str] = frozenset()


def relation(requester: Requester, members: list[Kin]) -> Relation | None:
    """How ``requester`` stands to the 戸籍 of ``members`` (everyone written in it, 除籍 too),
    the closest first; None when the data shows no 10条1項 relation."""
    ids = {m.person_id for m in members}
    if requester.person_id and requester.person_id in ids:
        return Relation.SELF
    if requester.spouses & ids:
        return Relation.SPOUSE
    named = requester.name.replace(" ", "").replace("\u3000", "")
    parents_named = {
        n.replace(" ", "").replace("\u3000", "")
        for m in members
        for n in (m.father, m.mother, m.adoptive_father, m.adoptive_mother)
        if n
    }
    if (requester.person_id and any(requester.person_id in m.ancestors for m in members)) or (
        named and named in parents_named
    ):
        return Relation.ASCENDANT
    if requester.ancestors & ids:
        return Relation.DESCENDANT
    return None


def check_request(
    kind: str,
    requester_type: str,
    *,
    found: Relation | None,
    person_given: bool,
    purpose_kind: str = "",
    profession: str = "",
    mandate: bool = False,
    wide_area: bool = False,
    photo_id: bool = False,
) -> list[Refusal]:
    """The broken rules of a request for a 戸籍 certificate (empty: it may be issued).
    ``found``: the relation the 戸籍 data shows between the requester (for a 代理人: the person
    they act for) and the 戸籍; ``person_given``: whether their 個人ID was given (a parent named
    as 父・母 in the 戸籍 is found by name without one)."""
    errors: list[Refusal] = []
    if requester_type in OWN or requester_type == AGENT:
        if found is None:
            errors.append(("requester_person_id", NOT_RELATED if person_given else NO_PERSON))
        elif requester_type in CLAIMS and found not in CLAIMS[requester_type]:
            message = WRONG_CLAIM.format(claimed=CLAIM_LABELS[requester_type], found=RELATION_LABELS[found])
            errors.append(("requester.type", message))
    if requester_type == AGENT and not mandate:
        errors.append(("mandate", NO_MANDATE))
    if requester_type == THIRD_PARTY and purpose_kind not in PURPOSES:
        errors.append(("purpose_kind", NO_PURPOSE_KIND))
    if requester_type == PROFESSIONAL and profession not in PROFESSIONS:
        errors.append(("profession", NO_PROFESSION.format(choices="・".join(PROFESSIONS))))
    if wide_area:
        if kind not in WIDE_AREA_KINDS:
            errors.append(("kind", WIDE_KIND))
        if requester_type not in OWN:
            errors.append(("requester.type", WIDE_REQUESTER))
        if not photo_id:
            errors.append(("photo_id", WIDE_PHOTO))
    return errors


def kind_problems(
    kind: str, *, closed: bool, original: bool, person_ids: list[str], member_ids: list[str]
) -> list[Refusal]:
    """Whether the 戸籍 can give this certificate: a 全部事項・個人事項証明書 of a 戸籍 in use, a
    除籍全部事項証明書 of a closed one (12条の2), an 改製原戸籍謄本 of the form before an 改製;
    a 個人事項証明書 of chosen members of that 戸籍 (戸籍抄本, 10条1項)."""
    if kind not in KIND_LABELS:
        return [
            ("kind", "戸籍の証明書の種類を選んでください（全部事項・個人事項・除籍全部事項・改製原戸籍）")
        ]
    errors: list[Refusal] = []
    if original and kind != ORIGINAL:
        errors.append(("kind", "改製原戸籍は改製原戸籍謄本として交付します"))
    elif kind == ORIGINAL and not original:
        errors.append(("kind", "この戸籍は改製原戸籍ではありません"))
    elif closed and kind in (FULL, INDIVIDUAL):
        errors.append(("kind", "この戸籍は除籍されています。除籍全部事項証明書を請求してください"))
    elif kind == JOSEKI and not closed:
        errors.append(("kind", "この戸籍は除籍されていません。戸籍全部事項証明書を請求してください"))
    if kind == INDIVIDUAL and not person_ids:
        errors.append(("person_ids", "個人事項証明書に記載する者を選んでください"))
    if kind != INDIVIDUAL and person_ids:
        errors.append(("person_ids", "記載する者を選べるのは個人事項証明書だけです"))
    unknown = [p for p in person_ids if p not in member_ids]
    if unknown:
        errors.append(("person_ids", f"この戸籍に記載されていない個人IDです: {'、'.join(unknown)}"))
    return errors
