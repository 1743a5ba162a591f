"""What a schema (pydantic) refuses, in the words the contract promises: a field path such as
``persons[0].birth_date`` and a Japanese message (docs/reference/contract.md#http).

One set of messages for the API's validation errors and for any domain that parses input with
pydantic itself (the registry's 異動 from a staff form); a domain may say a message in its own
words for one of its fields (``overrides``).
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping

# Locations start with ninja's transport and parameter names: not part of the field.
_TRANSPORT = frozenset({"query", "path", "body", "header", "cookie", "form", "file", "payload"})
# The tags of discriminated unions (a 異動's kind) and the fields of their branches: pydantic puts
# the chosen branch in the location, which is not a field of the input. Declared by the module
# that defines the union (``register_union``).
_BRANCH_FIELDS: dict[str, frozenset[str]] = {}
_FORBIDS_EXTRA: set[str] = set()  # tags of branches that refuse an unknown key (named alone)

MESSAGES = {
    "missing": "入力してください",
    "extra_forbidden": "この項目は指定できません",
    "string_type": "文字列を指定してください",
    "string_too_short": "{min_length}文字以上で指定してください",
    "string_too_long": "{max_length}文字を超えています",
    "string_pattern_mismatch": "形式が正しくありません",
    "int_type": "整数を指定してください",
    "int_parsing": "整数を指定してください",
    "int_from_float": "整数を指定してください",
    "float_parsing": "数値を指定してください",
    "bool_type": "true または false を指定してください",
    "bool_parsing": "true または false を指定してください",
    "greater_than": "{gt}より大きい値を指定してください",
    "greater_than_equal": "{ge}以上を指定してください",
    "less_than": "{lt}未満を指定してください",
    "less_than_equal": "{le}以下を指定してください",
    "date_type": "日付は YYYY-MM-DD で指定してください",
    "date_parsing": "日付は YYYY-MM-DD で指定してください",
    "date_from_datetime_parsing": "日付は YYYY-MM-DD で指定してください",
    "date_from_datetime_inexact": "日付は YYYY-MM-DD で指定してください",
    "datetime_parsing": "日時は ISO 8601 で指定してください",
    "datetime_from_date_parsing": "日時は ISO 8601 で指定してください",
    "uuid_parsing": "UUID の形式で指定してください",
    "uuid_type": "UUID の形式で指定してください",
    "literal_error": "次のいずれかを指定してください: {expected}",
    "enum": "次のいずれかを指定してください: {expected}",
    "union_tag_invalid": "{discriminator} は次のいずれかです: {expected_tags}（指定: {tag}）",
    "union_tag_not_found": "{discriminator} を指定してください",
    "list_type": "配列を指定してください",
    "dict_type": "オブジェクトを指定してください",
    "model_type": "オブジェクトを指定してください",
    "model_attributes_type": "オブジェクトを指定してください",
    "too_short": "{min_length}件以上を指定してください",
    "too_long": "多すぎます（{max_length}件まで）",
    "json_invalid": "JSON として読めません",
    "json_type": "JSON として読めません",
}
GENERIC = "入力値が正しくありません"


def register_union(union) -> None:
    """Declare a discriminated union (``Annotated[A | B, Field(discriminator="kind")]``) taken as
    an API body, so that ``path`` leaves its tag out of the locations ninja reports — only where
    the tag is followed by a field of that tag's branch: a tag may also be a field's name (the
    届出 kind ``surname``), and a model with that field, validated alone, keeps it."""
    discriminator = next(m.discriminator for m in typing.get_args(union)[1:] if hasattr(m, "discriminator"))
    for branch in typing.get_args(typing.get_args(union)[0]):
        names = frozenset(
            name for key, info in branch.model_fields.items() for name in (key, info.alias) if name
        )
        for tag in typing.get_args(branch.model_fields[discriminator].annotation):
            _BRANCH_FIELDS[tag] = _BRANCH_FIELDS.get(tag, frozenset()) | names
            if branch.model_config.get("extra") == "forbid":
                _FORBIDS_EXTRA.add(tag)


def path(loc: Iterable, *, tagged: bool = False) -> str:
    """``("body", "payload", "move_in", "persons", 0, "name")`` → ``persons[0].name``.

    ``tagged``: the caller validated through a discriminated union, so the first item is the
    branch's tag (exact; an unknown key of a branch is then named alone). Otherwise a declared
    tag is left out only before a field of its branch (``register_union``, ``_is_tag``)."""
    parts = list(loc)
    while parts and parts[0] in _TRANSPORT:
        parts = parts[1:]
    if parts and (tagged or _is_tag(parts)):
        parts = parts[1:]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        elif not str(part).startswith(("function-", "tagged-union[")):  # pydantic's own steps
            name += f".{part}" if name else str(part)
    return name


def _is_tag(parts: list) -> bool:
    """A registered tag followed by a field of its branch, or by the one unknown key a branch
    that forbids extras refuses (``("birth", "foo")``); never a tag alone or before a row."""
    if len(parts) < 2 or not isinstance(parts[1], str):
        return False
    return parts[1] in _BRANCH_FIELDS.get(parts[0], ()) or (len(parts) == 2 and parts[0] in _FORBIDS_EXTRA)


def message(error: Mapping, overrides: Mapping[str, str] | None = None) -> str:
    """The Japanese message of one pydantic error; ``overrides`` by error type. ``{input}`` and
    the error's context values fill the template."""
    template = (overrides or {}).get(error.get("type", "")) or MESSAGES.get(error.get("type", ""))
    if template is None:
        # Our own validators raise their errors (PydanticCustomError) with a Japanese message.
        own = str(error.get("msg", ""))
        return own if not own.isascii() else GENERIC
    try:
        return template.format(input=error.get("input"), **(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return GENERIC
