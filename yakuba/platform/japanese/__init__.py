"""Japanese toolkit: 和暦 (``wareki``), katakana (``kana``) and check digits (``checkdigits``).

Pure Python, no Django, no database (docs/architecture.md, "Layers"); import from the module
that holds the function.
"""
