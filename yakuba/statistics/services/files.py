"""The reports as files: CSV for machines, XLSX laid out like the survey's forms for people.

CSV follows the 機械可読性ルール as the issue and standards §10 summarise them: UTF-8 (without a
BOM: a BOM is a byte a program must know to drop from the first column's name), one header row,
one record per line, no merged cells, no total rows a program can add up itself, 西暦 dates,
the 全国地方公共団体コード in the first column, CRLF line ends (RFC 4180). A figure that does
not exist (a 転入 has no 男女 split in the survey) is an empty cell, never 0.

XLSX is for a person to read and to paste into the prefecture's form: one sheet per 区分 (総計,
日本人住民, 外国人住民) or per table, a title and the 基準日 above, two-level headers with merged
cells, and the totals the forms show.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date

from yakuba.platform.japanese.wareki import format_seireki
from yakuba.platform.municipalities import lookup
from yakuba.statistics.rules.tables import BANDS, REMOVED
from yakuba.statistics.services.monthly import NO_TOWN
from yakuba.statistics.services.population import SECTIONS, PopulationReport

SEX = ("male", "female", "total")
LG = "全国地方公共団体コード"

# The survey's 人口動態 items in the forms' order: (JSON side, key, header).
RECORDED_ITEMS = (
    ("recorded", "move_in_domestic", "転入者数（国内）"),
    ("recorded", "move_in_abroad", "転入者数（国外）"),
    ("recorded", "birth", "出生者数"),
    ("recorded", "other", "その他の記載"),
    ("recorded", "total", "住民票記載数 計"),
)
REMOVED_ITEMS = (
    ("removed", "move_out_domestic", "転出者数（国内）"),
    ("removed", "move_out_abroad", "転出者数（国外）"),
    ("removed", "death", "死亡者数"),
    ("removed", "other", "その他の消除"),
    ("removed", "total", "住民票消除数 計"),
)


def band_label(band: str) -> str:
    """ "0-4" → 0～4歳, "7" → 7歳, "100+" → 100歳以上."""
    return f"{band[:-1]}歳以上" if band.endswith("+") else band.replace("-", "～") + "歳"


def day_label(day: str) -> str:
    return f"{format_seireki(date.fromisoformat(day))}現在"


def _town(lg_code: str) -> str:
    return f"{lg_code} {lookup(lg_code).full_name}"


# --- CSV ------------------------------------------------------------------------------------


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def population_csv(report: dict) -> bytes:
    """One record per 区分 and item: 人口, 世帯数, each 人口動態 item, each age band."""
    rows = []
    lead = [report["lg_code"], report["as_of"], report["period"]["from"], report["period"]["to"]]
    for key, section in SECTIONS.items():
        t = report["tables"][key]
        rows.append([*lead, section, "人口", *(t["population"][s] for s in SEX)])
        rows.append([*lead, section, "世帯数", "", "", t["households"]])
        for side, item, label in (*RECORDED_ITEMS, *REMOVED_ITEMS):
            rows.append([*lead, section, label, "", "", t[side][item]])
        rows.append([*lead, section, "自然増減", "", "", t["natural_change"]])
        rows.append([*lead, section, "社会増減", "", "", t["social_change"]])
        for b in t["age_bands"]:
            rows.append([*lead, section, band_label(b["band"]), *(b[s] for s in SEX)])
    return csv_bytes(
        [LG, "基準日", "人口動態期間開始日", "人口動態期間終了日", "区分", "項目", "男", "女", "計"], rows
    )


def monthly_csv(table: dict) -> bytes:
    lg = table["lg_code"]
    if table["table"] == "town":
        keys = ("households", *SEX, "japanese", "foreign")
        return csv_bytes(
            [LG, "基準日", "町字", "世帯数", "男", "女", "計", "日本人住民", "外国人住民"],
            [[lg, table["as_of"], r["town_area"] or NO_TOWN, *(r[k] for k in keys)] for r in table["rows"]],
        )
    if table["table"] == "age":
        return csv_bytes(
            [LG, "基準日", "年齢", "男", "女", "計"],
            [[lg, table["as_of"], r["age"], *(r[s] for s in SEX)] for r in table["rows"]],
        )
    period = [table["period"]["from"], table["period"]["to"]]
    return csv_bytes(
        [LG, "期間開始日", "期間終了日", "区分", "項目", "男", "女", "計"],
        [
            [lg, *period, SECTIONS[section], r["label"], *(r[section][s] for s in SEX)]
            for section in SECTIONS
            for r in table["rows"]
        ],
    )


# --- XLSX -----------------------------------------------------------------------------------


@dataclass
class Block:
    """One table on a sheet. In ``header``, None continues the cell to its left and "" (below
    the first header row) the cell above: they are merged."""

    caption: str
    header: list[list]
    rows: list[list]
    bold_rows: set[int] = field(default_factory=set)  # totals


@dataclass
class Sheet:
    name: str
    heading: list[str]
    blocks: list[Block]


def _write_xlsx(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        ws.column_dimensions["A"].width = 22
        line = 1
        for i, text in enumerate(sheet.heading):
            ws.cell(line, 1, text).font = Font(bold=i == 0, size=14 if i == 0 else 11)
            line += 1
        for block in sheet.blocks:
            line += 1
            ws.cell(line, 1, block.caption).font = Font(bold=True)
            line += 1
            for r, values in enumerate(block.header):
                for c, value in enumerate(values, start=1):
                    cell = ws.cell(line, c, value or None)
                    cell.font, cell.border = Font(bold=True), box
                    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                    if value is None and c > 1:
                        continue
                    width = 1 + next((i for i, v in enumerate(values[c:]) if v is not None), len(values) - c)
                    height = 1
                    while r + height < len(block.header) and block.header[r + height][c - 1] == "" and value:
                        height += 1
                    if width > 1 or height > 1:
                        ws.merge_cells(
                            start_row=line,
                            start_column=c,
                            end_row=line + height - 1,
                            end_column=c + width - 1,
                        )
                line += 1
            for r, values in enumerate(block.rows):
                for c, value in enumerate(values, start=1):
                    cell = ws.cell(line, c, value)
                    cell.border = box
                    if isinstance(value, int):
                        cell.number_format = "#,##0"
                    if r in block.bold_rows:
                        cell.font = Font(bold=True)
                line += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def population_xlsx(report: PopulationReport) -> bytes:
    """One sheet per 区分: 人口・世帯数, 人口動態, 年齢階級別人口."""
    data = report.json
    period = data["period"]
    sheets = []
    for key, section in SECTIONS.items():
        t = data["tables"][key]
        households = [t["households"]]
        household_header = [["人口", None, None, "世帯数"], ["男", "女", "計", ""]]
        if key == "total":
            household_header = [
                ["人口", None, None, "世帯数", None, None, None],
                ["男", "女", "計", "計", "日本人住民のみ", "外国人住民のみ", "複数国籍世帯"],
            ]
            households += [report.japanese_only, report.foreign_only, report.mixed]
        flows = [t[side][item] for side, item, _ in (*RECORDED_ITEMS, *REMOVED_ITEMS)]
        bands = [[band_label(b["band"]), *(b[s] for s in SEX)] for b in t["age_bands"]]
        sheets.append(
            Sheet(
                section,
                [
                    f"住民基本台帳に基づく人口、人口動態及び世帯数（{section}）",
                    f"{_town(data['lg_code'])}　{day_label(data['as_of'])}",
                    f"人口動態の期間: {format_seireki(date.fromisoformat(period['from']))}～"
                    f"{format_seireki(date.fromisoformat(period['to']))}",
                ],
                [
                    Block(
                        "人口・世帯数", household_header, [[*(t["population"][s] for s in SEX), *households]]
                    ),
                    Block(
                        "人口動態",
                        [
                            [
                                "住民票記載数",
                                None,
                                None,
                                None,
                                None,
                                "住民票消除数",
                                None,
                                None,
                                None,
                                None,
                                "自然増減",
                                "社会増減",
                            ],
                            [
                                *(label for _s, _k, label in RECORDED_ITEMS),
                                *(label for _s, _k, label in REMOVED_ITEMS),
                                "",
                                "",
                            ],
                        ],
                        [[*flows, t["natural_change"], t["social_change"]]],
                    ),
                    Block(
                        "年齢階級別人口",
                        [["年齢", "男", "女", "計"]],
                        [*bands, ["総数", *(t["population"][s] for s in SEX)]],
                        {len(BANDS)},
                    ),
                ],
            )
        )
    return _write_xlsx(sheets)


def monthly_xlsx(table: dict) -> bytes:
    town = _town(table["lg_code"])
    if table["table"] == "town":
        keys = ("households", *SEX, "japanese", "foreign")
        rows = [[r["town_area"] or NO_TOWN, *(r[k] for k in keys)] for r in table["rows"]]
        rows.append(["合計", *(table["total"][k] for k in keys)])
        header = [
            ["町字", "世帯数", "人口", None, None, "うち日本人住民", "うち外国人住民"],
            ["", "", "男", "女", "計", "", ""],
        ]
        sheet = Sheet(
            "町字別人口",
            ["町字別人口・世帯数", f"{town}　{day_label(table['as_of'])}"],
            [Block("町字別", header, rows, {len(rows) - 1})],
        )
    elif table["table"] == "age":
        rows = [[band_label(r["age"]), *(r[s] for s in SEX)] for r in table["rows"]]
        rows.append(["総数", *(table["total"][s] for s in SEX)])
        sheet = Sheet(
            "年齢別人口",
            ["年齢別（各歳）男女別人口", f"{town}　{day_label(table['as_of'])}"],
            [Block("各歳別", [["年齢", "男", "女", "計"]], rows, {len(rows) - 1})],
        )
    else:
        sections = list(SECTIONS)[1:] + ["total"]
        header = [
            ["項目", *(x for s in sections for x in (SECTIONS[s], None, None))],
            ["", *(x for _s in sections for x in ("男", "女", "計"))],
        ]
        rows, bold = [], set()
        recorded = [r for r in table["rows"] if r["flow"] not in REMOVED]
        removed = [r for r in table["rows"] if r["flow"] in REMOVED]
        for part, label in ((recorded, "住民票記載数 計"), (removed, "住民票消除数 計")):
            for r in part:
                rows.append([r["label"], *(r[s][x] for s in sections for x in SEX)])
            rows.append([label, *(sum(r[s][x] for r in part) for s in sections for x in SEX)])
            bold.add(len(rows) - 1)
        period = table["period"]
        sheet = Sheet(
            "人口動態",
            [
                "住民票の記載・消除（人口動態）",
                f"{town}　{format_seireki(date.fromisoformat(period['from']))}～{format_seireki(date.fromisoformat(period['to']))}",
            ],
            [Block("記載・消除の事由別", header, rows, bold)],
        )
    return _write_xlsx([sheet])


REPORT_FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def _json(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def population_file(report: PopulationReport, output: str) -> bytes:
    """The report in ``output`` (json, csv, xlsx)."""
    if output == "csv":
        return population_csv(report.json)
    return population_xlsx(report) if output == "xlsx" else _json(report.json)


def monthly_file(table: dict, output: str) -> bytes:
    """A monthly table in ``output`` (json, csv, xlsx)."""
    if output == "csv":
        return monthly_csv(table)
    return monthly_xlsx(table) if output == "xlsx" else _json(table)
