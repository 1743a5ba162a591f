"""The platform's tests exercise the platform alone: no business domain reacts to a municipality
being registered (the certificates' signing key, with its audit row, would otherwise be the first
entry of every audit chain these tests count)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_domain_reacts_to_registration():
    from yakuba.platform.tenancy.services import municipality_registered

    receivers = municipality_registered.receivers
    municipality_registered.receivers = []
    municipality_registered.sender_receivers_cache.clear()
    try:
        yield
    finally:
        municipality_registered.receivers = receivers
        municipality_registered.sender_receivers_cache.clear()
