"""The population pyramid: persons by age and sex on a day as PNG or SVG, with the same day a year
earlier drawn as an outline, for the CLI, the API and the statistics dashboard.

Drawn with matplotlib (Agg, no display; the object API, not pyplot, so requests in threads share
no figure) in the project's BIZ UD Gothic (the Debian font ``scripts/setup.sh`` installs and the
certificates print with): one figure gives both formats and the axes, ticks and legend are
matplotlib's, not code of ours. The SVG keeps its text as text (``svg.fonttype`` none): it can be
searched and read aloud, and BIZ UDゴシック ships with Windows 10 and later, the 庁内 PCs. A label
the font cannot draw would come out as a blank box (tofu): that is an error here, never an image.

The counts are the registry door's census (``census_on(day, by=("sex", "age"))``, the rules in
docs/statistics.md); the year before is ``registry.year_before``'s first day, so a pyramid of
2月29日 compares with 3月1日, as the survey's period does.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from yakuba.platform.japanese.wareki import format_seireki, format_wareki
from yakuba.platform.municipalities import lookup
from yakuba.registry import services as registry
from yakuba.statistics.rules.tables import by_age_and_sex
from yakuba.statistics.services.audit import report_made
from yakuba.statistics.services.dates import BadRequest, check_as_of

RESOURCE = "statistics.pyramid"
PURPOSE = "人口ピラミッド"
FORMATS = ("png", "svg")
WIDTHS = (1, 5)
FONT_FILES = (
    Path("/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf"),
    Path("/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Bold.ttf"),
)
FONT = "BIZ UDGothic"
# Blue and vermilion: told apart with every common colour-vision deficiency (the デジタル庁 design
# system's guidance on colour); the year before is an outline in dark grey.
MALE, FEMALE, PREVIOUS = "#0055AD", "#D7492B", "#333333"


@dataclass(frozen=True)
class Pyramid:
    """Persons per age group (youngest first) and sex; ``previous_*`` are the same day a year
    earlier (None when not compared)."""

    lg_code: str
    as_of: date
    width: int
    groups: list[str]
    male: list[int]
    female: list[int]
    previous_day: date | None = None
    previous_male: list[int] | None = None
    previous_female: list[int] | None = None


def _counts(day: date, width: int) -> dict[str, dict[str, int]]:
    census = registry.census_on(day, by=("sex", "age"))
    return by_age_and_sex(((c.sex, c.age, c.persons) for c in census.persons), width)


def pyramid(lg_code: str, as_of: date, *, width: int = 5, compare: bool = True) -> Pyramid:
    """The counts of the pyramid on ``as_of`` (one census, two when compared); not audited —
    ``pyramid_image`` is the report."""
    check_as_of(as_of)
    if width not in WIDTHS:
        raise BadRequest("bands", f"年齢の刻みは 1 または 5 を指定してください: {width}")
    now = _counts(as_of, width)
    found = Pyramid(
        lg_code,
        as_of,
        width,
        list(now),
        [c["male"] for c in now.values()],
        [c["female"] for c in now.values()],
    )
    if not compare:
        return found
    before = registry.year_before(as_of)[0]
    then = _counts(before, width)
    return Pyramid(
        **{
            **found.__dict__,
            "previous_day": before,
            "previous_male": [c["male"] for c in then.values()],
            "previous_female": [c["female"] for c in then.values()],
        }
    )


def pyramid_image(
    lg_code: str, as_of: date, *, output: str = "png", width: int = 5, compare: bool = True
) -> bytes:
    """The pyramid as ``output`` (png, svg), audited as an export like every report."""
    if output not in FORMATS:
        raise BadRequest("format", f"形式は png または svg を指定してください: {output}")
    data = pyramid(lg_code, as_of, width=width, compare=compare)
    body = render(data, output)
    report_made(
        RESOURCE,
        PURPOSE,
        output,
        as_of=as_of.isoformat(),
        bands=width,
        compared_with=data.previous_day.isoformat() if data.previous_day else None,
        population=sum(data.male) + sum(data.female),
    )
    return body


def day_title(day: date) -> str:
    """令和8年1月1日（2026年1月1日）: 和暦 for the reader, 西暦 beside it."""
    return f"{format_wareki(day)}（{format_seireki(day)}）"


@cache
def _matplotlib():
    """matplotlib set up once per process: Agg, the fonts registered, deterministic SVG. Its
    cache goes under $YAKUBA_VAR (a service account may have no writable home)."""
    from yakuba.platform.database import var_dir

    os.environ.setdefault("MPLCONFIGDIR", str(var_dir() / "matplotlib"))
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    for path in FONT_FILES:
        if path.exists():
            font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update(
        {
            "font.family": [FONT],
            "svg.fonttype": "none",  # text stays text
            "svg.hashsalt": "yakuba",  # the same figure gives the same file
            "axes.unicode_minus": False,
        }
    )
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    return Figure, FigureCanvasAgg


def _labels(data: Pyramid) -> dict[str, str]:
    """Every text the figure shows, made before drawing so that each glyph can be checked."""
    return {
        "title": f"{lookup(data.lg_code).full_name}の人口ピラミッド",
        "subtitle": f"{day_title(data.as_of)}現在　{'各歳' if data.width == 1 else '5歳階級'}",
        "male": f"男（{sum(data.male):,}人）",
        "female": f"女（{sum(data.female):,}人）",
        "previous": f"1年前（{format_seireki(data.previous_day)}）" if data.previous_day else "",
        "x": "人口（人）",
        "y": "年齢",
        "groups": "".join(_age_label(g) for g in data.groups),
    }


@cache
def _glyphs() -> frozenset[int]:
    """The characters the font can draw (matplotlib would draw any other as an empty box)."""
    _matplotlib()
    from matplotlib import font_manager, ft2font

    try:
        path = font_manager.findfont(FONT, fallback_to_default=False)
    except ValueError:
        return frozenset()
    return frozenset(ft2font.FT2Font(path).get_charmap())


def render(data: Pyramid, output: str) -> bytes:
    """Men to the left, women to the right, the youngest at the bottom; the year before as an
    outline over the bars. RuntimeError, before anything is drawn, for a character the font
    lacks (no font installed): an image with tofu is never made."""
    labels = _labels(data)
    glyphs = _glyphs()
    missing = sorted(
        {c for text in labels.values() for c in text if not c.isspace() and ord(c) not in glyphs}
    )
    if missing:
        raise RuntimeError(
            f"font {FONT} lacks glyphs {''.join(missing)!r} (apt-get install fonts-morisawa-bizud-gothic)"
        )
    figure_class, canvas_class = _matplotlib()
    fig = figure_class(figsize=(8, 6.4), dpi=100)
    canvas_class(fig)
    ax = fig.add_subplot()
    rows = range(len(data.groups))
    height = 0.9 if data.width == 5 else 1.0
    ax.barh(rows, [-m for m in data.male], height=height, color=MALE, label=labels["male"])
    ax.barh(rows, data.female, height=height, color=FEMALE, label=labels["female"])
    if data.previous_day:
        outline = {"height": height, "fill": False, "edgecolor": PREVIOUS, "linewidth": 0.8}
        ax.barh(rows, [-m for m in data.previous_male], label=labels["previous"], **outline)
        ax.barh(rows, data.previous_female, **outline)
    widest = max([1, *data.male, *data.female, *(data.previous_male or []), *(data.previous_female or [])])
    ax.set_xlim(-widest * 1.08, widest * 1.08)
    ax.set_ylim(-0.5, len(data.groups) - 0.5)
    step = 1 if data.width == 5 else 10
    ax.set_yticks(list(rows)[::step], [_age_label(g) for g in data.groups][::step])
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{abs(int(x)):,}")
    ax.axvline(0, color="#000000", linewidth=0.6)
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    ax.text(0.0, 1.01, "男", transform=ax.transAxes, fontsize=16, color=MALE, va="bottom")
    ax.text(1.0, 1.01, "女", transform=ax.transAxes, fontsize=16, color=FEMALE, va="bottom", ha="right")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, fontsize=9, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(labels["title"], fontsize=14, fontweight="bold")
    ax.set_title(labels["subtitle"], fontsize=11)
    fig.tight_layout()
    out = io.BytesIO()
    title = f"{labels['title']}（{format_seireki(data.as_of)}現在）"
    fig.savefig(out, format=output, metadata={"Title": title, **({"Date": None} if output == "svg" else {})})
    return out.getvalue()


def _age_label(group: str) -> str:
    return group.replace("-", "～") if "-" in group else group.replace("+", "以上")
