from __future__ import annotations

import pytest

from tests.conftest import AIZU


@pytest.fixture
def master(aizu):
    """会津若松市's master with three 町字 from a file (ranges, kana, an abolished one)."""
    from yakuba.address import services
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context

    data = (
        "町字,町字カナ,郵便番号,住居表示,番地開始,番地終了,町字ID,施行日,廃止日\n"
        "東栄町,ヒガシサカエマチ,9650872,1,1,12,0001001,,\n"
        "栄町,サカエマチ,9650871,1,1,8,0002001,,\n"
        "北会津町,キタアイヅマチ,9650000,0,,,,,\n"
        "旧大町,キュウオオマチ,9650044,0,,,,,2001-04-01\n"
    ).encode()
    with bind_actor(SYSTEM), tenant_context(AIZU):
        services.load(services.read_csv(data), source=services.Source.FILE)
    return data
