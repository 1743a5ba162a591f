"""A certificate on paper: the document laid out on A4 portrait sheets, the 認証文 with the
date, 認証者 and 公印 on the last page only, the 発行番号 and the QR code on every page.

Sources (docs/reference/registry-facts.md §12; 住民記録システム標準仕様書 §5): 認証文 + 電子公印 +
発行番号, the 認証文 on the last page (§5.1); the 発行番号 as 発行年月日・市区町村名・発行端末・
プリンタ番号・連番・頁/総頁 (§5.5, e.g. ``20200502 ●●市 本庁1 プリンタ001 011 1/2``); 「公用」
(§5.7); text that does not fit its box is printed smaller, and what still does not fit is
reported before anything is printed (§5.8). Fonts and the page come from ``yakuba.platform.pdf``.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from yakuba.certificates.codes import Layout
from yakuba.certificates.services.content import Document, Item, Person, wareki
from yakuba.platform import pdf
from yakuba.registry.services import RuleViolation

TEMPLATE = "certificates/certificate.html"
STYLESHEET = "certificates/certificate.css"  # parsed once per process thread (platform.pdf)
# The 戸籍 and 附票 certificates: titled blocks of lines (content.Block) that flow over pages;
# their text wraps in its line, so nothing is fitted or refused for length.
REGISTER_TEMPLATE = "certificates/register.html"
REGISTER_STYLESHEET = "certificates/register.css"
REGISTERS = frozenset({Layout.KOSEKI, Layout.ANNEX})

# The boxes of the template (certificate.css): the page's text width, the label column, the
# number column before each person, in millimetres.
TEXT_WIDTH = 180.0
LABEL_WIDTH = 24.0
NUMBER_WIDTH = 7.0
PADDING = 3.0  # left + right padding of a value cell
# Font sizes a value may take, largest first (pt); the CSS classes fs0 … fs3.
SIZES = (9.5, 8.0, 7.0, 6.0)
NAME_SIZES = (12.0, 10.0, 8.5, 7.0, 6.0)  # 氏名 prints larger; the same steps after the first
LABEL_SIZES = (7.5, 6.5, 5.5)  # the classes l0 … l2
LINES = {"address": 2, "history": 3}  # lines a box holds; every other box holds one
# Heights the page budget counts on (mm): a one-line row, a box of two or three lines, the 氏名
# row; the room for persons under the title and 世帯 items; the 認証文 block.
ROW_HEIGHTS = {"line": 6.2, "address": 10.0, "history": 14.0, "name": 7.6}
PERSONS_HEIGHT = 222.0
ATTESTATION_HEIGHT = 44.0
PT = 25.4 / 72  # millimetres a point
SAFETY = 0.94  # glyph widths and kerning vary a little: keep a margin


class Overflow(RuleViolation):
    """Text that does not fit its box even in the smallest print (§5.8): nothing is printed."""


@dataclass(frozen=True)
class IssueInfo:
    number: str  # 証明書番号, e.g. 20261206-000011 (also in the QR)
    issued_on: date
    municipality: str  # 会津若松市
    terminal: str  # 本庁1
    printer: str  # プリンタ001
    serial: int  # 11
    certifier_title: str  # 会津若松市長
    certifier_name: str
    seal_png: bytes  # empty: a drawn box 「公印」
    qr_svg: str  # inline SVG (qr.qr_svg); may be empty

    def issue_number(self) -> str:
        """§5.5 without the page part: ``20261206 会津若松市 本庁1 プリンタ001 000011``."""
        parts = (
            f"{self.issued_on:%Y%m%d}",
            self.municipality,
            self.terminal,
            self.printer,
            f"{self.serial:06d}",
        )
        return " ".join(parts)


# --- fitting -----------------------------------------------------------------------------


def text_width(text: str) -> float:
    """Width in full-width characters: BIZ UD fonts set half-width characters in half a cell."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "FWA" else 0.5 for c in text if not _combining(c))


def _combining(c: str) -> bool:
    # Variation selectors (IVS: U+E0100…, U+FE00…) and combining marks take no width.
    return unicodedata.combining(c) or "\ufe00" <= c <= "\ufe0f" or "\U000e0100" <= c <= "\U000e01ef"


def size_class(item: Item, box_mm: float) -> int | None:
    """The index of the largest size at which ``item`` fits its box, or None."""
    sizes = NAME_SIZES if item.label == "氏名" else SIZES
    lines = LINES.get(item.key, 1)
    width = text_width(item.value)
    for index, size in enumerate(sizes):
        per_line = (box_mm - PADDING) * SAFETY / (size * PT)
        if width <= per_line * lines:
            return index
    return None


def label_class(label: str) -> int:
    """Labels are ours and one line: the largest of LABEL_SIZES that fits the label column."""
    per_char = (LABEL_WIDTH - PADDING) * SAFETY / text_width(label)
    return next((i for i, size in enumerate(LABEL_SIZES) if size * PT <= per_char), len(LABEL_SIZES) - 1)


def value_width(count: int, *, wide: bool, in_person: bool) -> float:
    """The width of a value box in a row of ``count`` items (certificate.css: equal columns)."""
    text = TEXT_WIDTH - (NUMBER_WIDTH if in_person else 0.0)
    if wide:
        return text - LABEL_WIDTH
    return text / count - LABEL_WIDTH


def _row(items: tuple[Item, ...], *, in_person: bool, whom: str, errors: list) -> list[dict]:
    cells = []
    for item in items:
        box = value_width(len(items), wide=item.wide, in_person=in_person)
        fitted = size_class(item, box)
        if fitted is None:
            errors.append(
                (
                    item.key,
                    f"{whom}の{item.label}が長すぎて証明書の欄に収まりません"
                    f"（{len(item.value)}文字）。記載内容を確認してください",
                )
            )
            fitted = len(SIZES) - 1
        name = " fullname" if item.label == "氏名" else ""
        cells.append(
            {
                "label": item.label,
                "label_css": f"l{label_class(item.label)}",
                "value": item.value,
                "css": f"fs{fitted}{name}",
                "key": item.key,
            }
        )
    return cells


def layout(document: Document) -> list[dict]:
    """The sheets as the template prints them, each value with its font-size class; raises
    ``Overflow`` naming every person and item that does not fit, before anything is printed."""
    errors: list[tuple[str, str]] = []
    sheets = []
    for index, sheet in enumerate(document.sheets):
        household = _row(sheet.household[:1], in_person=False, whom="世帯", errors=errors)
        household += _row(sheet.household[1:], in_person=False, whom="世帯", errors=errors)
        persons = [
            {
                "position": sheet.first_position + offset,
                "rows": [_row(r, in_person=True, whom=_whom(p), errors=errors) for r in p.rows],
                "foreign": p.foreign,
            }
            for offset, p in enumerate(sheet.persons)
        ]
        sheets += [
            {"household": household, "persons": part}
            for part in _pages_of(persons, last=index == len(document.sheets) - 1)
        ]
    if errors:
        raise Overflow(list(dict.fromkeys(errors)))
    return sheets


def _height(person: dict) -> float:
    """Estimated height of a person's table in millimetres (certificate.css row heights)."""
    return sum(
        max(ROW_HEIGHTS.get(cell["key"], ROW_HEIGHTS["line"]) for cell in row) for row in person["rows"]
    )


def _pages_of(persons: list[dict], *, last: bool) -> list[list[dict]]:
    """A sheet's persons split where they would not fit one page: a 世帯連記式 sheet holds at
    most four persons, fewer when theirs are long (every option, 通称の履歴, 転出先); a sheet
    never runs over its page, so the 発行番号's page count is the count of sheets. The last
    page keeps room for the 認証文."""
    parts: list[list[dict]] = [[]]
    used = 0.0
    for person in persons:
        height = _height(person)
        if parts[-1] and used + height > PERSONS_HEIGHT:
            parts.append([])
            used = 0.0
        parts[-1].append(person)
        used += height
    if last and len(parts[-1]) > 1 and used + ATTESTATION_HEIGHT > PERSONS_HEIGHT:
        parts.append([parts[-1].pop()])
    return parts


def _whom(person: Person) -> str:
    return f"{person.name}（宛名番号 {person.atena_no}）"


# --- printing ----------------------------------------------------------------------------


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (the 発行番号 goes into an @page margin box)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def _data_url(image: bytes) -> str:
    """The document's image inline (WeasyPrint reads a data URL; PNG or JPEG by its signature)."""
    if not image:
        return ""
    kind = "jpeg" if image.startswith(b"\xff\xd8\xff") else "png"
    return f"data:image/{kind};base64,{base64.b64encode(image).decode()}"


def context(document: Document, info: IssueInfo) -> dict:
    seal = base64.b64encode(info.seal_png).decode() if info.seal_png else ""
    return {
        "document": document,
        "individual": document.layout == Layout.INDIVIDUAL,
        "sheets": document.sheets if document.layout in REGISTERS else layout(document),
        "as_of": wareki(document.as_of) if document.as_of else "",
        "issued_on": wareki(info.issued_on),
        "info": info,
        "issue_number_css": css_string(info.issue_number() + " "),
        "seal_data_url": f"data:image/png;base64,{seal}" if seal else "",
        "image_data_url": _data_url(document.image),
        "qr_svg": info.qr_svg,
    }


def render(document: Document, info: IssueInfo) -> tuple[bytes, int]:
    """(the unsigned PDF, its number of pages)."""
    if document.layout in REGISTERS:
        stylesheets = (STYLESHEET, REGISTER_STYLESHEET)
        return pdf.render_counted(REGISTER_TEMPLATE, context(document, info), stylesheets=stylesheets)
    return pdf.render_counted(TEMPLATE, context(document, info), stylesheets=(STYLESHEET,))


def render_png(document: Document, info: IssueInfo, *, dpi: int = 110) -> bytes:
    """The first page as PNG, for the preview on screen (poppler's pdftoppm, installed by
    scripts/setup.sh: WeasyPrint 53+ writes only PDF)."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise RuntimeError("pdftoppm (poppler-utils) is not installed")
    body, _pages = render(document, info)
    with tempfile.TemporaryDirectory(prefix="yakuba-cert-") as folder:
        source = Path(folder) / "certificate.pdf"
        source.write_bytes(body)
        target = Path(folder) / "page"
        command = [
            program,
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(target),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603 — our own files
        return target.with_suffix(".png").read_bytes()
