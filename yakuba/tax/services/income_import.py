"""課税資料 taken in from a file: 給与支払報告書, 公的年金等支払報告書 and 住民税申告書.

A file is taken whole or not at all (docs/tax-income-files.md): ``read_reports`` checks every
row and refuses the file with every bad row named (``12行目 生年月日: …``), so that the clerk
fixes the file once rather than once per error; ``load_reports`` then writes the batch and its
rows in the caller's one transaction. Each person's facts are stored in the shape of the
個人住民税 calculation JSON (docs/reference/contract.md §9.2), so the 当初課税 merges a person's
reports and calculates without translating the file again.

Reports are matched to the persons the municipality taxes: those registered on 1月1日 of the 年度
(地方税法 §318, 賦課期日; §294 ②: the 住所 is the 住民基本台帳 registration). The registry is read only
through its door (``yakuba.registry.services``: by 個人番号, then the persons of that day) with the
purpose 「個人住民税の課税資料の突合」, each read audited there. A row that matches no one, or
several, is stored all the same with an empty 宛名番号 and listed for a clerk to resolve.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date

from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.file_issues import FileRejected, Issue
from yakuba.platform.japanese.checkdigits import is_valid_my_number
from yakuba.platform.japanese.wareki import WarekiError, parse_wareki
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax.codes import Collection, Match, ReportKind
from yakuba.tax.models import ImportBatch, IncomeReport

PURPOSE = "個人住民税の課税資料の突合"
RESOURCE = "tax.income_reports"
MAX_YEN = 100_000_000_000  # the calculation's own limit (services/calculation.py, Yen)
MAX_LINES = 1_000_000
DEPENDENT_SLOTS = 4  # 給与支払報告書（個人別明細書）: 控除対象扶養親族 1–4 (the rest go to 摘要)
NOT_FOUND = "該当なし"
SEVERAL = "複数該当"

# --- the columns of each kind (docs/tax-income-files.md) -----------------------------------------

# Amount columns → where the calculation JSON (contract §9.2) takes them.
_LIFE = {
    "生命保険料（新・一般）": ("deductions", "life_insurance", "new_general"),
    "生命保険料（旧・一般）": ("deductions", "life_insurance", "old_general"),
    "生命保険料（新・個人年金）": ("deductions", "life_insurance", "new_pension"),
    "生命保険料（旧・個人年金）": ("deductions", "life_insurance", "old_pension"),
    "介護医療保険料": ("deductions", "life_insurance", "new_care_medical"),
    "地震保険料": ("deductions", "earthquake_insurance"),
}
_AMOUNTS: dict[str, dict[str, tuple[str, ...]]] = {
    ReportKind.SALARY: {
        "支払金額": ("incomes", "salary"),
        "社会保険料等の金額": ("deductions", "social_insurance"),
        **_LIFE,
    },
    ReportKind.PENSION: {
        "支払金額": ("incomes", "public_pension"),
        "社会保険料等の金額": ("deductions", "social_insurance"),
    },
    ReportKind.DECLARATION: {
        "事業所得": ("incomes", "business"),
        "不動産所得": ("incomes", "real_estate"),
        "配当所得": ("incomes", "dividends"),
        "雑所得": ("incomes", "miscellaneous"),
        "給与収入": ("incomes", "salary"),
        "公的年金等の収入": ("incomes", "public_pension"),
        "社会保険料": ("deductions", "social_insurance"),
        **_LIFE,
        "医療費": ("deductions", "medical_expenses"),
        "寄附金（ふるさと納税）": ("tax_credits", "furusato_donation"),
    },
}
# The report's own income: kept in the facts even when 0, so a report always says what it is.
_MAIN_INCOME = {ReportKind.SALARY: "salary", ReportKind.PENSION: "public_pension"}

_PERSON = ("個人番号", "氏名", "フリガナ", "生年月日", "住所")
_SPOUSE = ("配偶者の生年月日", "配偶者の合計所得")
_DEPENDENTS = tuple(
    column
    for n in range(1, DEPENDENT_SLOTS + 1)
    for column in (f"扶養親族{n}の生年月日", f"扶養親族{n}の合計所得")
)
_SELF = ("本人が障害者", "寡婦", "ひとり親", "勤労学生")

COLUMNS: dict[str, tuple[str, ...]] = {
    ReportKind.SALARY: (
        "指定番号",
        "支払者名称",
        "受給者番号",
        *_PERSON,
        *_AMOUNTS[ReportKind.SALARY],
        *_SPOUSE,
        *_DEPENDENTS,
        *_SELF,
        "普通徴収",
    ),
    ReportKind.PENSION: ("支払者名称", *_PERSON, *_AMOUNTS[ReportKind.PENSION], *_SPOUSE),
    ReportKind.DECLARATION: (*_PERSON, *_AMOUNTS[ReportKind.DECLARATION], *_SPOUSE, *_DEPENDENTS, *_SELF),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    ReportKind.SALARY: ("氏名", "生年月日", "支払金額"),
    ReportKind.PENSION: ("氏名", "生年月日", "支払金額"),
    ReportKind.DECLARATION: ("氏名", "生年月日"),
}
# Longest text each column may hold (the IncomeReport columns).
_LENGTHS = {"指定番号": 20, "支払者名称": 100, "受給者番号": 20, "氏名": 100, "フリガナ": 200, "住所": 200}

_YES = {"1", "○", "〇", "有", "該当"}
_NO = {"", "0"}
_DISABILITY = {"一般": "general", "障害者": "general", "特別": "special", "特別障害者": "special"}
_SINGLE_PARENT = {"母": "mother", "父": "father"}
_SPACES = re.compile(r"\s+")


class ReportsRejected(FileRejected):
    """A file of 課税資料 was refused as a whole; ``issues`` names every bad row and column."""


@dataclass(frozen=True)
class ParsedReport:
    """One row of a file, checked: the person as the payer wrote them and their facts.

    ``single_parent_pending``: the row marks ひとり親 without saying 母 or 父; the calculation
    needs which (their 人的控除額の差 differ, 地方税法 §314の6), so it is taken from the registry's
    性別 when the row is matched (``load_reports``)."""

    line_no: int
    name: str
    name_kana: str
    birth_date: date
    address: str
    facts: dict
    my_number: str = field(default="", repr=False)
    payer_no: str = ""
    payer_name: str = ""
    payee_no: str = ""
    collection: str = Collection.PAYROLL
    single_parent_pending: bool = False


@dataclass(frozen=True)
class ImportSummary:
    """What a load did: the batch, its rows, how many were matched, and the rows for a clerk:
    ``unmatched`` (line, 氏名, 該当なし / 複数該当) and ``notes`` (matched rows to look at)."""

    batch_id: uuid.UUID
    rows: int
    matched: int
    unmatched: list[tuple[int, str, str]]
    notes: list[tuple[int, str, str]] = field(default_factory=list)


# --- reading ---------------------------------------------------------------------------------------


def read_reports(data: bytes, *, kind: str, fiscal_year: int, encoding: str = "utf-8") -> list[ParsedReport]:
    """Every row of a 課税資料 file, checked (CSV with a header line; UTF-8 with or without BOM, or
    cp932). Raises ReportsRejected with every issue of the file; nothing is half-read."""
    kind = ReportKind(kind)
    try:
        text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReportsRejected([Issue(line, "", f"文字コードが {encoding} ではありません")]) from None
    except LookupError:
        raise ReportsRejected(
            [Issue(1, "", f"文字コード {encoding} は使えません（utf-8 か cp932）")]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [_clean(h) for h in next(reader, [])]
    except csv.Error as exc:
        raise ReportsRejected([Issue(1, "", f"CSV として読めません（{exc}）")]) from None
    issues = _header_issues(header, kind)
    known = set(COLUMNS[kind])
    reports: list[ParsedReport] = []
    income_year_end = date(fiscal_year - 1, 12, 31)
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if line > MAX_LINES:
                issues.append(Issue(line, "", f"{MAX_LINES:,} 行を超えています"))
                break
            if len(cells) > len(header):
                issues.append(
                    Issue(line, "", f"列が多すぎます（見出しは {len(header)} 列、この行は {len(cells)} 列）")
                )
                continue
            row = {h: _clean(c) for h, c in zip(header, cells, strict=False) if h in known}
            report = _report(row, line, kind, income_year_end, issues)
            if report is not None:
                reports.append(report)
    except csv.Error as exc:
        issues.append(Issue(reader.line_num, "", f"CSV として読めません（{exc}）"))
    if not issues and not reports:
        issues.append(Issue(2, "", "データの行がありません"))
    if issues:
        issues.sort(key=lambda i: i.line)
        raise ReportsRejected(issues)
    return reports


def _clean(text: str) -> str:
    # Cells are stored as written, only trimmed (strip() takes U+3000 too); amounts and numbers
    # are NFKC-folded where they are read, so full-width digits (１，２３４) are accepted.
    return text.strip()


def _nfkc(row: dict[str, str], column: str) -> str:
    return unicodedata.normalize("NFKC", row.get(column, ""))


def _header_issues(header: list[str], kind: str) -> list[Issue]:
    issues = []
    known = set(COLUMNS[kind])
    label = ReportKind(kind).label
    seen: set[str] = set()
    for column in header:
        if column in seen:
            issues.append(Issue(1, column, "列が重複しています"))
        elif column not in known:
            issues.append(Issue(1, column or "（空の見出し）", f"{label}にない列です"))
        seen.add(column)
    for column in REQUIRED[kind]:
        if column not in seen:
            issues.append(Issue(1, column, "必須の列がありません"))
    return issues


def _report(
    row: dict[str, str], line: int, kind: str, income_year_end: date, issues: list[Issue]
) -> ParsedReport | None:
    before = len(issues)

    def issue(column: str, reason: str) -> None:
        issues.append(Issue(line, column, reason))

    for column, limit in _LENGTHS.items():
        if len(row.get(column, "")) > limit:
            issue(column, f"{limit}文字までです")
    name = row.get("氏名", "")
    if not name and "氏名" in row:
        issue("氏名", "氏名がありません")
    born = _date(row, "生年月日", issue, income_year_end, required=True)
    my_number = unicodedata.normalize("NFKC", row.get("個人番号", "")).replace(" ", "").replace("-", "")
    if my_number:
        if not (len(my_number) == 12 and my_number.isascii() and my_number.isdigit()):
            issue("個人番号", "個人番号は12桁の数字です")
        elif not is_valid_my_number(my_number):
            issue("個人番号", "個人番号の検査数字が正しくありません")

    facts: dict = {}
    for column, path in _AMOUNTS[kind].items():
        amount = _amount(row, column, issue)
        if amount or (len(path) == 2 and path[1] == _MAIN_INCOME.get(kind)):
            _put(facts, path, amount or 0)

    taxpayer, single_parent_pending = _taxpayer(row, issue)
    if taxpayer:
        facts["taxpayer"] = taxpayer
    spouse = _relative(row, "配偶者の生年月日", "配偶者の合計所得", "配偶者", issue, income_year_end)
    if spouse is not None:
        facts["spouse"] = spouse
    dependents = []
    for n in range(1, DEPENDENT_SLOTS + 1):
        relative = _relative(
            row, f"扶養親族{n}の生年月日", f"扶養親族{n}の合計所得", f"扶養親族{n}", issue, income_year_end
        )
        if relative is not None:
            dependents.append(relative)
    if dependents:
        facts["dependents"] = dependents

    flag = _nfkc(row, "普通徴収")
    if flag not in _YES | _NO:
        issue("普通徴収", f"1（普通徴収）か空欄（特別徴収）です: {flag}")
    if kind == ReportKind.SALARY:
        collection = Collection.DIRECT if flag in _YES else Collection.PAYROLL
    elif kind == ReportKind.PENSION:
        collection = Collection.PENSION  # a candidate for 年金特徴 (§321の7の2); the assessment decides
    else:
        collection = Collection.DIRECT

    if len(issues) > before or born is None:
        return None
    return ParsedReport(
        line_no=line,
        name=name,
        name_kana=row.get("フリガナ", ""),
        birth_date=born,
        address=row.get("住所", ""),
        facts=facts,
        my_number=my_number,
        payer_no=row.get("指定番号", ""),
        payer_name=row.get("支払者名称", ""),
        payee_no=row.get("受給者番号", ""),
        collection=collection,
        single_parent_pending=single_parent_pending,
    )


def _date(row, column: str, issue, income_year_end: date, *, required: bool = False) -> date | None:
    text = row.get(column, "")
    if not text:
        if required and column in row:
            issue(column, "生年月日がありません")
        return None
    try:
        value = parse_wareki(text)
    except WarekiError as exc:
        issue(column, f"日付として読めません（{exc}）: {text}")
        return None
    if value > income_year_end:
        issue(column, f"所得の年（{income_year_end.year}年）の12月31日より後の日付です: {text}")
        return None
    return value


def _amount(row, column: str, issue) -> int | None:
    """A yen amount: digits, commas allowed, empty = 0 (給与支払報告書 prints amounts so)."""
    text = unicodedata.normalize("NFKC", row.get(column, "")).replace(",", "").replace(" ", "")
    if not text:
        return 0
    if text.startswith("-") and text[1:].isdigit():
        issue(column, f"金額は0以上です: {row[column]}")
        return None
    if not (text.isascii() and text.isdigit()):
        issue(column, f"金額は円単位の整数で書いてください: {row[column]}")
        return None
    amount = int(text)
    if amount > MAX_YEN:
        issue(column, f"金額が大きすぎます: {row[column]}")
        return None
    return amount


def _put(facts: dict, path: tuple[str, ...], value: int) -> None:
    node = facts
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _taxpayer(row, issue) -> tuple[dict, bool]:
    """本人の区分 (給与支払報告書: 本人が障害者・寡婦・ひとり親・勤労学生) as the calculation's
    ``taxpayer`` keys, only those that apply."""
    out: dict = {}
    pending = False
    disability = _nfkc(row, "本人が障害者")
    if disability:
        if disability in _DISABILITY:
            out["disability"] = _DISABILITY[disability]
        else:
            issue("本人が障害者", f"空欄・一般・特別のいずれかです: {disability}")
    for column, key in (("寡婦", "widow"), ("勤労学生", "working_student")):
        value = _nfkc(row, column)
        if value in _YES:
            out[key] = True
        elif value not in _NO:
            issue(column, f"1（該当）か空欄です: {value}")
    value = _nfkc(row, "ひとり親")
    if value in _SINGLE_PARENT:
        out["single_parent"] = _SINGLE_PARENT[value]
    elif value in _YES:
        pending = True
    elif value not in _NO:
        issue("ひとり親", f"母・父・1（該当）か空欄です: {value}")
    if out.get("widow") and (pending or "single_parent" in out):
        issue("寡婦", "寡婦とひとり親は同時に指定できません")
    return out, pending


def _relative(
    row, born_column: str, income_column: str, who: str, issue, income_year_end: date
) -> dict | None:
    born = _date(row, born_column, issue, income_year_end)
    income = _amount(row, income_column, issue)
    if born is None:
        if row.get(born_column, "") == "" and income:
            issue(born_column, f"{who}の合計所得があるのに生年月日がありません")
        return None
    return {"birth_date": born.isoformat(), "total_income": income or 0}


# --- matching and loading --------------------------------------------------------------------------


def load_reports(parsed: list[ParsedReport], *, kind: str, fiscal_year: int, file_name: str) -> ImportSummary:
    """Store a checked file as one batch, each row matched to a person registered on 1月1日 of
    ``fiscal_year``: by 個人番号, else by 氏名 + 生年月日 + 住所 (exactly one person). Runs in the
    caller's ``tenant_context`` (one transaction): the batch, its rows and its audit row together."""
    kind = ReportKind(kind)
    tenant = require_tenant()
    by_number = registry.atena_nos_by_my_number([r.my_number for r in parsed if r.my_number], purpose=PURPOSE)
    wanted = {_identity(r.name, r.birth_date) for r in parsed if r.my_number not in by_number}
    candidates, sex, registered = _inhabitants(date(fiscal_year, 1, 1), wanted, set(by_number.values()))
    prefixes = _local_prefixes(tenant.lg_code)

    batch = ImportBatch(
        lg_code=tenant.lg_code,
        fiscal_year=fiscal_year,
        kind=kind,
        file_name=file_name[:200],
        rows=len(parsed),
        matched=0,
        created_by=current_actor().name,
    )
    rows: list[IncomeReport] = []
    unmatched: list[tuple[int, str, str]] = []
    notes: list[tuple[int, str, str]] = []
    for report in parsed:
        atena_no = by_number.get(report.my_number, "") if report.my_number else ""
        match = Match.MY_NUMBER if atena_no else Match.UNMATCHED
        if atena_no and atena_no not in registered:
            notes.append(
                (report.line_no, report.name, "個人番号で該当しましたが、1月1日に住民登録がありません")
            )
        if not atena_no:
            atena_no, reason = _by_identity(report, candidates, prefixes)
            if atena_no:
                match = Match.IDENTITY
            else:
                unmatched.append((report.line_no, report.name, reason))
        facts = report.facts
        if report.single_parent_pending:
            facts, note = _resolve_single_parent(facts, sex.get(atena_no))
            if note:
                notes.append((report.line_no, report.name, note))
        rows.append(
            IncomeReport(
                lg_code=tenant.lg_code,
                batch=batch,
                fiscal_year=fiscal_year,
                kind=kind,
                line_no=report.line_no,
                payer_no=report.payer_no,
                payer_name=report.payer_name,
                name=report.name,
                name_kana=report.name_kana,
                birth_date=report.birth_date,
                address=report.address,
                atena_no=atena_no,
                match=match,
                collection=report.collection,
                facts=facts,
            )
        )
    batch.matched = len(parsed) - len(unmatched)
    batch.save()
    IncomeReport.objects.bulk_create(rows, batch_size=2000)
    record(
        Action.CREATE,
        RESOURCE,
        purpose=PURPOSE,
        detail={
            "batch": str(batch.id),
            "kind": kind.value,
            "fiscal_year": fiscal_year,
            "file": batch.file_name,
            "rows": batch.rows,
            "matched": batch.matched,
        },
    )
    return ImportSummary(batch.id, batch.rows, batch.matched, unmatched, notes)


def _fold(text: str) -> str:
    """The comparison form of a name or address: NFKC, every space (half- and full-width) removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def _identity(name: str, born: date | None) -> tuple[str, date | None]:
    return _fold(name), born


def _local_prefixes(lg_code: str) -> tuple[str, ...]:
    """What an address in this municipality may start with: 福島県会津若松市, 会津若松市 (and with
    the 郡 for a town or village). Removed before comparing, so a report that leaves out the
    prefecture still matches the registry's full address."""
    info = lookup(lg_code)
    names = {info.full_name, info.name, f"{info.prefecture}{info.name}"}
    if info.county:
        names |= {f"{info.county}{info.name}", f"{info.prefecture}{info.county}{info.name}"}
    return tuple(sorted((_fold(n) for n in names), key=len, reverse=True))


def _local_address(address: str, prefixes: tuple[str, ...]) -> str:
    folded = _fold(address)
    for prefix in prefixes:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


@dataclass(frozen=True)
class _Candidate:
    atena_no: str
    address: str  # folded, without the municipality's name
    protected: bool  # under 支援措置: matched, but never hinted at in a reason


def _inhabitants(day: date, wanted: set, atena_nos: set[str]):
    """One pass over the persons registered on ``day``: those whose 氏名 and 生年月日 a row gives
    (for the identity match), the 性別 of the persons named, and who of ``atena_nos`` is registered."""
    candidates: dict[tuple, list[_Candidate]] = {}
    sex: dict[str, int] = {}
    registered: set[str] = set()
    if not wanted and not atena_nos:
        return candidates, sex, registered
    prefixes = _local_prefixes(require_tenant().lg_code)
    with registry.inhabitants_on(day, purpose=PURPOSE) as people:
        for person in people:
            key = _identity(person.name, person.birth_date)
            if key in wanted:
                candidates.setdefault(key, []).append(
                    _Candidate(person.atena_no, _local_address(person.address, prefixes), person.protected)
                )
                sex[person.atena_no] = person.sex
            if person.atena_no in atena_nos:
                registered.add(person.atena_no)
                sex[person.atena_no] = person.sex
    return candidates, sex, registered


def _by_identity(report: ParsedReport, candidates: dict, prefixes: tuple[str, ...]) -> tuple[str, str]:
    """(宛名番号, "") for exactly one person with the row's 氏名, 生年月日 and 住所, else ("", reason).

    The report's address may carry the 方書 (a building and room) after the registry's address,
    which keeps it apart: it matches when it starts with the registered address, unless both end
    and go on with a digit where they meet (123番地1 never matches 123番地10)."""
    same = candidates.get(_identity(report.name, report.birth_date), [])
    if not report.address:
        return "", f"{NOT_FOUND}（住所がないため突合できません）"
    address = _local_address(report.address, prefixes)
    hits = [c for c in same if _same_place(address, c.address)]
    if len(hits) == 1:
        return hits[0].atena_no, ""
    if len(hits) > 1:
        return "", f"{SEVERAL}（{len(hits)} 人）"
    if same and not any(c.protected for c in same):
        return "", f"{NOT_FOUND}（氏名・生年月日が一致する人はいますが住所が異なります）"
    return "", NOT_FOUND


def _same_place(reported: str, registered: str) -> bool:
    if not registered:
        return False
    if reported == registered:
        return True
    rest = reported.removeprefix(registered)
    # After 3番46号 anything may follow (…号101, …号2階); after a trailing number (123番地1) only
    # a non-digit, so that 123番地1 never matches 123番地10.
    return rest != reported and not (registered[-1].isdigit() and rest[0].isdigit())


def _resolve_single_parent(facts: dict, sex: int | None) -> tuple[dict, str]:
    """ひとり親 marked without 母・父: the registry's 性別 (1 男, 2 女) decides; an unmatched row
    keeps the mark out of the facts and says so."""
    if sex in (1, 2):
        taxpayer = {**facts.get("taxpayer", {}), "single_parent": "father" if sex == 1 else "mother"}
        return {**facts, "taxpayer": taxpayer}, ""
    return (
        facts,
        "ひとり親の印がありますが、母・父を住民記録の性別から決められません（突合後に確認してください）",
    )
