"""The 住民税申告書 on screen: one input per item of the calculation JSON (contract §9.2,
``ResidentTaxIn``), built from the model itself, so the form asks for exactly what the API takes
and labels each item with the model's own title.

Input names are the JSON paths (``deductions.life_insurance.new_general``,
``dependents[1].birth_date``): an error of the model or of the engine lands next to its input
without a mapping table. Amounts are typed as clerks write them (``1,234,567``, full-width digits,
a trailing 円); dates in 和暦 (``H22.5.1``, ``平成22年5月1日``) or 西暦, read back in 和暦.
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel

from yakuba.platform.japanese.wareki import WarekiError, format_wareki, parse_wareki
from yakuba.tax.services.calculation import DeductionsIn, IncomesIn, RelativeIn, TaxCreditsIn, TaxpayerIn

MAX_DEPENDENTS = 10
# Items of the JSON the counter's 申告書 does not ask (the birth date is the registry's).
_LEFT_OUT = {"taxpayer.birth_date", "tax_credits.dividend_credit", "spouse.relation"}
_CHOICES = {
    "mother": "母",
    "father": "父",
    "general": "障害者",
    "special": "特別障害者",
    "special_cohabiting": "同居特別障害者",
    "child": "子",
    "parent": "父母・祖父母など（直系尊属）",
    "other": "その他",
}
_HINTS = {
    "incomes.salary": "給与支払報告書の出ていない給与の支払金額",
    "incomes.public_pension": "源泉徴収票の支払金額",
    "incomes.business": "収入から必要経費を引いた額",
    "deductions.medical_expenses": "支払った額から保険金などで補塡される額を引いた額（10万円などを引く前）",
    "tax_credits.furusato_donation": "ふるさと納税の合計額",
    "spouse.birth_date": "例：S55.4.1",
}
SECTIONS = (
    ("incomes", "収入・所得", IncomesIn),
    ("deductions", "所得控除", DeductionsIn),
    ("taxpayer", "本人の該当事項", TaxpayerIn),
    ("spouse", "配偶者", RelativeIn),
    ("tax_credits", "税額控除", TaxCreditsIn),
)
_AMOUNT = re.compile(r"^-?\d+$")


@dataclass
class Field:
    """One input. ``name`` is both the POST name and the JSON path of the item."""

    name: str
    label: str
    kind: str  # amount | date | select | flag
    value: str = ""
    default: object = None
    options: tuple = ()
    hint: str = ""
    errors: list[str] = field(default_factory=list)
    autofocus: bool = False

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^0-9A-Za-z]+", "-", self.name).strip("-")

    @property
    def checked(self) -> bool:
        return self.kind == "flag" and bool(self.value)

    @property
    def parsed(self) -> str:
        """The date the system read, in 和暦 (the clerk sees what was understood)."""
        if self.kind != "date" or not self.value:
            return ""
        try:
            return format_wareki(parse_date(self.value))
        except (WarekiError, ValueError):
            return ""


def parse_date(text: str) -> date:
    return parse_wareki(unicodedata.normalize("NFKC", text).strip())


def _kind(annotation) -> tuple[str, tuple]:
    """(input kind, options) of a model field's type."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
        args = list(typing.get_args(annotation))
    if typing.get_origin(annotation) is typing.Literal:
        return "select", (("", "該当しない"), *((v, _CHOICES[v]) for v in args))
    if annotation is bool:
        return "flag", ()
    if annotation is date:
        return "date", ()
    return "amount", ()


def _fields(prefix: str, model: type[BaseModel]) -> list[Field]:
    out: list[Field] = []
    for key, info in model.model_fields.items():
        name = f"{prefix}.{key}"
        if name in _LEFT_OUT:
            continue
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out += _fields(name, annotation)
            continue
        kind, options = _kind(annotation)
        if kind == "select" and info.default is not None:
            options = options[1:]  # an item with a default (続柄: その他) is always one of its values
        out.append(
            Field(
                name,
                info.title or key,
                kind,
                default=None if info.is_required() else info.default,
                options=options,
                hint=_HINTS.get(name, ""),
            )
        )
    return out


@dataclass
class Section:
    key: str
    title: str
    fields: list[Field]


class DeclarationForm:
    """The 申告 as typed (``data``: the POST) or as stored (``facts``), with its errors."""

    def __init__(self, data=None, *, facts: dict | None = None, rows: int | None = None):
        facts = facts or {}
        self.sections = [Section(k, t, _fields(k, m)) for k, t, m in SECTIONS]
        given = len(facts.get("dependents", []))
        wanted = rows if rows is not None else _int(data.get("dependent_rows")) if data else None
        self.rows = min(max(wanted or 0, given, 1), MAX_DEPENDENTS)
        self.dependents = [self.dependent_row(i) for i in range(self.rows)]
        self.fields = {f.name: f for f in self.all_fields()}
        self.summary: list[dict] = []
        self.index: dict[int, int] = {}  # dependents[j] of the facts → row i of the form
        for f in self.fields.values():
            if data is not None:
                f.value = (
                    data.get(f.name, "").strip()[:40] if f.kind != "flag" else ("1" if f.name in data else "")
                )
            else:
                f.value = _shown(_at(facts, f.name), f)

    @staticmethod
    def dependent_row(i: int, *, autofocus: bool = False) -> list[Field]:
        row = _fields(f"dependents[{i}]", RelativeIn)
        for f in row:
            f.value = _shown(None, f)
        row[0].autofocus = autofocus
        return row

    def all_fields(self) -> list[Field]:
        return [f for s in self.sections for f in s.fields] + [f for row in self.dependents for f in row]

    def facts(self) -> tuple[dict, list[tuple[str, str]]]:
        """(the facts in the JSON's shape, the inputs that cannot be read at all). What can be
        read goes to the model, which says the rest (a negative amount, a missing 生年月日)."""
        errors: list[tuple[str, str]] = []
        facts: dict = {}
        for section in self.sections:
            part = self._part(section.fields, section.key, errors)
            if part:
                facts[section.key] = part
        dependents = []
        for i, row in enumerate(self.dependents):
            part = self._part(row, f"dependents[{i}]", errors)
            if part:
                self.index[len(dependents)] = i
                dependents.append(part)
        if dependents:
            facts["dependents"] = dependents
        return facts, errors

    def _part(self, fields: list[Field], prefix: str, errors: list) -> dict:
        """One object of the JSON from its inputs; empty when nothing but defaults was given."""
        part: dict = {}
        given = False
        for f in fields:
            value = _read(f, errors)
            if value is None:
                continue
            # A box ticked by default (同居) says nothing by itself: a relative is given by
            # their other items; a mark of one's own (寡婦) is given when ticked.
            given |= value != f.default and (f.kind != "flag" or value is True)
            node = part
            keys = f.name[len(prefix) + 1 :].split(".")
            for key in keys[:-1]:
                node = node.setdefault(key, {})
            node[keys[-1]] = value
        return part if given else {}

    def set_errors(self, errors: list[tuple[str, str]]) -> None:
        """Each message next to its input, and all of them in the summary at the top."""
        for path, message in errors:
            name = self._form_name(path)
            f = self.fields.get(name)
            if f is not None and message not in f.errors:
                f.errors.append(message)
            label = self._label(f) if f else ""
            entry = {"id": f.id if f else "", "label": label, "message": message}
            if entry not in self.summary:
                self.summary.append(entry)

    def _form_name(self, path: str) -> str:
        m = re.match(r"^dependents\[(\d+)\](.*)$", path)
        if m:
            return f"dependents[{self.index.get(int(m.group(1)), int(m.group(1)))}]{m.group(2)}"
        return path

    def _label(self, f: Field) -> str:
        m = re.match(r"^dependents\[(\d+)\]", f.name)
        if m:
            return f"扶養親族{int(m.group(1)) + 1}：{f.label}"
        section = next(s.title for s in self.sections if f.name.startswith(s.key + "."))
        return f"{section}：{f.label}"

    def lines(self) -> list[tuple[str, str]]:
        """(item, value) of every input given, for the 確認 screen."""
        shown = []
        for f in self.all_fields():
            if f.kind == "flag":
                if f.checked != bool(f.default):
                    shown.append((self._label(f), "該当" if f.checked else "該当しない"))
            elif f.value and f.value != f.default:
                text = dict(f.options).get(f.value, f.value) if f.kind == "select" else f.value
                if f.kind == "amount":
                    text = f"{_amount(f.value):,}円" if _amount(f.value) is not None else f.value
                if f.kind == "date":
                    text = f.parsed or f.value
                shown.append((self._label(f), text))
        return shown


def _int(text) -> int | None:
    return int(text) if isinstance(text, str) and text.isascii() and text.isdigit() else None


def _amount(text: str) -> int | None:
    folded = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "").removesuffix("円")
    return int(folded) if _AMOUNT.match(folded) else None


def _read(f: Field, errors: list) -> object | None:
    """The JSON value of one input (None: not given, or unreadable — then said in ``errors``)."""
    if f.kind == "flag":
        return bool(f.value)
    if not f.value:
        return None
    if f.kind == "amount":
        value = _amount(f.value)
        if value is None:
            errors.append((f.name, "金額は円単位の数字で入力してください（例：1,234,567）"))
        return value
    if f.kind == "date":
        try:
            return parse_date(f.value).isoformat()
        except (WarekiError, ValueError) as exc:
            errors.append((f.name, f"日付として読めません（{exc}）"))
            return None
    return f.value


def _at(facts: dict, name: str):
    node: object = facts
    for key in re.findall(r"[^.\[\]]+", name):
        if isinstance(node, list):
            node = node[int(key)] if key.isdigit() and int(key) < len(node) else None
        elif isinstance(node, dict):
            node = node.get(key)
        else:
            return None
    return node


def _shown(value, f: Field) -> str:
    """An input's text for a stored value (or the item's default)."""
    value = f.default if value is None else value
    if f.kind == "flag":
        return "1" if value else ""
    if value is None or (f.kind == "amount" and value == 0):
        return ""
    if f.kind == "date":
        return format_wareki(date.fromisoformat(value), style="short")
    return str(value)
