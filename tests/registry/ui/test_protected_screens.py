"""Staff screens and protected persons (issue 10): a 世帯 headed by a protected person, the
deployment zone for 個人番号, and refusals in the audit log.

Each test failed before the fix: the household page showed the protected head and the address
to a 税務 user, and an LGWAN deployment revealed 個人番号 on the screen.
"""

from __future__ import annotations

import pytest

from tests.conftest import AIZU
from tests.registry.ui.test_screens import MY_NUMBER, page, protect, staff_client
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def tax(aizu):
    return staff_client("zeimu", ["tax"])


def test_household_of_a_protected_head_is_not_found_for_a_tax_clerk(tax, counter, family):
    setai_no, (taro, hanako, ichiro) = family
    protect(taro)
    response = tax.get(f"/registry/households/{setai_no}/")
    assert response.status_code == 404
    text = page(response)
    assert "青木" not in text and "東栄町" not in text
    with tenant_context(AIZU):  # the runtime role sees a municipality's rows only inside one
        refusal = AuditEntry.objects.get(detail__refused="protected")
    assert (refusal.actor, refusal.resource, refusal.subject_ids) == ("zeimu", "household", [setai_no, taro])
    # The counter handles the measure and sees the whole household, the head marked.
    text = page(counter.get(f"/registry/households/{setai_no}/"))
    assert "青木 太郎" in text and "支援措置" in text


def test_refused_resident_page_is_audited(tax, family):
    setai_no, (taro, hanako, ichiro) = family
    protect(hanako)
    assert tax.get(f"/registry/residents/{hanako}/").status_code == 404
    assert tax.get(f"/registry/residents/{hanako}/history/").status_code == 404
    with tenant_context(AIZU):
        rows = list(AuditEntry.objects.filter(detail__refused="protected").order_by("chain_no"))
    assert [(r.resource, r.subject_ids) for r in rows] == [("resident", [hanako]), ("resident", [hanako])]


def test_lgwan_deployment_never_reveals_my_number_on_screen(counter, family, settings):
    """三層の対策: the LGWAN-side deployment shows 個人番号 to no role (the API already refused)."""
    setai_no, (taro, *_rest) = family
    settings.ZONE = "lgwan"
    text = page(counter.get(f"/registry/residents/{taro}/"))
    assert "個人番号を表示" not in text and MY_NUMBER not in text
    response = counter.post(f"/registry/residents/{taro}/my-number/", {"purpose": "identity"})
    assert response.status_code == 403 and MY_NUMBER not in response.content.decode()
    with tenant_context(AIZU):
        assert not AuditEntry.objects.filter(my_number_shown=True).exists()
    settings.ZONE = "mynumber"
    assert "個人番号を表示" in page(counter.get(f"/registry/residents/{taro}/"))


def test_a_screen_refused_for_the_role_is_audited(tax, family):
    setai_no, (taro, *_rest) = family
    assert tax.get(f"/registry/residents/{taro}/protection/").status_code == 403
    with tenant_context(AIZU):
        refusal = AuditEntry.objects.get(detail__refused="role")
    assert (refusal.actor, refusal.resource, refusal.subject_ids) == ("zeimu", "screen", [taro])
