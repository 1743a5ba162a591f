"""An import-linter contract for the rule no built-in contract can state for domains not yet
written: a domain reads another domain only through its door.

ARCHITECTURE (docs/architecture.md, "Layers"): another domain's ``services`` (in process) or a
dedicated ``interface`` module are the only ways in; its models, rules, SQL and screens are its
own. The domains are those ``yakuba.domains`` finds, so a new domain is covered the day it is
added, with no edit of this contract.
"""

from __future__ import annotations

from importlinter import Contract, ContractCheck, output

DOORS = ("services", "interface")


def _is_door(module: str, domain: str) -> bool:
    return any(module == f"yakuba.{domain}.{d}" or module.startswith(f"yakuba.{domain}.{d}.") for d in DOORS)


class DoorContract(Contract):
    type_name = "door"

    def check(self, graph, verbose: bool) -> ContractCheck:
        from yakuba import domains

        names = domains.names()
        illegal = []
        for importer_domain in names:
            root = f"yakuba.{importer_domain}"
            for importer in sorted({root, *graph.find_descendants(root)}):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    for other in names:
                        inside = imported == f"yakuba.{other}" or imported.startswith(f"yakuba.{other}.")
                        if other != importer_domain and inside and not _is_door(imported, other):
                            illegal.append((importer, imported))
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported in check.metadata["illegal"]:
            output.print_error(f"{importer} imports {imported} (use its services or interface)", bold=False)
            output.new_line()
