"""File linkage: 全件 and 差分 files per domain, with a manifest (the standard's default linkage).

データ連携WT (2022-12-20): 庁内データ連携 is file-based by default; the 住民記録 standard asks for
full dumps and differentials (差分, real time or at most every 10 minutes: §7.2). A domain
registers a producer; this module decides the period, writes ``<name>.csv`` and
``<name>.manifest.json`` (period, row count, SHA-256) atomically under
``var/linkage/<lg_code>/<domain>/``, records the file and audits the export. The files carry
個人番号 and 住民票コード: they are created 0600 in directories 0700 (``private_files``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from django.utils import timezone

from yakuba.platform.audit.log import Action, record
from yakuba.platform.database import var_dir
from yakuba.platform.linkage import feed
from yakuba.platform.linkage.models import LinkageFile
from yakuba.platform.private_files import open_private, private_directories
from yakuba.platform.tenancy.context import require_tenant


@dataclass(frozen=True)
class Producer:
    """``write(out, since, until) -> rows`` writes the rows changed in (since, until] — all rows
    when ``since`` is None (全件)."""

    domain: str
    title: str
    write: Callable[[TextIO, datetime | None, datetime], int]


_PRODUCERS: dict[str, Producer] = {}


class FileLinkageError(ValueError):
    pass


def register_producer(producer: Producer) -> None:
    _PRODUCERS[producer.domain] = producer


def producers() -> list[Producer]:
    return sorted(_PRODUCERS.values(), key=lambda p: p.domain)


def directory(lg_code: str, domain: str) -> Path:
    """The domain's folder, created owner-only (``var/linkage`` and the municipality's too)."""
    return private_directories(var_dir(), "linkage", lg_code, domain)


def produce(domain: str, kind: str, *, encoding: str = "utf-8", now: datetime | None = None) -> LinkageFile:
    """Write one 全件 (``full``) or 差分 (``diff``) file for the current municipality.

    A 差分 covers everything after the end of the previous file of the same domain (全件 or
    差分), so consecutive files leave no gap; the first 差分 falls back to a 全件.
    """
    if domain not in _PRODUCERS:
        raise FileLinkageError(
            f"連携ファイルの業務 {domain!r} はありません（{', '.join(_PRODUCERS) or 'なし'}）"
        )
    if kind not in ("full", "diff"):
        raise FileLinkageError("種類は full（全件）または diff（差分）です")
    tenant = require_tenant()
    until = now or timezone.now()
    previous = LinkageFile.objects.filter(domain=domain).order_by("-period_to").first()
    since = previous.period_to if kind == "diff" and previous else None
    if kind == "diff" and since is None:
        kind = "full"
    feed_cursor = feed.head()  # before the rows are read: the feed takes over from here
    folder = directory(tenant.lg_code, domain)
    stem = f"{domain}-{kind}-{until:%Y%m%dT%H%M%S%f}"
    target = folder / f"{stem}.csv"
    partial = folder / f".{stem}.csv.partial"
    try:
        with open_private(partial, encoding=encoding) as out:
            rows = _PRODUCERS[domain].write(out, since, until)
    except UnicodeEncodeError as exc:
        partial.unlink(missing_ok=True)
        raise FileLinkageError(
            f"{encoding} で表せない文字があります（{exc.object[exc.start : exc.end]!r}）。UTF-8 で書き出してください"
        ) from None
    except BaseException:
        partial.unlink(missing_ok=True)  # no half-written file left behind
        raise
    digest, size = _sha256(partial)
    os.replace(partial, target)  # atomic: a reader never sees a half-written file
    manifest = {
        "lg_code": tenant.lg_code,
        "domain": domain,
        "kind": kind,
        "encoding": encoding,
        "period": {"from": since.isoformat() if since else None, "to": until.isoformat()},
        "rows": rows,
        "bytes": size,
        "sha256": digest,
        "file": target.name,
        "feed_cursor": feed_cursor,
        "generated_at": timezone.now().isoformat(),
    }
    manifest_path = folder / f"{stem}.manifest.json"
    tmp = folder / f".{stem}.manifest.json.partial"
    with open_private(tmp, encoding="utf-8") as out:
        out.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    os.replace(tmp, manifest_path)
    entry = LinkageFile.objects.create(
        lg_code=tenant.lg_code,
        domain=domain,
        kind=kind,
        period_from=since,
        period_to=until,
        rows=rows,
        sha256=digest,
        path=str(target),
    )
    record(Action.EXPORT, f"{domain}_file", detail={"file": target.name, "kind": kind, "rows": rows})
    return entry


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size
