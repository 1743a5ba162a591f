"""The architecture's import rules hold, and each would catch a violation.

Each case copies the source tree into a temporary directory, adds one module that breaks one
rule, and runs ``lint-imports`` there: the named contract must be reported broken (a contract
that can never fail proves nothing). Plus one rule import-linter cannot see: the platform names
no domain in its code.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from yakuba import domains

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).parent / "lint-imports"

# (module, an import added to it — the module is created if missing —, the contract that breaks)
VIOLATIONS = [
    (
        "yakuba/platform/zz_violation.py",
        "yakuba.registry.models",
        "The platform never imports a business domain",
    ),
    ("yakuba/platform/japanese/zz_violation.py", "django.db", "The Japanese toolkit is pure Python"),
    ("yakuba/registry/rules/zz_violation.py", "django.db", "Every domain's rules are pure Python"),
    # The registry's lowest layer importing its door, above it.
    ("yakuba/registry/numbering.py", "yakuba.registry.services", "Inside the registry"),
    # A new domain, with no line of its own in pyproject.toml, whose models import its door.
    ("yakuba/zz_area/models.py", "yakuba.zz_area.services", "Every domain's shape"),
    # A second domain (an apps.py is all it takes to be one) reading the registry's tables.
    (
        "yakuba/zz_area/reader.py",
        "yakuba.registry.models",
        "A domain reads another domain only through its door",
    ),
    # The tax app (the first separate app on the common data) reading the registry's tables.
    (
        "yakuba/tax/services/zz_violation.py",
        "yakuba.registry.models",
        "A domain reads another domain only through its door",
    ),
    ("yakuba/tax/rules/zz_violation.py", "django.db", "Every domain's rules are pure Python"),
    # The statistics app counts the registry's data through its door, never its tables.
    (
        "yakuba/statistics/services/zz_violation.py",
        "yakuba.registry.models",
        "A domain reads another domain only through its door",
    ),
    ("yakuba/statistics/rules/zz_violation.py", "django.db", "Every domain's rules are pure Python"),
    # The insurance engines read incomes through the tax app's door, from their own door only:
    # neither the tax app's rules nor the registry's tables, and their rules stay pure.
    (
        "yakuba/late_elderly_medical/services/zz_violation.py",
        "yakuba.tax.rules.income",
        "A domain reads another domain only through its door",
    ),
    (
        "yakuba/late_elderly_medical/rules/zz_violation.py",
        "yakuba.tax.services",
        "A domain reads another domain only through its door",
    ),
    (
        "yakuba/late_elderly_medical/rules/zz_violation.py",
        "django.db",
        "Every domain's rules are pure Python",
    ),
    (
        "yakuba/long_term_care/services/zz_violation.py",
        "yakuba.registry.models",
        "A domain reads another domain only through its door",
    ),
    (
        "yakuba/long_term_care/rules/zz_violation.py",
        "yakuba.tax.services",
        "A domain reads another domain only through its door",
    ),
    ("yakuba/long_term_care/rules/zz_violation.py", "django.db", "Every domain's rules are pure Python"),
    # The 国保 engine likewise: neither the registry's nor the tax app's internals, pure rules.
    (
        "yakuba/health_insurance/services/zz_violation.py",
        "yakuba.registry.models",
        "A domain reads another domain only through its door",
    ),
    (
        "yakuba/health_insurance/services/zz_violation.py",
        "yakuba.tax.rules.parameters",
        "A domain reads another domain only through its door",
    ),
    (
        "yakuba/health_insurance/rules/zz_violation.py",
        "yakuba.tax.services",
        "A domain reads another domain only through its door",
    ),
    ("yakuba/health_insurance/rules/zz_violation.py", "django.db", "Every domain's rules are pure Python"),
    # The 国民年金 engine likewise: incomes through the tax app's door, from its door only.
    (
        "yakuba/national_pension/services/zz_violation.py",
        "yakuba.registry.models",
        "A domain reads another domain only through its door",
    ),
    (
        "yakuba/national_pension/rules/zz_violation.py",
        "yakuba.tax.services",
        "A domain reads another domain only through its door",
    ),
    ("yakuba/national_pension/rules/zz_violation.py", "django.db", "Every domain's rules are pure Python"),
    # The 在外選挙人名簿 reads the registry and the 選挙人名簿 through their doors only (its 出国時申請
    # asks elections.services.entry_of), and its rules use no door at all.
    (
        "yakuba/overseas_electors/services/zz_violation.py",
        "yakuba.registry.models",
        "A domain reads another domain only through its door",
    ),
    (
        "yakuba/overseas_electors/services/zz_violation.py",
        "yakuba.elections.models",
        "A domain reads another domain only through its door",
    ),
    (
        "yakuba/overseas_electors/rules/zz_violation.py",
        "yakuba.elections.services",
        "A domain reads another domain only through its door",
    ),
    ("yakuba/overseas_electors/rules/zz_violation.py", "django.db", "Every domain's rules are pure Python"),
    # The registry is the hub the 戸籍 builds on: it takes the 戸籍's 届出 from its events, so not
    # even the 戸籍's or the 附票's door may be imported by it (issue 19).
    ("yakuba/registry/services/zz_violation.py", "yakuba.koseki.services", "The registry imports neither"),
    ("yakuba/registry/ui/zz_violation.py", "yakuba.koseki_annex.services", "The registry imports neither"),
]

DOOR = "A domain reads another domain only through its door"
# The child domains (issue 17) take children, guardians and incomes from the registry and the
# tax app: their services through those doors only, their rules not even through the doors.
CHILD_DOMAINS = ("child_allowance", "child_support_allowance", "school_enrollment", "childcare")
CHILD_VIOLATIONS = [
    (f"yakuba/{domain}/{layer}/zz_violation.py", imported)
    for domain in CHILD_DOMAINS
    for layer, imported in (
        ("services", "yakuba.registry.models"),
        ("services", "yakuba.tax.rules.income"),
        ("rules", "yakuba.tax.services"),
    )
]
# The civil domains (issues 18, 19) follow the registry through its door and events only: their
# services never read its tables, their rules not even its door; the 附票 reads the 戸籍 likewise.
CIVIL_DOMAINS = ("elections", "seal_registration", "koseki", "koseki_annex")
CIVIL_VIOLATIONS = [
    (f"yakuba/{domain}/{layer}/zz_violation.py", imported)
    for domain in CIVIL_DOMAINS
    for layer, imported in (("services", "yakuba.registry.models"), ("rules", "yakuba.registry.services"))
] + [
    ("yakuba/koseki_annex/services/zz_violation.py", "yakuba.koseki.models"),
]
DOOR_VIOLATIONS = CHILD_VIOLATIONS + CIVIL_VIOLATIONS


def _copy_tree(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "data", "static", "templates")
    shutil.copytree(ROOT / "yakuba", target / "yakuba", ignore=ignore)
    shutil.copytree(ROOT / "tests" / "architecture", target / "tests" / "architecture", ignore=ignore)
    (target / "tests" / "__init__.py").write_text("")
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_contracts_hold_on_the_code():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("path", "imported", "contract"), VIOLATIONS, ids=[v[2] for v in VIOLATIONS])
def test_each_contract_catches_a_violation(tmp_path, path, imported, contract):
    _assert_breaks(tmp_path, path, imported, contract)


@pytest.mark.parametrize(("path", "imported"), DOOR_VIOLATIONS, ids=[f"{p}-{i}" for p, i in DOOR_VIOLATIONS])
def test_the_child_and_civil_domains_read_other_domains_only_through_their_doors(tmp_path, path, imported):
    """Broken only if the package is a domain the door contract covers (an ``apps.py``)."""
    domain = Path(path).parts[1]
    if not (ROOT / "yakuba" / domain / "apps.py").is_file():
        pytest.skip(f"yakuba.{domain} is not a domain yet (no apps.py)")
    _assert_breaks(tmp_path, path, imported, DOOR)


def _assert_breaks(tmp_path: Path, path: str, imported: str, contract: str) -> None:
    """``path`` importing ``imported`` breaks ``contract``, and only it."""
    _copy_tree(tmp_path)
    module = tmp_path / path
    if not module.parent.exists():
        module.parent.mkdir(parents=True)
        (module.parent / "__init__.py").write_text("")
        (module.parent / "apps.py").write_text("")
    target = tmp_path / (imported.replace(".", "/") + ".py")
    if imported.startswith("yakuba.zz_area.") and not target.exists():
        target.write_text("")
    existing = module.read_text() if module.exists() else ""
    module.write_text(f"{existing}\nimport {imported}  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert len(broken) == 1 and broken[0].startswith(contract), result.stdout


def _string_literals(path: Path):
    """String constants of a module that are not docstrings (docs may mention domains)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_the_platform_names_no_domain():
    """Scopes, fields, routers, commands: a domain declares its own; the platform's code holds no
    domain's names (migrations excepted: they record history)."""
    from yakuba.platform.identity.roles import Role

    found = []
    for path in sorted((ROOT / "yakuba" / "platform").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for lineno, text in _string_literals(path):
            for name in domains.names():
                # A staff role may share its word with a domain (税務 staff, the tax app): the role
                # is a job the platform knows, not a reference to the package.
                if text == name and text in Role.values:
                    continue
                if f"{name}:" in text or f"yakuba.{name}" in text or text == name:
                    found.append(f"{path.relative_to(ROOT)}:{lineno}: {text!r}")
    assert found == []
