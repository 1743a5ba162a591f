"""``python -m bench [NAME ...]``: run the benchmarks, each on a fresh copy of the migrated database,
write bench/results/<name>.json and summary.md (of every results file present)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

from bench.harness import (
    RESULTS_DIR,
    Context,
    fresh_database,
    keep_migrated,
    prepare_database,
    summary_markdown,
    write_results,
)


def main(argv: list[str]) -> int:
    scale = int(os.environ.get("BENCH_SCALE", "100000"))
    names = argv or sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_")
    )
    url = prepare_database()
    os.environ["DATABASE_URL"] = url
    os.environ.pop("YAKUBA_SHARDS", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yakuba.settings")
    import django

    django.setup()
    from yakuba.platform.migrate import migrate_all

    migrate_all()
    keep_migrated()
    ctx = Context(scale=scale, database_url=url)
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        fresh_database()
        results = module.run(ctx)
        for r in results:
            print(
                f"  {r.name}: {r.value:,.1f} {r.unit}  |  {r.baseline_name}: {r.baseline_value:,.1f} {r.unit}"
                f"  |  ratio {r.ratio:.2f}  {r.target}",
                flush=True,
            )
        write_results(results, name, scale)
    (RESULTS_DIR / "summary.md").write_text(summary_markdown(), encoding="utf-8")
    print(f"結果: {RESULTS_DIR}/summary.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
