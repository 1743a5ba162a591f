"""The staff menu: business domains register their screens here; the platform only renders.

The platform must not import a business domain (import-linter contract), so the menu is a
tiny registry filled by each domain's ``AppConfig.ready()``. Items carry the roles that may
open the screen, so a user never sees a menu entry that would answer 403
(住民記録システム標準仕様書 §10.3: 利用者ごとの機能制限).

The menu is ordered by ``order``, not by which application happened to load first: the
counter's daily screens (住民検索, 異動入力) come first and the platform's administration last,
so the clerk's first Tab stops are the screens used all day.
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
    order: int = 0

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:  # a domain registered an item but its URLs are not mounted
            return ""

    def allowed(self, roles: Iterable[str]) -> bool:
        return allowed(self.roles, roles)


# Where a menu item goes: the counter's screens first, the domains' own masters next, the
# platform's administration (連携, 団体) last. Items of one rank keep their registration order.
COUNTER = 10
DOMAIN = 50
ADMINISTRATION = 90


def allowed(required: frozenset[str] | None, roles: Iterable[str]) -> bool:
    """Whether a holder of ``roles`` may open something meant for ``required`` (None: any role)."""
    roles = set(roles)
    if not roles:
        return False
    return required is None or bool(required & roles)


_items: list[NavItem] = []


def register(
    label: str,
    url_name: str,
    roles: Iterable[str] | None = None,
    *,
    key: str = "",
    order: int = DOMAIN,
) -> NavItem:
    """Add a menu item (idempotent per ``url_name``: ``ready()`` may run more than once in tests)."""
    item = NavItem(label, url_name, frozenset(roles) if roles is not None else None, key or url_name, order)
    for i, existing in enumerate(_items):
        if existing.url_name == url_name:
            _items[i] = item
            return item
    _items.append(item)
    return item


def items_for(roles: Iterable[str]) -> list[NavItem]:
    """The items a holder of ``roles`` may open, by ``order`` (then registration order)."""
    roles = set(roles)
    return sorted((item for item in _items if item.allowed(roles) and item.url), key=lambda i: i.order)


def nav(request) -> dict:
    """Context processor: ``{% for item in nav_items %}`` in ``ui/_nav.html``."""
    from yakuba.platform.ui.context import shell_data

    return {"nav_items": items_for(shell_data(request).roles)}
