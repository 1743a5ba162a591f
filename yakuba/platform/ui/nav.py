"""The staff menu: business domains register their screens here; the platform only renders.

The platform must not import a business domain (import-linter contract), so the menu is a
tiny registry filled by each domain's ``AppConfig.ready()``. Items carry the roles that may
open the screen, so a user never sees a menu entry that would answer 403
(住民記録システム標準仕様書 §10.3: 利用者ごとの機能制限).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None
    key: str = ""

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:  # a domain registered an item but its URLs are not mounted
            return ""

    def allowed(self, roles: Iterable[str]) -> bool:
        roles = set(roles)
        if not roles:
            return False
        return self.roles is None or bool(self.roles & roles)


_items: list[NavItem] = []


def register(label: str, url_name: str, roles: Iterable[str] | None = None, *, key: str = "") -> NavItem:
    """Add a menu item (idempotent per ``url_name``: ``ready()`` may run more than once in tests)."""
    item = NavItem(label, url_name, frozenset(roles) if roles is not None else None, key or url_name)
    for i, existing in enumerate(_items):
        if existing.url_name == url_name:
            _items[i] = item
            return item
    _items.append(item)
    return item


def items_for(roles: Iterable[str]) -> list[NavItem]:
    """The items a holder of ``roles`` may open, in registration order."""
    roles = set(roles)
    return [item for item in _items if item.allowed(roles) and item.url]


def nav(request) -> dict:
    """Context processor: ``{% for item in nav_items %}`` in ``ui/_nav.html``."""
    from yakuba.platform.ui.context import shell_data

    return {"nav_items": items_for(shell_data(request).roles)}
