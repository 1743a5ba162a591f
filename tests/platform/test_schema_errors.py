"""The field paths of schema errors (platform/schema_errors.py): a discriminated union's tag is
left out, and only the tag — a tag may also be a field's name (the 届出 kind ``surname``, the
field ``surname`` of a 届書). Pure: no database."""

from __future__ import annotations

from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from yakuba.koseki.services import forms
from yakuba.platform import schema_errors


class Named(BaseModel):
    surname: str
    given_name: str


def _paths(validate, data, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate(data)
    return [schema_errors.path(e["loc"], **kwargs) for e in caught.value.errors()]


def test_a_field_named_like_a_tag_keeps_its_name_in_a_model_validated_alone():
    # The 届出 kinds ``surname`` and ``given_name`` are registered (koseki.services.forms).
    assert _paths(Named.model_validate, {}) == ["surname", "given_name"]
    assert _paths(forms.SurnameChange.model_validate, {"kind": "surname", "filed_on": "2026-04-01"}) == [
        "koseki_id",
        "surname",
        "filer_ids",
    ]


def test_the_notification_union_names_its_fields_without_the_tag():
    adapter = TypeAdapter(forms.Form)
    data = {
        "kind": "surname",
        "filed_on": "2026-04-01",
        "koseki_id": "0000000001",
        "filer_ids": ["0000000001"],
    }
    assert _paths(adapter.validate_python, data) == ["surname"]  # loc ("surname", "surname")
    assert _paths(adapter.validate_python, {**data, "surname": "甲", "x": 1}, tagged=True) == ["x"]
    given = {"kind": "given_name", "filed_on": "2026-04-01", "person_id": "0000000001"}
    assert _paths(adapter.validate_python, given) == ["given_name"]
    with pytest.raises(forms.Invalid) as caught:
        forms.parse({**given, "given_name": "", "extra": 1})
    assert [field for field, _ in caught.value.errors] == ["given_name", "extra"]


class Move(BaseModel):
    kind: Literal["move"]
    to: str


class Stay(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["stay"]
    reason: str


Kinds = Annotated[Move | Stay, Field(discriminator="kind")]
schema_errors.register_union(Kinds)


def test_a_registered_tag_is_dropped_only_before_a_field_of_its_branch():
    assert schema_errors.path(("body", "payload", "move", "to")) == "to"
    assert schema_errors.path(("body", "payload", "stay", "reason")) == "reason"
    assert schema_errors.path(("body", "payload", "move", "reason")) == "move.reason"  # not Move's
    assert schema_errors.path(("body", "payload", "stay", "x")) == "x"  # an unknown key of Stay
    assert schema_errors.path(("body", "payload", "move", "x")) == "move.x"  # Move takes extras
    assert schema_errors.path(("move",)) == "move"
    assert schema_errors.path(("stay", 0, "x")) == "stay[0].x"
    assert schema_errors.path(("move", "x"), tagged=True) == "x"
