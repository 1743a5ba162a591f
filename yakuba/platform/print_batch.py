"""Documents printed in bulk for a print shop (納税通知書, 資格確認書, 支払通知 …): one PDF per
envelope in one folder, named by the domain so that the files sort in its order — a print shop's
封入 line takes one file per envelope, and a document printed again replaces one file, not a
thousand-page volume.

A domain hands ``print_pages`` a ``read(after)`` giving its next page — ``documents`` (each with
a ``filename``), ``withheld`` (the keys left out: a person under 支援措置 is never written for the
print shop), ``heading`` and ``last`` (the key the next page starts after; empty at the end) —
read in a transaction of its own with its audit row, and a ``render(document, heading)`` that
needs no database, run outside it on forked workers (WeasyPrint is CPU-bound: a few hundred ms a
document). A file that cannot be written is one line for the operator.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from yakuba.platform.errors import CliError
from yakuba.platform.private_files import write_private_bytes


def out_dir(path: str) -> Path:
    """The folder named, created if need be."""
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"出力先 {out} を作成できません（{exc.strerror}）") from None
    return out


def write(out: Path, name: str, body: bytes) -> None:
    """One print-shop file, 0600: the notices name and address residents (``private_files``)."""
    try:
        write_private_bytes(out / name, body)
    except OSError as exc:
        raise CliError(f"{out / name} に書き込めません（{exc.strerror}）") from None


def _render_and_write(job) -> None:
    """One document to its file — on a forked worker (module level: sent by reference)."""
    render, out, document, heading = job
    write(out, document.filename, render(document, heading))


def print_pages(
    lg_code: str,
    out: Path,
    bar,
    read: Callable,
    render: Callable,
    workers: int,
    *,
    start="",
    at_counter: str = "窓口で個別に作成してください",
) -> int:
    """Write every page's documents from ``start`` on, moving ``bar`` by each document written
    or withheld. Returns how many were written and names the ones withheld, with ``at_counter``:
    how the domain's clerk makes theirs one by one."""
    from yakuba.platform.cli_support import tenant_command
    from yakuba.platform.forked import ordered_map

    written, withheld, after = 0, [], start
    while True:
        with tenant_command(lg_code):
            page = read(after)
        if not page.last:
            break
        jobs = [(render, out, document, page.heading) for document in page.documents]
        for _done in ordered_map(_render_and_write, jobs, workers=workers):
            bar.update(1)
        written += len(page.documents)
        withheld += page.withheld
        bar.update(len(page.withheld))
        after = page.last
    if withheld:
        print(
            f"支援措置の対象者を含むため一括作成から除きました（{at_counter}）:"
            f" {len(withheld):,} 件 {' '.join(withheld)}"
        )
    return written
