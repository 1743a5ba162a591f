"""Certificates: a four-person 世帯連記式 住民票の写し issued end to end (read through the registry's
door, laid out, rendered by WeasyPrint with embedded fonts, its QR, the PAdES signature, the
交付履歴 row and the audit row), beside rendering the same document without signing or
recording — so the ratio shows what signing and the ledger add. Then 1,000 issued in a row with
the process's peak memory sampled every hundred: it must stay flat (no per-certificate leak).
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from tqdm import tqdm

from bench.harness import Context, Result, rss_mb

LG = "072028"
FAMILY = [
    ("青木 太郎", "アオキ タロウ", "1970-01-07", 1, "世帯主"),
    ("青木 花子", "アオキ ハナコ", "1972-03-03", 2, "妻"),
    ("青木 一郎", "アオキ イチロウ", "2000-05-05", 1, "子"),
    ("青木 𠮷子", "アオキ ヨシコ", "2003-08-08", 2, "子"),
]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _family() -> str:
    from yakuba.registry import services as registry

    body = {
        "kind": "move_in",
        "move_date": (date.today() - timedelta(days=3)).isoformat(),
        "origin": "domestic",
        "household": {"address": {"postal_code": "9650872", "town_area": "東栄町", "block": "3番46号"}},
        "persons": [
            {
                "name": n,
                "name_kana": k,
                "birth_date": b,
                "sex": s,
                "relationship": r,
                "resident_type": 1,
                "previous_address": "東京都千代田区千代田1番1号",
            }
            for n, k, b, s, r in FAMILY
        ],
    }
    return registry.apply_move(registry.parse_move(body)).setai_no


def run(ctx: Context) -> list[Result]:
    from yakuba.certificates.services import issuing, render, seal, settings
    from yakuba.certificates.services.content import CertificateRequest, build
    from yakuba.platform.audit.log import Actor, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry.services import Visibility

    register_municipality(LG)
    clerk = Actor("staff", "bench", "本庁1")
    vis = Visibility()
    with bind_actor(clerk), tenant_context(LG):
        settings.update(certifier_name="見本 太郎", seal_png=seal.sample_seal("会津若松市長"))
        setai_no = _family()
    request = CertificateRequest(kind="juminhyo_copy", layout="household", setai_no=setai_no)

    def issue_one() -> None:
        with bind_actor(clerk), tenant_context(LG):
            issuing.issue(request, requester=issuing.RequesterInfo("self", atena_no=atena), visibility=vis)

    with bind_actor(clerk), tenant_context(LG):
        document = build(request, visibility=vis)
        atena = document.atena_nos[0]
    info = render.IssueInfo(
        number="20260101-000001",
        issued_on=date.today(),
        municipality="福島県会津若松市",
        terminal="本庁1",
        printer="プリンタ001",
        serial=1,
        certifier_title="会津若松市長",
        certifier_name="見本 太郎",
        seal_png=seal.sample_seal("会津若松市長"),
        qr_svg="",
    )
    for _ in range(3):  # warm-up: fonts, templates, first plans
        issue_one()
        render.render(document, info)

    n = 60
    times = []
    for _ in tqdm(range(n), desc="証明書 発行", unit="通", leave=False):
        t = time.perf_counter()
        issue_one()
        times.append(time.perf_counter() - t)
    ours = n / sum(times)
    p95 = _percentile(times, 95) * 1000

    bare = []
    for _ in tqdm(range(n), desc="HTML→PDF のみ", unit="通", leave=False):
        t = time.perf_counter()
        render.render(document, info)
        bare.append(time.perf_counter() - t)
    raw = n / sum(bare)

    peaks = []
    for i in tqdm(range(1000), desc="1,000 通続けて", unit="通", leave=False):
        issue_one()
        if i % 100 == 99:
            peaks.append(round(rss_mb(), 1))
    growth = peaks[-1] - peaks[0]
    return [
        Result(
            "証明書 4人世帯連記式 発行（署名・交付履歴・監査込み）",
            "通/s",
            ours,
            "同じ文書の HTML→PDF のみ（署名・記録なし）",
            raw,
            target="≥ 10 通/s（1コア）",
            extra={"p95_ms": round(p95, 1)},
        ),
        Result(
            "証明書 発行 p95",
            "ms",
            p95,
            "HTML→PDF のみ p95",
            _percentile(bare, 95) * 1000,
            higher_is_better=False,
            target="< 200 ms",
        ),
        Result(
            "1,000 通連続発行のピークメモリ増加（100通目→1,000通目）",
            "MB",
            growth,
            "100通目時点のピークメモリ",
            peaks[0],
            higher_is_better=False,
            target="平坦（増加 < 20 MB）",
            extra={"peaks_mb": peaks},
        ),
    ]
