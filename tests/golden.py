"""Golden cases (published worked examples, one JSON file each with its source): the figures a
page prints, compared with what an engine answers."""

from __future__ import annotations

from collections.abc import Callable


def differences(expected, actual, path: str = "", *, seen: Callable = lambda value: value) -> list:
    """(path, expected, actual) for every printed figure that differs; lists compare item by item.
    ``seen`` turns the engine's figure into the page's (e.g. truncated to 10円 for display)."""
    if isinstance(expected, dict):
        return [
            d
            for key, value in expected.items()
            for d in differences(value, actual[key], f"{path}.{key}".lstrip("."), seen=seen)
        ]
    if isinstance(expected, list):
        assert len(actual) >= len(expected), f"{path}: {len(expected)} items printed, {len(actual)} computed"
        return [
            d
            for i, value in enumerate(expected)
            for d in differences(value, actual[i], f"{path}[{i}]", seen=seen)
        ]
    shown = seen(actual) if isinstance(actual, int) and not isinstance(actual, bool) else actual
    return [] if expected == shown else [(path, expected, actual)]


def report(source: dict, found: list, steps: list[str]) -> str:
    return "\n".join(
        [f"{source['publisher']} {source['url']}"]
        + [
            f"  {p}: 計算例 {e:,} / 計算 {a:,}"
            if isinstance(e, int) and not isinstance(e, bool)
            else f"  {p}: {e} / {a}"
            for p, e, a in found
        ]
        + steps
    )
