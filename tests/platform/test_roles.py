"""Field-level visibility of 個人番号, 住民票コード and 本籍 per role (住民記録システム標準仕様書 §10.3)."""

from __future__ import annotations

import pytest

from yakuba.platform.identity.roles import FIELD_VISIBILITY, Role, can_see, restrict, visible_fields


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.COUNTER, {"my_number", "juminhyo_code", "domicile"}),
        (Role.TAX, {"my_number", "domicile"}),
        (Role.WELFARE, {"my_number"}),
        (Role.ADMIN, set()),
        (Role.AUDITOR, set()),
    ],
)
def test_each_role_sees_exactly_its_fields(role, expected):
    assert visible_fields({role}) == expected


def test_roles_combine_by_union():
    assert visible_fields({Role.WELFARE, Role.TAX}) == {"my_number", "domicile"}
    assert not can_see({Role.ADMIN, Role.AUDITOR}, "my_number")


def test_every_restricted_field_is_declared_by_its_domain():
    assert set(FIELD_VISIBILITY) == {"my_number", "juminhyo_code", "domicile"}
    with pytest.raises(ValueError):
        restrict("my_number", "個人番号", {Role.ADMIN})  # a second, different declaration
