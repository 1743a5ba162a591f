"""Finding a 附票 for the 戸籍係's 照会 screen: by 本籍, 筆頭者, the 氏名 or 住民票コード of a person on it
(spaces ignored: the registry, the 戸籍 and other towns space names differently), a keyset page
of 附票 in the order they were opened here. Two statements a page whatever its size; one audit
row naming what was asked (the page shows 本籍 and 筆頭者, which are the 戸籍's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Replace

from yakuba.koseki_annex.models import Annex, Departure, Entry
from yakuba.platform.audit.log import Action, record

PAGE = 50


@dataclass(frozen=True)
class Found:
    honseki: str
    hittosha: str
    opened_on: date
    closed: bool  # a 除附票: everyone on it has left


@dataclass(frozen=True)
class FoundPage:
    rows: list[Found]
    next_after: int | None  # the keyset of the next page, None on the last


def _plain(field: str):
    return Replace(Replace(field, Value(" "), Value("")), Value("\u3000"), Value(""))


def find_annexes(
    *, honseki: str = "", hittosha: str = "", name: str = "", juminhyo_code: str = "", after: int = 0
) -> FoundPage:
    """The 附票 whose 本籍 and 筆頭者 contain what was typed, and that hold a person whose 氏名
    contains ``name`` (and whose 住民票コード is ``juminhyo_code``: every 附票 a person has been
    on); at least one of them must be given (else an empty page)."""
    honseki, hittosha, name, juminhyo_code = (
        "".join(v.split()) for v in (honseki, hittosha, name, juminhyo_code)
    )
    if not (honseki or hittosha or name or juminhyo_code):
        return FoundPage([], None)
    rows = Annex.objects.annotate(plain_honseki=_plain("honseki"), plain_hittosha=_plain("hittosha"))
    if honseki:
        rows = rows.filter(plain_honseki__contains=honseki)
    if hittosha:
        rows = rows.filter(plain_hittosha__contains=hittosha)
    if name:
        named = Entry.objects.annotate(plain=_plain("name")).filter(
            annex=OuterRef("pk"), plain__contains=name
        )
        rows = rows.filter(Exists(named))
    present = Entry.objects.filter(annex=OuterRef("pk")).exclude(
        juminhyo_code__in=Departure.objects.filter(annex=OuterRef(OuterRef("pk"))).values("juminhyo_code")
    )
    page = list(
        rows.filter(pk__gt=after)
        .annotate(open_=Exists(present))
        .order_by("pk")
        .values_list("pk", "honseki", "hittosha", "opened_on", "open_")[: PAGE + 1]
    )
    record(
        Action.READ,
        "koseki_annex.annex",
        purpose="戸籍の附票の照会（検索）",
        subjects=[juminhyo_code] if juminhyo_code else [],
        detail={"honseki": honseki, "hittosha": hittosha, "name": name, "found": len(page[:PAGE])},
    )
    more = len(page) > PAGE
    page = page[:PAGE]
    return FoundPage(
        [Found(h, f, opened, not open_) for _pk, h, f, opened, open_ in page],
        page[-1][0] if more else None,
    )
