"""Who must file a 届出 that the 戸籍 as a whole makes (civil-facts §3.2).

転籍 (戸籍法108条1項) and 氏の変更 (107条1項): 「戸籍の筆頭に記載した者及びその配偶者」 file together —
both while both are in the 戸籍; the one left when the other has left it (death, 離婚); nobody when
neither is in it (a child then makes a 戸籍 of their own by 分籍, 法21条, and files for that one).
"""

from __future__ import annotations

Refusal = tuple[str, str]

BOTH = "{kind}の届出人は筆頭者及びその配偶者です（戸籍法{article}）。届出人に加えてください: {missing}"
NOBODY = "筆頭者も配偶者も在籍していないため{kind}はできません（分籍の届出をしてください）"
TRANSFER = ("転籍", "108条")
SURNAME = ("氏の変更", "107条1項")


def couple_filers(
    heads: dict[str, str], filers: set[str], which: tuple[str, str] = TRANSFER
) -> list[Refusal]:
    """``heads``: {person_id: 氏名} of the 筆頭者 and 配偶者 still in the 戸籍; ``filers``: the
    person_ids who signed the 届書; ``which``: the 届出 and its article (``TRANSFER``, ``SURNAME``)."""
    kind, article = which
    if not heads:
        return [("filer_ids", NOBODY.format(kind=kind))]
    missing = [name for person_id, name in heads.items() if person_id not in filers]
    if missing:
        return [("filer_ids", BOTH.format(kind=kind, article=article, missing="、".join(missing)))]
    return []
