"""Business domains are found, not listed: every package ``yakuba/<area>/`` with an ``apps.py``
(the platform excepted) is a domain.

Adding a domain therefore changes no central list (docs/development/adding-a-domain.md): the
settings install what this finds, and the composition roots pick up each domain's optional
interfaces by convention — ``api.py`` with a ``router``, ``ui/urls.py`` (served under
``/<area>/``), ``cli.py`` with ``register(sub, lg_code_type)``. Everything else a domain needs
(scopes, restricted fields, nav, events, file producers, demo data) it registers in its
``AppConfig.ready``. Pure Python on purpose: the settings import it before Django is set up.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

_ROOT = Path(__file__).resolve().parent
PLATFORM = "platform"


def names() -> list[str]:
    """The domains' package names, in a stable order."""
    return sorted(
        p.name
        for p in _ROOT.iterdir()
        if p.is_dir() and p.name != PLATFORM and (p / "apps.py").is_file() and (p / "__init__.py").is_file()
    )


def apps() -> list[str]:
    """The domains' entries for ``INSTALLED_APPS``."""
    return [f"yakuba.{name}" for name in names()]


def interfaces(relative: str) -> list[tuple[str, ModuleType]]:
    """(domain, module) for each domain that has ``relative`` (e.g. ``"api"``, ``"ui.urls"``)."""
    found = []
    for name in names():
        path = _ROOT / name / (relative.replace(".", "/") + ".py")
        if path.is_file():
            found.append((name, importlib.import_module(f"yakuba.{name}.{relative}")))
    return found
