"""Files that hold personal data, readable and writable by their owner only.

Linkage files and exports carry 個人番号, 住民票コード and 本籍; with the default umask they were
written 0644, readable by every account on the server (issue 10, finding 11). 特定個人情報の適正な
取扱いに関するガイドライン（行政機関等編）asks that access to a 特定個人情報ファイル be limited to
those who handle it, so such files are created 0600 and their directories 0700 — from the first
byte, not chmod-ed afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def open_private(
    path: str | os.PathLike, *, encoding: str, errors: str = "strict", newline: str = ""
) -> TextIO:
    """A new file at ``path`` for writing, mode 0600 (a file already there is replaced).

    Created exclusively and without following a symbolic link, so a link planted under the
    name (a shared directory such as /tmp) cannot redirect personal data elsewhere.
    """
    return os.fdopen(_create(path), "w", encoding=encoding, errors=errors, newline=newline)


def write_private_bytes(path: str | os.PathLike, body: bytes) -> None:
    """``body`` (a PDF, an archive) as a new file at ``path``, mode 0600, as ``open_private``."""
    with os.fdopen(_create(path), "wb") as f:
        f.write(body)


def _create(path: str | os.PathLike) -> int:
    Path(path).unlink(missing_ok=True)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)


def private_directories(base: Path, *parts: str) -> Path:
    """``base/parts…``, each directory below ``base`` created or set 0700 (also one an older
    version made 0755)."""
    path = base
    for part in parts:
        path = path / part
        path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        path.chmod(DIRECTORY_MODE)
    return path
