"""How 町字 names and postal codes are compared.

A 町字 is kept exactly as the municipality writes it — rare kanji (𠮷, 﨑) and 「ヶ」「ケ」 are
different names in a 住民票, so no normalisation beyond the spaces around it. A postal code is
seven digits; the forms people type (〒965-0872, full-width digits) mean the same code.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = " \t\u3000"
_POSTAL = re.compile(r"^\d{7}$")


def clean_name(name: str) -> str:
    """The 町字 as stored: without surrounding spaces (ASCII or 全角)."""
    return name.strip(_SPACES)


def postal_code(text: str) -> str | None:
    """Seven ASCII digits for ``〒965-0872`` / ``９６５－０８７２`` / ``9650872``; None if not a code."""
    value = unicodedata.normalize("NFKC", text).strip().removeprefix("〒").replace("-", "").strip()
    return value if _POSTAL.match(value) else None
