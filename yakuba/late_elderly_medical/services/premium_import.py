"""The 広域連合's 賦課結果 taken in: one premium per 被保険者 for one 年度 (layout:
docs/reference/contract.md#kouki-files).

A file is taken whole or not at all (contract §3.2, ``platform.file_issues``): every line is
checked and the file refused with every bad line named (``12行目 保険料額: …``); a good file is
written in one transaction — its lines by COPY, one ``premium.received`` event per person, one
audit row. Nothing is overwritten: a corrected file re-imported adds a new ``version`` of each
person it names, and the highest version is the premium in force.

徴収方法: the 広域連合's file says 特別徴収 or 普通徴収; where it leaves the column empty, our rule
decides (``rules/withholding``: a pension of 18万円 or more from which 介護保険料 + this premium
take no more than half, facts §3.4) from the file's 特別徴収対象年金額 and 介護保険料額 — no
pension given is no pension to withhold from, so 普通徴収.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from yakuba.late_elderly_medical.codes import Collection, Decided
from yakuba.late_elderly_medical.events import RECEIVED
from yakuba.late_elderly_medical.models import Member, PremiumFile, PremiumResult
from yakuba.late_elderly_medical.rules import withholding
from yakuba.late_elderly_medical.rules.parameters import supported_years
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.bulk import copy_insert
from yakuba.platform.file_issues import FileRejected, Issue
from yakuba.platform.linkage import outbox
from yakuba.platform.tenancy.context import require_tenant

PURPOSE = "後期高齢者医療保険料の賦課結果の受領"
RESOURCE = "late_elderly_medical.premium"
MAX_YEN = 100_000_000_000
MAX_LINES = 1_000_000
# The 納期 columns: 4月 … 3月 of the 年度 (特別徴収 4・6・8・10・12・2月, 普通徴収 7月〜 by the
# municipality's 条例: facts §3.4).
MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
MONTH_COLUMNS = tuple(f"{m}月" for m in MONTHS)
AMOUNTS = ("保険料額", "均等割額", "所得割額")
COLUMNS = (
    "年度",
    "被保険者番号",
    "宛名番号",
    *AMOUNTS,
    "軽減区分",
    "徴収方法",
    "特別徴収対象年金額",
    "介護保険料額",
    *MONTH_COLUMNS,
)
REQUIRED = ("年度", "被保険者番号", "宛名番号", *AMOUNTS)
REDUCTIONS = {"": "none", "なし": "none", "7割": "7割", "5割": "5割", "2割": "2割"}
WAYS = {
    "特別": Collection.PENSION,
    "特別徴収": Collection.PENSION,
    "普通": Collection.DIRECT,
    "普通徴収": Collection.DIRECT,
}
ENCODINGS = {"cp932": "cp932", "utf-8": "utf-8-sig"}
RESULT_COLUMNS = [f.column for f in PremiumResult._meta.concrete_fields if not f.primary_key]


class PremiumsRejected(FileRejected):
    """The 賦課結果 file was refused as a whole; ``issues`` names every bad line and column."""


@dataclass(frozen=True)
class Line:
    """One checked line of the file."""

    line_no: int
    fiscal_year: int
    insured_no: str
    atena_no: str
    premium: int
    per_capita: int
    income_levy: int
    reduction: str
    collection: str  # "" when the file leaves it to us
    pension: int | None
    care_premium: int | None
    installments: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Received:
    fiscal_year: int
    rows: int
    decided_by_rule: int
    file_id: int


def read_premiums(data: bytes, *, encoding: str = "cp932") -> list[Line]:
    """Every line of a 賦課結果 file, checked; ``PremiumsRejected`` with every issue at once."""
    if encoding not in ENCODINGS:
        raise PremiumsRejected([Issue(1, "", f"文字コード {encoding} は使えません（cp932 か utf-8）")])
    try:
        text = data.decode(ENCODINGS[encoding])
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        other = "utf-8" if encoding == "cp932" else "cp932"
        raise PremiumsRejected(
            [
                Issue(
                    line, "", f"文字コードが {encoding} ではありません（--encoding {other} を試してください）"
                )
            ]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise PremiumsRejected([Issue(1, "", f"CSV として読めません（{exc}）")]) from None
    issues = _header_issues(header)
    if issues:  # every line would repeat them: the header first
        raise PremiumsRejected(issues)
    lines: list[Line] = []
    try:
        for cells in reader:
            number = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if number > MAX_LINES:
                issues.append(Issue(number, "", f"{MAX_LINES:,} 行を超えています"))
                break
            if len(cells) != len(header):
                issues.append(
                    Issue(
                        number,
                        "",
                        f"列の数が見出しと違います（見出しは {len(header)} 列、この行は {len(cells)} 列）",
                    )
                )
                continue
            row = {h: unicodedata.normalize("NFKC", c).strip() for h, c in zip(header, cells, strict=True)}
            line = _line(row, number, issues)
            if line is not None:
                lines.append(line)
    except csv.Error as exc:
        issues.append(Issue(reader.line_num, "", f"CSV として読めません（{exc}）"))
    if not issues and not lines:
        issues.append(Issue(2, "", "データの行がありません"))
    issues.extend(_file_issues(lines))
    if issues:
        raise PremiumsRejected(sorted(issues, key=lambda i: i.line))
    return lines


def _header_issues(header: list[str]) -> list[Issue]:
    issues, seen = [], set()
    for column in header:
        if column in seen:
            issues.append(Issue(1, column, "列が重複しています"))
        elif column not in COLUMNS:
            issues.append(Issue(1, column or "（空の見出し）", "賦課結果ファイルにない列です"))
        seen.add(column)
    issues.extend(Issue(1, c, "必須の列がありません") for c in REQUIRED if c not in seen)
    return issues


def _amount(row: dict, column: str, issue, *, required: bool) -> int | None:
    text = row.get(column, "").replace(",", "")
    if not text:
        if required:
            issue(column, "値がありません")
        return None
    if not (text.isascii() and text.isdigit()):
        issue(column, f"0以上の整数（円）で書いてください: {text!r}")
        return None
    value = int(text)
    if value > MAX_YEN:
        issue(column, "金額が大きすぎます")
        return None
    return value


def _line(row: dict, number: int, issues: list[Issue]) -> Line | None:
    before = len(issues)

    def issue(column: str, reason: str) -> None:
        issues.append(Issue(number, column, reason))

    year_text = row.get("年度", "")
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
    if year is None:
        issue("年度", f"西暦4桁で書いてください: {year_text!r}")
    elif year not in supported_years():
        years = supported_years()
        issue("年度", f"{year}年度には対応していません（{years.start}〜{years.stop - 1}年度）")
    insured_no = row.get("被保険者番号", "")
    if not (len(insured_no) == 8 and insured_no.isascii() and insured_no.isdigit()):
        issue("被保険者番号", f"8桁の数字です: {insured_no!r}")
    atena_no = row.get("宛名番号", "")
    if not (1 <= len(atena_no) <= 15 and atena_no.isascii() and atena_no.isdigit()):
        issue("宛名番号", f"15桁までの数字です: {atena_no!r}")
    premium, per_capita, income_levy = (_amount(row, c, issue, required=True) for c in AMOUNTS)
    if None not in (premium, per_capita, income_levy) and premium > per_capita + income_levy:
        issue("保険料額", f"均等割額と所得割額の合計 {per_capita + income_levy:,}円を超えています")
    reduction = REDUCTIONS.get(row.get("軽減区分", ""))
    if reduction is None:
        issue("軽減区分", "空欄・なし・7割・5割・2割のいずれかです")
    way = row.get("徴収方法", "")
    collection = WAYS.get(way, "" if not way else None)
    if collection is None:
        issue("徴収方法", "特別・普通のいずれか（空欄は特別徴収の判定による）です")
    pension = _amount(row, "特別徴収対象年金額", issue, required=False)
    care = _amount(row, "介護保険料額", issue, required=False)
    plan = []
    for month, column in zip(MONTHS, MONTH_COLUMNS, strict=True):
        amount = _amount(row, column, issue, required=False)
        if amount and year is not None:
            plan.append((f"{year + (month < 4):04d}-{month:02d}", amount))
    if plan and premium is not None and sum(a for _m, a in plan) != premium:
        issue("4月", f"納期ごとの額の合計 {sum(a for _m, a in plan):,}円が保険料額 {premium:,}円と違います")
    if len(issues) > before:
        return None
    return Line(
        number,
        year,
        insured_no,
        atena_no,
        premium,
        per_capita,
        income_levy,
        reduction,
        collection,
        pension,
        care,
        tuple(plan),
    )


def _file_issues(lines: list[Line]) -> list[Issue]:
    """What only the whole file shows: one 年度 per file, each person once."""
    issues, seen = [], {}
    year = lines[0].fiscal_year if lines else None
    for line in lines:
        if line.fiscal_year != year:
            issues.append(
                Issue(
                    line.line_no,
                    "年度",
                    f"1つのファイルは1つの年度です（{lines[0].line_no}行目は {year}年度）",
                )
            )
        if line.atena_no in seen:
            issues.append(Issue(line.line_no, "宛名番号", f"{seen[line.atena_no]}行目と重複しています"))
        seen.setdefault(line.atena_no, line.line_no)
    return issues


def load_premiums(lines: list[Line], *, file_name: str, data: bytes) -> Received:
    """Write a checked file in one transaction: the file, a new version of each person's premium
    (COPY), the events and one audit row. A 宛名番号 this app has no 資格 record of refuses the
    whole file (every such line named). Call with the municipality's ``tenant_context`` and an
    actor bound."""
    tenant = require_tenant()
    year = lines[0].fiscal_year
    atena_nos = [line.atena_no for line in lines]
    with transaction.atomic(using=tenant.alias):
        known = set(Member.objects.filter(atena_no__in=atena_nos).values_list("atena_no", flat=True))
        unknown = [
            Issue(line.line_no, "宛名番号", "後期高齢者医療の資格の記録がない方です")
            for line in lines
            if line.atena_no not in known
        ]
        if unknown:
            raise PremiumsRejected(unknown)
        versions = dict(
            PremiumResult.objects.filter(fiscal_year=year, atena_no__in=atena_nos)
            .values("atena_no")
            .annotate(last=Max("version"))
            .values_list("atena_no", "last")
        )
        now, actor = timezone.now(), current_actor().name
        file = PremiumFile.objects.create(
            lg_code=tenant.lg_code,
            fiscal_year=year,
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            rows=len(lines),
            created_at=now,
            created_by=actor,
        )
        rows, events, by_rule = [], [], 0
        for line in lines:
            version = versions.get(line.atena_no, 0) + 1
            collection, decided, reason = _collection(line)
            by_rule += decided == Decided.RULE
            plan = [list(i) for i in line.installments]
            values = {
                "lg_code": tenant.lg_code,
                "file_id": file.id,
                "fiscal_year": year,
                "atena_no": line.atena_no,
                "version": version,
                "insured_no": line.insured_no,
                "premium": line.premium,
                "per_capita": line.per_capita,
                "income_levy": line.income_levy,
                "reduction": line.reduction,
                "collection": collection,
                "decided_by": decided,
                "collection_reason": reason[:200],
                "pension": line.pension,
                "care_premium": line.care_premium,
                "installments": json.dumps(plan),
                "line_no": line.line_no,
                "created_at": now,
                "created_by": actor,
            }
            rows.append(tuple(values[c] for c in RESULT_COLUMNS))
            events.append(
                (
                    RECEIVED,
                    line.atena_no,
                    {
                        "atena_no": line.atena_no,
                        "fiscal_year": year,
                        "version": version,
                        "premium": line.premium,
                        "collection": collection,
                        "installments": plan,
                    },
                )
            )
        copy_insert(PremiumResult._meta.db_table, RESULT_COLUMNS, rows)
        outbox.emit_many(events)
        record(
            Action.CREATE,
            RESOURCE,
            purpose=PURPOSE,
            detail={
                "file": file.file_name,
                "fiscal_year": year,
                "rows": len(rows),
                "decided_by_rule": by_rule,
            },
        )
    return Received(year, len(rows), by_rule, file.id)


def _collection(line: Line) -> tuple[str, str, str]:
    """(徴収方法, who decided, why): the file's when it says; else ``rules/withholding``."""
    if line.collection:
        return line.collection, Decided.FILE, ""
    decision = withholding.decide(line.fiscal_year, line.pension or 0, line.care_premium or 0, line.premium)
    return decision.way, Decided.RULE, decision.reason


def latest_results(fiscal_year: int, atena_nos: list[str] | None = None) -> dict[str, PremiumResult]:
    """{宛名番号: the premium in force (highest version)} of the 年度, one query."""
    rows = PremiumResult.objects.filter(fiscal_year=fiscal_year)
    if atena_nos is not None:
        rows = rows.filter(atena_no__in=atena_nos)
    return {r.atena_no: r for r in rows.order_by("atena_no", "-version").distinct("atena_no")}
