"""``yakuba koseki file|show`` (docs/koseki.md "CLI"): a 届書 from a JSON file, its 受理 printed;
bad input is one Japanese line and exit status 2."""

from __future__ import annotations

import json

import pytest

from tests.koseki.conftest import HONSEKI, yamada_marriage
from yakuba.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_file_then_show(aizu, capsys, tmp_path):
    form = tmp_path / "marriage.json"
    form.write_text(json.dumps(yamada_marriage(read=True), ensure_ascii=False), encoding="utf-8")
    code, out, _err = run(capsys, "koseki", "file", "072028", str(form))
    filed = json.loads(out)
    assert code == 0 and filed["outcome"] == "accepted" and filed["reasons"] == []
    code, out, _err = run(capsys, "koseki", "show", "072028", "--koseki", filed["koseki_ids"][0])
    shown = json.loads(out)
    assert [m["name"] for m in shown["members"]] == ["山田\u3000太郎", "山田\u3000花子"]
    code, out, _err = run(capsys, "koseki", "show", "072028", "--honseki", HONSEKI)
    assert json.loads(out)[0]["hittosha"] == "山田\u3000太郎"


def test_bad_input_is_one_line(aizu, capsys, tmp_path):
    form = tmp_path / "death.json"
    form.write_text('{"kind": "death", "filed_on": "2026-01-01"}', encoding="utf-8")
    code, _out, err = run(capsys, "koseki", "file", "072028", str(form))
    assert code == 2 and "届書の誤り: person_id: 入力してください" in err and "Traceback" not in err
    form.write_text("not json", encoding="utf-8")
    assert run(capsys, "koseki", "file", "072028", str(form))[0] == 2
    code, _out, err = run(capsys, "koseki", "show", "072028", "--koseki", "0000000099")
    assert code == 2 and "戸籍ID 0000000099 の戸籍は見つかりません" in err


def test_remake(aizu, capsys, tmp_path):
    form = tmp_path / "marriage.json"
    form.write_text(json.dumps(yamada_marriage(read=True), ensure_ascii=False), encoding="utf-8")
    koseki_id = json.loads(run(capsys, "koseki", "file", "072028", str(form))[1])["koseki_ids"][0]
    code, out, _err = run(capsys, "koseki", "remake", "072028", koseki_id, "--on", "2026-06-01")
    assert code == 0 and out.startswith(f"改製しました: 戸籍ID {koseki_id} は改製原戸籍")
    code, _out, err = run(capsys, "koseki", "remake", "072028", koseki_id)
    assert code == 2 and "この戸籍はすでに消除されています（2026-06-01）" in err and "Traceback" not in err


def test_certificate_writes_the_signed_pdf_0600_or_names_each_refusal(aizu, system_actor, capsys, tmp_path):
    """``yakuba koseki certificate``: the API's rules and 交付履歴; a 公用 request by default; the
    PDF only its owner may read (a whole family's 身分事項)."""
    from yakuba.certificates.services import seal, settings
    from yakuba.platform.tenancy.context import tenant_context

    with tenant_context("072028"):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
    form = tmp_path / "marriage.json"
    form.write_text(json.dumps(yamada_marriage(read=True), ensure_ascii=False), encoding="utf-8")
    filed = json.loads(run(capsys, "koseki", "file", "072028", str(form))[1])
    koseki_id, husband = filed["koseki_ids"][0], filed["person_id"]
    out = tmp_path / "koseki.pdf"
    base = ["koseki", "certificate", "072028", koseki_id, "--out", str(out)]
    code, printed, _err = run(
        capsys, *base, "--kind", "koseki_full", "--requester-name", "会津警察署", "--purpose", "捜査"
    )
    assert code == 0 and printed.startswith("証明書番号 ")
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_mode & 0o777 == 0o600
    mine = ["--kind", "koseki_individual", "--person", husband, "--requester", "self"]
    code, printed, _err = run(capsys, *base, *mine, "--requester-person-id", husband)
    assert code == 0, _err
    code, _out, err = run(capsys, *base, "--kind", "koseki_full", "--requester", "third_party")
    assert code == 2 and "requester.purpose:" in err and "purpose_kind:" in err and "Traceback" not in err
    code, _out, err = run(capsys, "koseki", "certificate", "072028", "0000000099", "--kind", "koseki_full",
                          "--out", str(out))  # fmt: skip
    assert code == 2 and "戸籍ID 0000000099 の戸籍は見つかりません" in err
