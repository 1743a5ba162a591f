"""The committed OpenAPI document (``docs/openapi.json``) and its freshness check."""

from __future__ import annotations

import json
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def committed_path() -> Path:
    return REPO_ROOT / "docs" / "openapi.json"


def current_document() -> dict:
    from yakuba.platform.api.api import api

    return api.get_openapi_schema()


def render(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
