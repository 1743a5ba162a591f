"""The benchmark summary (bench/harness.py) is built from every results file present: running
one benchmark rewrites its own file only, and the others' figures stay in the summary."""

from __future__ import annotations

from bench.harness import Result, summary_markdown, write_results


def test_the_summary_keeps_the_benchmarks_not_run_this_time(tmp_path, monkeypatch):
    monkeypatch.setattr("bench.harness.RESULTS_DIR", tmp_path)
    write_results([Result("附票 follow", "events/s", 236.8, "生SQL", 17349.8)], "bench_koseki_annex", 20000)
    write_results([Result("audit.record", "tx/s", 338.1, "raw INSERT", 11982.5)], "bench_audit", 300)
    write_results([Result("audit.record", "tx/s", 400.0, "raw INSERT", 12000.0)], "bench_audit", 300)  # rerun

    summary = summary_markdown(tmp_path)

    rows = [line for line in summary.splitlines() if line.startswith("| bench_")]
    assert rows == [
        "| bench_audit: audit.record | 300 | 400.0 tx/s | raw INSERT: 12,000.0 tx/s | 0.03 |  |",
        "| bench_koseki_annex: 附票 follow | 20,000 | 236.8 events/s | 生SQL: 17,349.8 events/s | 0.01 |  |",
    ]
