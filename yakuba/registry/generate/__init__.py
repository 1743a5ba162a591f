"""Synthetic but realistic populations for a registered municipality (``yakuba generate``).

:func:`generate_population` (in :mod:`.service`) is the entry point; :mod:`.population` builds
persons and households as plain objects (:mod:`.objects`) step by step — :mod:`.households`
(ages, sexes and households), :mod:`.names` and :mod:`.foreign` (names, 本籍, nationality),
:mod:`.timeline` (addresses and 異動), :mod:`.former` (除票) — drawing from the tables in
:mod:`.data`; :mod:`yakuba.registry.towns` reads the real 町字 from Japan Post's data, and
:mod:`.writer` turns the objects into rows and loads them.

Imports are lazy so that building the CLI parser does not load Django models.
"""

__all__ = ["GenerateError", "GenerateSummary", "generate_population"]


def __getattr__(name: str):
    if name in __all__:
        from yakuba.registry.generate import service

        return getattr(service, name)
    raise AttributeError(name)
