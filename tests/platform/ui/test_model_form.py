"""A calculation's form built from its pydantic model (platform/ui/model_form.py): what the clerk
types becomes the JSON the API takes, and every refusal lands on its input. Pure: no database."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from yakuba.platform.ui.model_form import ModelForm


class Row(BaseModel):
    birth_date: date | None = Field(None, title="生年月日")
    member: bool = Field(True, title="被保険者")
    income: int = Field(0, ge=0, title="収入")


class Part(BaseModel):
    amount: int = Field(title="額")


class Body(BaseModel):
    fiscal_year: int = Field(title="年度")
    unit: Literal[1, 10, 100] = Field(100, title="単位")
    rates: list[int] | None = Field(None, title="割合")
    extra: Part | None = Field(None, title="追加")
    rows: list[Row] = Field(min_length=1, title="世帯員")


def _form(data: dict) -> ModelForm:
    return ModelForm(Body, data, rows={"rows": 3}, labels={"1": "1円"})


def test_typed_text_becomes_the_json_the_api_takes():
    body, errors = _form(
        {
            "fiscal_year": "２０２５",
            "unit": "10",
            "rates": "1, 2、3",
            "rows[0].income": "1,234,567円",
            "rows[0].member": "1",
            "rows[0].birth_date": "Ｓ２０．５．１",
        }
    ).payload()
    assert errors == []
    # An untouched row (its box ticked by default unticked) and an untouched optional object are left out.
    assert body == {
        "fiscal_year": 2025,
        "unit": 10,
        "rates": [1, 2, 3],
        "rows": [{"birth_date": "1945-05-01", "member": True, "income": 1234567}],
    }


def test_a_literal_of_numbers_is_offered_with_its_words():
    unit = ModelForm(Body, labels={"1": "1円"}).fields["unit"]
    assert unit.kind == "select" and ("1", "1円") in unit.options and unit.value == "100"


def test_every_refusal_lands_on_its_input():
    form = _form({"fiscal_year": "", "rows[0].income": "-5", "rows[1].income": "abc", "extra.amount": ""})
    assert form.validate() is None
    assert form.fields["rows[1].income"].errors == ["数字で入力してください（例：1,234,567）"]
    form = _form({"fiscal_year": "", "rows[0].income": "-5"})
    assert form.validate() is None
    assert form.fields["fiscal_year"].errors and form.fields["rows[0].income"].errors
    assert {e["label"] for e in form.summary} == {"年度", "世帯員（1）：収入"}


def test_an_optional_object_is_sent_only_when_something_is_typed():
    body, _ = _form({"fiscal_year": "2025", "extra.amount": "5", "rows[0].income": "1"}).payload()
    assert body["extra"] == {"amount": 5}


def test_a_long_list_is_read_whole_and_a_too_long_one_refused_never_cut():
    """Fifteen numbers are longer than the old 60-character cut, which silently lost the tail."""
    many = ", ".join(str(1000 + k) for k in range(15))
    body, errors = _form({"fiscal_year": "2025", "rates": many, "rows[0].income": "1"}).payload()
    assert errors == [] and body["rates"] == [1000 + k for k in range(15)]
    _body, errors = _form({"fiscal_year": "2025", "rates": "1," * 600, "rows[0].income": "1"}).payload()
    assert errors == [("rates", "1,000文字以内で入力してください")]


class Member(BaseModel):
    name: str = Field(title="氏名")


class Moving(BaseModel):
    members: list[Member] = Field(default_factory=list, title="在籍者")  # may be left out


class Asked(BaseModel):
    members: list[Member] = Field(title="在籍者")


def test_a_list_with_a_default_may_be_left_out_from_its_first_row():
    empty = ModelForm(Moving, {}, rows={"members": 2})
    assert empty.payload() == ({}, [])
    assert empty.validate() == Moving()
    typed = ModelForm(Moving, {"members[0].name": "甲野"}, rows={"members": 2})
    assert typed.validate() == Moving(members=[Member(name="甲野")])


def test_a_required_list_asks_for_its_first_row():
    form = ModelForm(Asked, {}, rows={"members": 2})
    assert form.validate() is None
    assert form.fields["members[0].name"].errors == ["入力してください"]
    assert form.fields["members[1].name"].errors == []
