"""The certificates' interface door (yakuba/certificates/interface): one requester schema and one
print check for every certificate endpoint, one set of requester options for every command."""

from __future__ import annotations

import argparse
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from yakuba.certificates.interface import api, cli
from yakuba.certificates.services import RequesterInfo
from yakuba.platform.api.problems import ApiProblem


def _client(*scopes: str):
    return SimpleNamespace(has_scope=lambda scope: scope in scopes)


def test_printing_takes_the_issuing_scope_and_shows_protected_persons_only_with_theirs():
    with pytest.raises(ApiProblem) as refused:
        api.printing(_client("koseki:read"))
    assert refused.value.status == 403 and "certificates:issue" in str(refused.value)
    assert api.printing(_client("certificates:issue")).protected is False
    assert api.printing(_client("certificates:issue", "registry:protected")).protected is True


def test_the_requester_schemas_give_the_machinery_s_requester():
    asked = api.FamilyRequesterIn(type="third_party", name="債権 太郎", purpose="貸金の回収")
    assert asked.info() == RequesterInfo(type="third_party", name="債権 太郎", purpose="貸金の回収")
    assert api.RequesterIn(type="self", atena_no="123").info(purpose="就職") == RequesterInfo(
        type="self", atena_no="123", purpose="就職"
    )
    with pytest.raises(ValidationError):  # the 住民票 takes no 配偶者 ground, nor unknown fields
        api.RequesterIn(type="spouse")
    with pytest.raises(ValidationError):
        api.FamilyRequesterIn(type="self", relation="妻")


def test_the_commands_take_the_same_requester_options():
    parser = argparse.ArgumentParser()
    cli.add_requester_arguments(parser, choices=cli.FAMILY_REQUESTERS)
    args = parser.parse_args(["--requester-name", "会津警察署", "--purpose", "捜査"])
    assert cli.requester_from_args(args) == RequesterInfo(type="official", name="会津警察署", purpose="捜査")
    mine = parser.parse_args(["--requester", "self"])
    assert cli.requester_from_args(mine, person_id="0000000001").person_id == "0000000001"
    with pytest.raises(SystemExit):
        parser.parse_args(["--requester", "household"])  # no 同一世帯 ground for a 戸籍 or 附票


def test_a_refusal_is_one_line_and_the_pdf_is_written_0600(tmp_path, capsys):
    error = cli.refused(
        SimpleNamespace(errors=[("requester.purpose", "請求事由を入力してください"), ("kind", "x")])
    )
    assert str(error) == "発行できません: requester.purpose: 請求事由を入力してください / kind: x"
    out = tmp_path / "c.pdf"
    assert cli.write_issued(SimpleNamespace(pdf=b"%PDF-", number="20261201-000001", pages=1), str(out)) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert capsys.readouterr().out == f"証明書番号 20261201-000001（1枚）を {out} に書きました\n"
