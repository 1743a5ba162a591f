"""戸籍 certificates (issue 19): a 戸籍全部事項証明書 of a four-member 戸籍 (a couple married here,
two children; rare characters in the names) issued end to end — the requester's relation read
from the 戸籍 (recursive parent links), the door's read of the 戸籍 (audited), the 法務省 layout
in IPAmj明朝, the QR, the PAdES signature, the 交付履歴 and audit rows — in certificates/s,
beside a raw-PostgreSQL read of the same rows (the 戸籍, its members, their entries) in the
same run, and beside rendering the same document without issuing it.
"""

from __future__ import annotations

import time
from datetime import date

import psycopg
from tqdm import tqdm

from bench.harness import Context, Result

LG = "072028"
HONSEKI = "福島県会津若松市東栄町3番"
RAW = """
SELECT k.honseki, k.hittosha, k.surname, m.position, m.given_name, m.birth_date, m.father, m.mother,
       m.relationship, m.removed_on, e.event, e.on, e.recorded_on, e.detail
  FROM koseki_koseki k
  JOIN koseki_member m ON m.koseki_id = k.id
  LEFT JOIN koseki_entry e ON e.koseki_id = k.id AND (e.member_id = m.id OR e.member_id IS NULL)
 WHERE k.lg_code = %s AND k.koseki_id = %s
 ORDER BY m.position, e.id
"""


def _person(surname, given, kana_surname, kana_given, birth, sex, relationship):
    return {
        "person": {
            "surname": surname,
            "given_name": given,
            "surname_kana": kana_surname,
            "given_name_kana": kana_given,
            "birth_date": birth,
            "sex": sex,
            "relationship": relationship,
            "from_koseki": f"東京都千代田区千代田1番　{surname}　一郎",
        }
    }


def _family() -> tuple[str, str]:
    """(koseki_id, the elder child's person_id): 葛󠄂城 髙志 and 﨑子 (born 𠮷田), two sons."""
    from yakuba.koseki import services as koseki

    filed = koseki.file_notification(
        {
            "kind": "marriage",
            "filed_on": "2015-04-01",
            "husband": _person("葛\U000e0102城", "髙志", "カツラギ", "タカシ", "1985-05-05", "male", "長男"),
            "wife": _person("𠮷田", "﨑子", "ヨシダ", "サキコ", "1987-07-07", "female", "長女"),
            "surname_of": "husband",
            "new_honseki": HONSEKI,
        }
    )
    koseki_id = filed.koseki_ids[0]
    ids = {m.name.split("\u3000")[1]: m.person_id for m in koseki.koseki_of(koseki_id).members}
    children = []
    for given, kana, born in (("一郎", "イチロウ", "2016-04-01"), ("邉二", "ヘンジ", "2018-06-01")):
        child = koseki.file_notification(
            {
                "kind": "birth",
                "filed_on": born,
                "given_name": given,
                "given_name_kana": kana,
                "sex": "male",
                "birth_date": born,
                "mother_id": ids["﨑子"],
                "father_id": ids["髙志"],
            }
        )
        children.append(child.person_id)
    return koseki_id, children[0]


def _raw_rate(database_url: str, koseki_id: str, n: int) -> float:
    """Reads of the certificate's rows per second: one query a certificate, as a report tool
    reading the tables would."""
    with psycopg.connect(database_url) as conn:
        start = time.perf_counter()
        for _ in range(n):
            rows = conn.execute(RAW, [LG, koseki_id]).fetchall()
            assert rows
        return n / (time.perf_counter() - start)


def run(ctx: Context) -> list[Result]:
    from yakuba.certificates import services as certificates
    from yakuba.certificates.services import issuing, render, seal, settings
    from yakuba.koseki.models import Koseki
    from yakuba.koseki.services.certificates import _members, _relation, document, issue_certificate
    from yakuba.platform.audit.log import Actor, bind_actor
    from yakuba.platform.tenancy.context import tenant_context
    from yakuba.platform.tenancy.services import register_municipality
    from yakuba.registry.services import Visibility

    register_municipality(LG)
    clerk = Actor("staff", "bench", "本庁1")
    visibility = Visibility()
    with bind_actor(clerk), tenant_context(LG):
        settings.update(certifier_name="見本 太郎", seal_png=seal.sample_seal("会津若松市長"))
        koseki_id, requester_id = _family()
    requester = certificates.RequesterInfo("self")

    def issue_one() -> None:
        with bind_actor(clerk), tenant_context(LG):
            issue_certificate(
                koseki_id,
                "koseki_full",
                requester=requester,
                requester_person_id=requester_id,
                visibility=visibility,
            )

    with bind_actor(clerk), tenant_context(LG):
        members = _members(Koseki.objects.get(koseki_id=koseki_id))
        atena, _found = _relation(members, requester, requester_id)
        content = document(koseki_id, "koseki_full", [], atena)
        # The page of an issued certificate but for the QR (as bench_certificates renders it).
        info = issuing.issue_info(
            settings.current(), number="20260101-000001", issued_on=date.today(), serial=1, qr_svg=""
        )
    for _ in range(3):  # warm-up: fonts (IPAmj明朝), templates, first plans
        issue_one()
        render.render(content, info)

    # Issue and render alternate, so both see the same load on a shared machine.
    n = 40
    times, bare = [], []
    for _ in tqdm(range(n), desc="戸籍全部事項証明書 発行", unit="通", leave=False):
        start = time.perf_counter()
        issue_one()
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        render.render(content, info)
        bare.append(time.perf_counter() - start)
    ours = n / sum(times)
    _raw_rate(ctx.database_url, koseki_id, 50)  # warm-up
    raw = _raw_rate(ctx.database_url, koseki_id, 2000)
    ordered = sorted(times)
    return [
        Result(
            "戸籍全部事項証明書 4人 発行（続柄の確認・署名・交付履歴・監査込み）",
            "通/s",
            ours,
            "生SQL（同じ戸籍・在籍者・身分事項の SELECT 1回）",
            raw,
            target="≥ 5 通/s（1コア、住民票の写しと同程度）",
            extra={
                "p95_ms": round(ordered[min(n - 1, round(0.95 * (n - 1)))] * 1000, 1),
                "render_only_per_s": round(n / sum(bare), 2),
            },
        )
    ]
