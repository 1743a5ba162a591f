"""Golden cases (published worked examples, one JSON file each with its source): the figures a
page prints, compared with what an engine answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


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


def examples(folder: Path) -> list[tuple[Path, int]]:
    """(file, index) of every example of every page under ``folder``: a page's file holds its
    ``source`` and its ``examples`` (name, input, expected, and optionally ``expected_floor_10``:
    figures the page shows truncated to 10円)."""
    return [
        (path, i)
        for path in sorted(folder.glob("*.json"))
        for i in range(len(json.loads(path.read_text(encoding="utf-8"))["examples"]))
    ]


def check_example(path: Path, index: int, calculate: Callable[[dict], dict]) -> None:
    """Every figure the page prints for one example is what ``calculate`` answers."""
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["source"]["url"].startswith("http") and data["source"]["quote"]
    example = data["examples"][index]
    result = calculate(example["input"])
    found = differences(example["expected"], result)
    found += differences(example.get("expected_floor_10", {}), result, seen=lambda v: v // 10 * 10)
    assert not found, report(data["source"], found, [example["name"], *result["steps"]])
