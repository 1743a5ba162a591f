"""A pure calculation through its two doors (contract §4.8): ``POST /api/v1/<area>/…/calculate``
with any valid token, and ``yakuba … calculate --input FILE.json`` with no database."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import AIZU


def poster(client, token_for, path: str):
    """``post(body, auth=True)`` → the API's response."""
    token = token_for(AIZU, scopes=["events:read"])  # any valid token: no scope is needed

    def post(body, *, auth: bool = True):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if auth else {}
        return client.post(path, data=json.dumps(body), content_type="application/json", **headers)

    return post


def run_cli(tmp_path, words: list[str], body: dict, action: str = "calculate") -> subprocess.CompletedProcess:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "yakuba.cli", *words, action, "--input", str(source)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
