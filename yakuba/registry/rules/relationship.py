"""続柄 (relationship to the 世帯主) — 住民記録システム標準仕様書 第3章 §1.1.11.

The standard (v1.0 第3章 §1.1.11 続柄) allows exactly:

① 世帯主
② 夫、妻、夫（未届）、妻（未届）、子、子（子の夫）、子（子の妻）、父、母、兄、姉、弟及び妹
③ ② joined with 「の」 up to 4 世代, where a 世代 is "the number of items joined with 「の」,
   counted mechanically" (例: 子の子の子の子)
④ 縁故者
⑤ 同居人

and explicitly forbids any other value (例: 祖父、祖母、おじ、おば、甥、姪、孫、家事使用人、準世帯主、
4世代以内で表記できない続柄).  Chains that would need 5 or more 世代 are recorded as 「縁故者」.
For foreign residents, a relationship other than 縁故者 needs a document proving it; a de-facto
relative without such a document is 「縁故者」.

Canonical spelling
------------------
The standard's own text writes the parenthesised terms with full-width parentheses
(「夫（未届）」「子（子の妻）」), so that is the canonical output.  Input is normalised with NFKC
(so half-width and full-width parentheses, digits and spaces are all accepted) and every
whitespace character is removed.

「子の妻」 and 「子（子の妻）」 are different values:

* 「子の妻」 is a ③ chain (子 + 妻): the wife of the 世帯主's child (a daughter-in-law).
* 「子（子の妻）」 is a single ② term: a person who is the 世帯主's child (e.g. by adoption) *and*
  the wife of another child of the 世帯主.  It counts as one 世代.

Only 「の」 outside parentheses joins links, so 「子（子の妻）」 is one link and
「子（子の妻）の子」 is two.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "BASE_TERMS",
    "CHILD_SPOUSE_TERMS",
    "COHABITANT",
    "HEAD",
    "MAX_GENERATIONS",
    "RELATIVE_BY_CUSTOM",
    "SPOUSE_TERMS",
    "RelationshipError",
    "check_single_head",
    "generations",
    "is_head",
    "is_spouse",
    "links",
    "normalize",
    "validate_relationship",
]

HEAD = "世帯主"
RELATIVE_BY_CUSTOM = "縁故者"
COHABITANT = "同居人"
JOINER = "の"
MAX_GENERATIONS = 4

# ② in the order the standard lists them (§1.1.11).  The order is used only as a last tie-break.
BASE_TERMS: tuple[str, ...] = (
    "夫",
    "妻",
    "夫（未届）",
    "妻（未届）",
    "子",
    "子（子の夫）",
    "子（子の妻）",
    "父",
    "母",
    "兄",
    "姉",
    "弟",
    "妹",
)
SPOUSE_TERMS: frozenset[str] = frozenset({"夫", "妻", "夫（未届）", "妻（未届）"})
CHILD_SPOUSE_TERMS: frozenset[str] = frozenset({"子（子の夫）", "子（子の妻）"})
_STANDALONE: frozenset[str] = frozenset({HEAD, RELATIVE_BY_CUSTOM, COHABITANT})
_BASE_SET: frozenset[str] = frozenset(BASE_TERMS)


class RelationshipError(ValueError):
    """A 続柄 that §1.1.11 does not allow; ``str(err)`` is the message shown to the clerk."""


# Forbidden spellings (§1.1.11 【実装しない機能】 plus common legacy/colloquial values met in
# migrated data), mapped to the sentence that tells the clerk what to record instead.
_USE = "と記載してください"
_FORBIDDEN: dict[str, str] = {
    # Listed by the standard itself.
    "祖父": "「父の父」または「母の父」" + _USE,
    "祖母": "「父の母」または「母の母」" + _USE,
    "おじ": "「父の兄」「父の弟」「母の兄」または「母の弟」" + _USE,
    "おば": "「父の姉」「父の妹」「母の姉」または「母の妹」" + _USE,
    "甥": "「兄の子」「姉の子」「弟の子」または「妹の子」" + _USE,
    "姪": "「兄の子」「姉の子」「弟の子」または「妹の子」" + _USE,
    "孫": "「子の子」" + _USE,
    "家事使用人": "「同居人」" + _USE,
    "準世帯主": "世帯主との続柄を記載してください",
    # Other spellings of the same relationships.
    "叔父": "「父の弟」または「母の弟」" + _USE,
    "伯父": "「父の兄」または「母の兄」" + _USE,
    "叔母": "「父の妹」または「母の妹」" + _USE,
    "伯母": "「父の姉」または「母の姉」" + _USE,
    "曾祖父": "「父の父の父」などと4世代以内で記載してください",
    "曽祖父": "「父の父の父」などと4世代以内で記載してください",
    "曾祖母": "「父の父の母」などと4世代以内で記載してください",
    "曽祖母": "「父の父の母」などと4世代以内で記載してください",
    "曾孫": "「子の子の子」" + _USE,
    "曽孫": "「子の子の子」" + _USE,
    "ひ孫": "「子の子の子」" + _USE,
    "玄孫": "「子の子の子の子」" + _USE,
    "いとこ": "「父の兄の子」などと4世代以内で記載してください",
    "従兄弟": "「父の兄の子」などと4世代以内で記載してください",
    "従姉妹": "「父の兄の子」などと4世代以内で記載してください",
    "兄弟": "「兄」または「弟」" + _USE,
    "姉妹": "「姉」または「妹」" + _USE,
    "兄弟姉妹": "「兄」「姉」「弟」または「妹」" + _USE,
    "父母": "「父」または「母」" + _USE,
    "両親": "「父」または「母」" + _USE,
    "祖父母": "「父の父」「父の母」「母の父」または「母の母」" + _USE,
    "配偶者": "「夫」または「妻」" + _USE,
    "内縁の夫": "「夫（未届）」" + _USE,
    "内縁の妻": "「妻（未届）」" + _USE,
    "嫁": "「子の妻」" + _USE,
    "婿": "「子の夫」" + _USE,
    "婿養子": "「子（子の夫）」" + _USE,
    "養父": "「父」" + _USE,
    "養母": "「母」" + _USE,
    "義父": "「妻の父」または「夫の父」" + _USE,
    "義母": "「妻の母」または「夫の母」" + _USE,
    "本人": "「世帯主」" + _USE,
    "擬制世帯主": "世帯主との続柄を記載してください",
    "同居者": "「同居人」" + _USE,
    "使用人": "「同居人」" + _USE,
    # In the 住民票 every child (実子・養子, 嫡出・嫡出でない子) is recorded as 「子」.
    **{
        word: "「子」" + _USE
        for word in (
            "養子",
            "養女",
            "息子",
            "娘",
            "実子",
            "長子",
            "子供",
            "子ども",
            "こども",
            "嫡出子",
            "嫡出でない子",
            "非嫡出子",
        )
    },
}
# 長男, 二女, 3男, … (NFKC turns ３ into 3 before matching).
_BIRTH_ORDER = re.compile(r"(?:長|次|[二三四五六七八九十]|[0-9]+)[男女]")
_CHILD_HINT = "「子」" + _USE


def _forbidden_hint(token: str) -> str | None:
    if token in _FORBIDDEN:
        return _FORBIDDEN[token]
    if _BIRTH_ORDER.fullmatch(token):
        return _CHILD_HINT
    return None


_WHITESPACE = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    """Width/space normalisation only: NFKC, drop all whitespace, full-width parentheses.

    Does not validate; :func:`validate_relationship` does.
    """
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = _WHITESPACE.sub("", folded)
    return folded.replace("(", "（").replace(")", "）")


def _split_links(text: str) -> list[str] | None:
    """Split on 「の」 outside parentheses; ``None`` if the parentheses are malformed."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch == "（":
            if depth:
                return None  # nested parentheses never occur in §1.1.11
            depth += 1
        elif ch == "）":
            if not depth:
                return None
            depth -= 1
        if ch == JOINER and not depth:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    if depth:
        return None
    parts.append("".join(current))
    return parts


def _format_error(text: str) -> RelationshipError:
    return RelationshipError(f"続柄「{text}」の形式が正しくありません")


def _canonical(text: str | None) -> str:
    """Validate the grammar of §1.1.11 ①–⑤ and return the canonical spelling."""
    norm = normalize(text)
    if not norm:
        raise RelationshipError("続柄が空です")
    if norm in _STANDALONE:
        return norm
    hint = _forbidden_hint(norm)
    if hint is not None:
        raise RelationshipError(f"続柄「{norm}」は使えません。{hint}")

    parts = _split_links(norm)
    if parts is None or any(not part for part in parts):
        # Unbalanced parentheses, or a leading / trailing / doubled 「の」.
        raise _format_error(norm)

    if len(parts) == 1:
        if parts[0] not in _BASE_SET:
            raise RelationshipError(f"続柄「{norm}」は使えません")
        return norm

    for index, part in enumerate(parts):
        if part in _BASE_SET:
            continue
        if part in _STANDALONE:
            if index == 0 and part == HEAD:
                # 「世帯主の子」: every 続柄 is already relative to the 世帯主.
                rest = JOINER.join(parts[1:])
                try:
                    suggestion = _canonical(rest)
                except RelationshipError:
                    raise _format_error(norm) from None
                raise RelationshipError(f"続柄「{norm}」は使えません。「{suggestion}」{_USE}")
            raise RelationshipError(
                f"続柄「{norm}」は使えません。「世帯主」「縁故者」「同居人」は「の」でつなげられません"
            )
        hint = _forbidden_hint(part)
        if hint is not None:
            raise RelationshipError(f"続柄「{norm}」に使えない語「{part}」が含まれています。{hint}")
        raise RelationshipError(f"続柄「{norm}」に使えない語「{part}」が含まれています")

    if len(parts) > MAX_GENERATIONS:
        raise RelationshipError(f"続柄「{norm}」は5世代以上のため「{RELATIVE_BY_CUSTOM}」{_USE}")
    return norm


def validate_relationship(text: str | None, *, foreign: bool = False, documented: bool = True) -> str:
    """Return the canonical 続柄 or raise :class:`RelationshipError` (住民記録システム標準仕様書 §1.1.11).

    ``foreign`` marks a 外国人住民; ``documented`` says whether the relationship to the 世帯主 was
    confirmed by a document (受理証明書, 結婚証明書, 出生証明書, 住民票の写し, …).  Without one, a
    foreign resident's 続柄 must be 「縁故者」 (「世帯主」 and 「同居人」 state no kinship and stay
    allowed).
    """
    canonical = _canonical(text)
    if foreign and not documented and canonical not in _STANDALONE:
        raise RelationshipError(
            "外国人住民の続柄は、親族関係を証する文書がない場合「縁故者」と記載してください"
        )
    return canonical


def links(relationship: str) -> tuple[str, ...]:
    """The ② terms of a valid chain, e.g. 「妻の父」 → ("妻", "父"); () for 世帯主/縁故者/同居人."""
    canonical = _canonical(relationship)
    if canonical in _STANDALONE:
        return ()
    parts = _split_links(canonical)
    assert parts is not None  # guaranteed by _canonical
    return tuple(parts)


def generations(relationship: str) -> int:
    """Number of 世代 (links joined by 「の」, counted mechanically as §1.1.11 ③ defines).

    「子」 → 1, 「子の子の子」 → 3, 「子（子の妻）」 → 1.  世帯主, 縁故者 and 同居人 are not chains → 0.
    """
    return len(links(relationship))


def is_spouse(relationship: str) -> bool:
    """True for the 世帯主's 配偶者: 夫, 妻, 夫（未届）, 妻（未届） (§1.1.11 ②, §5.2 1-2)."""
    return _canonical(relationship) in SPOUSE_TERMS


def is_head(relationship: str) -> bool:
    """True for 「世帯主」 (§1.1.11 ①)."""
    return _canonical(relationship) == HEAD


def check_single_head(relationships: Iterable[str], *, allow_no_head: bool = False) -> None:
    """A 世帯 has exactly one 世帯主 and at most one 配偶者 of the 世帯主.

    Each value is validated first (§1.1.11).  §1.1.10 allows a 世帯 to be stored with the 世帯主
    not yet set (世帯主未設定); pass ``allow_no_head=True`` where that state is acceptable.
    """
    canonical = [_canonical(rel) for rel in relationships]
    heads = canonical.count(HEAD)
    if heads == 0 and not allow_no_head:
        raise RelationshipError("世帯主がいません")
    if heads > 1:
        raise RelationshipError(f"世帯主が{heads}人います（世帯主は1世帯に1人です）")
    spouses = sum(1 for rel in canonical if rel in SPOUSE_TERMS)
    if spouses > 1:
        raise RelationshipError(f"世帯主の配偶者が{spouses}人います")
