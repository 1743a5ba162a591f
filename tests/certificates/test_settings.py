"""The issuing settings (認証者, 公印, 発行番号 parts, 手数料): defaults until a 管理者 registers
them, every change a new row (the history), every broken rule at once, and the demo's sample
seal (住民記録システム標準仕様書 §1 公印・認証者, §5.5 発行番号)."""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from yakuba.certificates.models import IssuerSettings
from yakuba.certificates.services import seal, settings
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry.services import RuleViolation

pytestmark = pytest.mark.django_db


def test_defaults_name_the_head_by_title_and_are_not_registered(aizu):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        current = settings.current()
    assert current.certifier_title == "会津若松市長" and not current.registered
    assert (current.terminal_name, current.printer_name, current.fee) == ("本庁1", "プリンタ001", 300)


def test_a_change_is_a_new_row_and_the_newest_is_in_force(aizu):
    with bind_actor(SYSTEM), tenant_context(AIZU):
        settings.update(certifier_name="会津 一郎", seal_png=seal.sample_seal("会津若松市長"))
        changed = settings.update(fee=350, terminal_name="北会津1")
        rows = IssuerSettings.objects.count()
    assert rows == 2 and changed.registered
    assert (changed.certifier_name, changed.fee, changed.terminal_name) == ("会津 一郎", 350, "北会津1")
    assert changed.seal_png.startswith(settings.PNG_SIGNATURE)


def test_every_broken_rule_at_once(aizu):
    with bind_actor(SYSTEM), tenant_context(AIZU), pytest.raises(RuleViolation) as refused:
        settings.update(certifier_name=" ", seal_png=b"GIF89a", fee=-1, printer_name="")
    assert dict(refused.value.errors) == {
        "certifier_name": "認証者の氏名を入力してください",
        "seal_png": "公印の画像は 512KB 以下の PNG にしてください",
        "fee": "手数料は 0〜10,000 円で入力してください",
        "printer_name": "1〜20文字で入力してください",
    }


def test_the_demo_registers_settings_once(aizu):
    from yakuba.certificates.demo import populate

    assert "登録しました" in populate(AIZU)
    assert "作成済み" in populate(AIZU)
