"""A calculation's input on screen, built from its pydantic model: one input per item of the
JSON the API takes, labelled with the model's own titles, so a screen asks for exactly what the
contract's calculation takes (contract §4.8) and an error of the model or of the engine lands
next to its input without a mapping table.

Input names are the JSON paths (``rates.income_rate``, ``household[1].birth_date``), the paths
the engines and ``schema_errors.path`` name in their refusals. Nested objects are sections; a
list of objects is a fixed number of row sections (an empty row is left out); a list of numbers
is one input (``1, 2, 3``). Numbers are typed as clerks write them (``1,234,567``, full-width
digits, a trailing 円); dates in 和暦 (``S20.5.1``) or 西暦, read back in 和暦. The tax app's
申告書 (``tax/ui/forms.py``) is the same idea fitted to its own layout.
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone
from pydantic import BaseModel, ValidationError

from yakuba.platform.calculations import CalculationRejected
from yakuba.platform.japanese.wareki import format_wareki, parse_wareki
from yakuba.platform.schema_errors import message, path

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_SPLIT = re.compile(r"[,、\s]+")

# A typed field is kept whole up to this length and refused beyond it, never cut silently (a
# list of 宛名番号 or a long address would lose its tail); the models' own limits apply below it.
MAX_TYPED = 1000


@dataclass
class Field:
    """One input: ``name`` is both the POST name and the JSON path of the item."""

    name: str
    label: str
    kind: str  # number | numbers | date | flag | select | text
    value: str = ""
    default: object = None
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    required: bool = False
    errors: list[str] = field(default_factory=list)
    _values: dict[str, object] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.id = "f-" + re.sub(r"[^0-9A-Za-z]+", "-", self.name).strip("-")  # the input's HTML id

    @property
    def parsed(self) -> str:
        """The date the system read, in 和暦 (the clerk sees what was understood)."""
        try:
            return format_wareki(_date(self.value)) if self.kind == "date" and self.value else ""
        except ValueError:  # WarekiError too
            return ""

    def given(self) -> bool:
        """Typed, or ticked where the default is not (an untouched row says nothing). A box ticked
        by default (被保険者) says nothing by itself: an unticked one in an empty row neither."""
        if self.kind == "flag":
            return bool(self.value) and not self.default
        return bool(self.value) and self.value != _shown(self.default, self)

    def read(self, errors: list[tuple[str, str]]) -> object:
        """The JSON value (``None``: not given, or unreadable — then said in ``errors``)."""
        if self.kind == "flag":
            return bool(self.value)
        if not self.value:
            return None
        if self.kind == "select":
            return self._values.get(self.value, self.value)
        if len(self.value) > MAX_TYPED:
            errors.append((self.name, f"{MAX_TYPED:,}文字以内で入力してください"))
            return None
        try:
            return _PARSERS.get(self.kind, str)(self.value)
        except ValueError as exc:
            errors.append((self.name, str(exc)))
            return None


@dataclass
class Section:
    key: str
    title: str
    fields: list[Field]
    optional: bool = False  # an object the JSON may leave out: sent only when something is given


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _date(text: str) -> date:
    return parse_wareki(_fold(text).strip())


def _iso_date(text: str) -> str:
    try:
        return _date(text).isoformat()
    except ValueError as exc:  # WarekiError too
        raise ValueError(f"日付として読めません（{exc}）") from None


def _one_number(text: str) -> int | str:
    number = _number(text)
    if number is None:
        raise ValueError("数字で入力してください（例：1,234,567）")
    return number


def _numbers(text: str) -> list[int | str]:
    numbers = [_number(part) for part in _SPLIT.split(_fold(text).strip()) if part]
    if any(n is None for n in numbers):
        raise ValueError("数字を「,」で区切って入力してください")
    return numbers


def _number(text: str) -> int | str | None:
    folded = _fold(text).replace(",", "").replace(" ", "").removesuffix("円").removesuffix("%")
    if not _NUMBER.match(folded):
        return None
    return folded if "." in folded else int(folded)  # a rate stays a decimal string for pydantic


_PARSERS = {"date": _iso_date, "number": _one_number, "numbers": _numbers}
# The words of a rounding unit (a ``Literal[1, 10, 100]`` of yen), for a form's ``labels``.
YEN_UNITS = {"1": "1円", "10": "10円", "100": "100円"}


def _unwrap(annotation) -> tuple[object, bool]:
    """(the type, whether None is allowed) without ``Optional`` and ``Annotated``."""
    optional = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0] if len(args) == 1 else annotation
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, optional


def _model_of(annotation) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _shown(value, f: Field) -> str:
    """An input's text for a JSON value (or the item's default)."""
    if f.kind == "flag":
        return "1" if value else ""
    if value is None:
        return ""
    if f.kind == "numbers":
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return format_wareki(value, style="short")
    return str(value)


class ModelForm:
    """The input of ``model`` as typed (``data``: the POST) or empty (``values``: prefilled items
    by JSON path). ``rows``: how many rows each list of objects shows; ``labels``: the words of
    the choices of a ``Literal``, and of an item the model gives no title (by its path); ``hints``: a line under an item; ``left_out``: items not asked."""

    def __init__(
        self,
        model: type[BaseModel],
        data=None,
        *,
        rows: dict[str, int] | None = None,
        labels: dict[str, str] | None = None,
        hints: dict[str, str] | None = None,
        left_out: frozenset[str] = frozenset(),
        values: dict[str, object] | None = None,
    ):
        self.model = model
        self._rows, self._labels, self._hints, self._left_out = (
            rows or {},
            labels or {},
            hints or {},
            left_out,
        )
        self.sections: list[Section] = []
        self._build("", model, "基本事項", optional=False)
        self.fields = {f.name: f for s in self.sections for f in s.fields}
        self.summary: list[dict] = []
        values = values or {}
        for f in self.fields.values():
            if data is not None:
                f.value = (
                    ("1" if f.name in data else "")
                    if f.kind == "flag"
                    else data.get(f.name, "").strip()[: MAX_TYPED + 1]
                )
            else:
                f.value = _shown(values.get(f.name, f.default), f)

    def _build(self, prefix: str, model: type[BaseModel], title: str, *, optional: bool) -> None:
        own = Section(prefix or "_", title, [], optional)
        self.sections.append(own)
        for key, info in model.model_fields.items():
            name = f"{prefix}.{info.alias or key}" if prefix else (info.alias or key)
            if name in self._left_out:
                continue
            annotation, nullable = _unwrap(info.annotation)
            label = info.title or self._labels.get(name, key)
            sub = _model_of(annotation)
            if sub is not None:
                self._build(name, sub, label, optional=nullable or not info.is_required())
                continue
            if typing.get_origin(annotation) is list:
                item, _ = _unwrap(typing.get_args(annotation)[0])
                row_model = _model_of(item)
                if row_model is not None:
                    # The first row is asked for only when the list is (a list with a default
                    # may be left out: sent only when something is typed in its first row).
                    first_optional = nullable or not info.is_required()
                    for i in range(self._rows.get(name, 1)):
                        self._build(
                            f"{name}[{i}]", row_model, f"{label}（{i + 1}）", optional=i > 0 or first_optional
                        )
                    continue
            own.fields.append(self._field(name, label, annotation, info))
        if not own.fields:
            self.sections.remove(own)

    def _field(self, name: str, label: str, annotation, info) -> Field:
        options: tuple = ()
        values: dict[str, object] = {}
        if typing.get_origin(annotation) is typing.Literal:
            kind = "select"
            choices = typing.get_args(annotation)
            values = {str(v): v for v in choices}
            options = tuple((str(v), self._labels.get(str(v), str(v))) for v in choices)
            if not info.is_required() and info.default is None:
                options = (("", "指定しない"), *options)
        elif annotation is bool:
            kind = "flag"
        elif annotation is date:
            kind = "date"
        elif annotation in (int, Decimal):
            kind = "number"
        elif typing.get_origin(annotation) is list:
            kind = "numbers"
        else:
            kind = "text"
        default = None if info.is_required() or info.default_factory else info.default
        return Field(
            name,
            label,
            kind,
            default=default,
            options=options,
            hint=self._hints.get(name, ""),
            required=info.is_required(),
            _values=values,
        )

    def payload(self) -> tuple[dict, list[tuple[str, str]]]:
        """(the JSON, the inputs that cannot be read at all). What can be read goes to the model,
        which says the rest (a missing 生年月日, a negative amount)."""
        errors: list[tuple[str, str]] = []
        body: dict = {}
        for section in self.sections:
            if section.optional and not any(f.given() for f in section.fields):
                continue
            for f in section.fields:
                value = f.read(errors)
                if value is not None:
                    _put(body, f.name, value)
        return body, errors

    def validate(self):
        """The model instance, or ``None`` with every error set on its input."""
        body, errors = self.payload()
        try:
            parsed = self.model.model_validate(body)
        except ValidationError as exc:
            errors += [(path(e.get("loc", ())), message(e)) for e in exc.errors()]
            parsed = None
        if errors:
            self.set_errors(errors)
            return None
        return parsed

    def run(self, calculate) -> dict | None:
        """``calculate(model)``'s result, or ``None`` with the model's and the engine's errors
        each on its input."""
        parsed = self.validate()
        if parsed is None:
            return None
        try:
            return calculate(parsed)
        except CalculationRejected as exc:
            self.set_errors([(e["field"], e["message"]) for e in exc.errors])
            return None

    def set_errors(self, errors: list[tuple[str, str]]) -> None:
        """Each message next to its input (or its row's first input), all of them in the summary."""
        for name, text in errors:
            f = self.fields.get(name) or next(
                (
                    g
                    for g in self.fields.values()
                    if g.name.startswith(name + ".") or g.name.startswith(name + "[")
                ),
                None,
            )
            if f is not None and text not in f.errors:
                f.errors.append(text)
            entry = {"id": f.id if f else "", "label": self._label(f) if f else name, "message": text}
            if entry not in self.summary:
                self.summary.append(entry)

    def _label(self, f: Field) -> str:
        section = next(s for s in self.sections if f in s.fields)
        return f.label if section.key == "_" else f"{section.title}：{f.label}"


def _put(body: dict, name: str, value) -> None:
    """Set ``household[1].birth_date`` in the JSON (a list grows to the index)."""
    node: dict = body
    keys = re.findall(r"[^.\[\]]+", name)
    for key, following in zip(keys, keys[1:], strict=False):
        if isinstance(node, list):
            index = int(key)
            while len(node) <= index:
                node.append({})
            node = node[index]
        else:
            node = node.setdefault(key, [] if following.isdigit() else {})
    node[keys[-1]] = value


def calculation_page(
    request, template: str, model: type[BaseModel], calculate, *, year_starts: int = 4, **options
):
    """A calculation screen: the empty form (GET: ``fiscal_year`` prefilled with this 年度, which
    starts in the month ``year_starts``), or the result with every step (POST) — or the form again
    with each error on its input, answered 422. Nothing is stored."""
    context = {"action": request.path, "active": template.split("/")[0], "result": None}
    if request.method != "POST":
        today = timezone.localdate()
        year = today.year if today.month >= year_starts else today.year - 1
        values = {"fiscal_year": year, **options.pop("values", {})}
        return render(request, template, {**context, "form": ModelForm(model, values=values, **options)})
    options.pop("values", None)
    form = ModelForm(model, request.POST, **options)
    context |= {"form": form, "result": form.run(calculate)}
    return render(request, template, context, status=200 if context["result"] is not None else 422)
