"""import-linter contracts for rules no built-in contract can state for domains not yet written.

ARCHITECTURE (docs/architecture.md, "Layers"): the platform knows no domain; a domain reads
another only through its door (``services`` in process, or a dedicated ``interface`` module);
inside a domain, the interfaces (API, screens, CLI, jobs) call the door, the door uses the
models, and the rules depend on nothing of the domain but its codes. The domains are those
``yakuba.domains`` finds, so a new domain is covered the day it is added, with no edit of
``pyproject.toml``.
"""

from __future__ import annotations

from importlinter import Contract, ContractCheck, output

DOORS = ("services", "interface")
# A domain's shape, top to bottom: a module may import its own layer and those below it.
INTERFACES = ("api", "ui", "cli", "tasks", "demo")
DOOR = ("services", "interface")
STORE = ("models", "events")
PURE = ("rules", "codes")
SHAPE = (INTERFACES, DOOR, STORE, PURE)


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


def _is_door(module: str, domain: str) -> bool:
    return any(_inside(module, f"yakuba.{domain}.{d}") for d in DOORS)


def _modules(graph, root: str) -> list[str]:
    return sorted({root, *graph.find_descendants(root)}) if root in graph.modules else []


def _imports(graph, root: str):
    """(importer, imported) for every direct import made by ``root`` and its descendants."""
    for importer in _modules(graph, root):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            yield importer, imported


class _Illegal(Contract):
    """A contract whose check is a list of illegal (importer, imported) pairs."""

    advice = ""

    def illegal(self, graph, names: list[str]) -> list[tuple[str, str]]:
        raise NotImplementedError

    def check(self, graph, verbose: bool) -> ContractCheck:
        from yakuba import domains

        illegal = self.illegal(graph, domains.names())
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported in check.metadata["illegal"]:
            output.print_error(f"{importer} imports {imported} ({self.advice})", bold=False)
            output.new_line()


class PlatformContract(_Illegal):
    """The platform imports no domain: domains build on it, never the other way round."""

    type_name = "platform"
    advice = "let the domain register itself from its AppConfig.ready"

    def illegal(self, graph, names):
        return [
            (importer, imported)
            for importer, imported in _imports(graph, "yakuba.platform")
            if any(_inside(imported, f"yakuba.{name}") for name in names)
        ]


class DoorContract(_Illegal):
    """A domain reads another domain only through its door — and its pure layer (``rules``,
    ``codes``) not at all: a door takes the database and Django with it, so a calculation engine
    gets another domain's figures from its own door, as plain values."""

    type_name = "door"
    advice = "use its services or interface, from your own services"

    def illegal(self, graph, names):
        return [
            (importer, imported)
            for domain in names
            for importer, imported in _imports(graph, f"yakuba.{domain}")
            for other in names
            if other != domain
            and _inside(imported, f"yakuba.{other}")
            and (
                not _is_door(imported, other) or any(_inside(importer, f"yakuba.{domain}.{p}") for p in PURE)
            )
        ]


class ShapeContract(_Illegal):
    """Inside every domain: interfaces > door > models and events > rules and codes."""

    type_name = "shape"
    advice = "a lower layer must not import a higher one"

    def illegal(self, graph, names):
        found = []
        for domain in names:
            root = f"yakuba.{domain}"
            for level, layer in enumerate(SHAPE):
                higher = [f"{root}.{m}" for upper in SHAPE[:level] for m in upper]
                for part in layer:
                    for importer, imported in _imports(graph, f"{root}.{part}"):
                        if any(_inside(imported, h) for h in higher):
                            found.append((importer, imported))
        return found
