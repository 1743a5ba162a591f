"""A stand-in 公印 image for a municipality that has not registered its own yet (demo, tests).

A real 公印 is the municipality's registered seal, uploaded by a 管理者 (``settings.update``);
this draws a square red seal with the certifier's title in BIZ UD明朝 so the demo's
certificates look like what a clerk hands over, and are never mistaken for a real one (「見本」).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache

from PIL import Image, ImageDraw, ImageFont

RED = (200, 30, 30, 255)
SIZE = 240


@cache
def _font_path() -> str | None:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    found = subprocess.run(  # noqa: S603 - a fixed command line, no input
        [fc_match, "-f", "%{file}", "BIZ UDMincho"], capture_output=True, text=True, check=False
    )
    return found.stdout.strip() or None


def sample_seal(title: str) -> bytes:
    """A PNG: the title in a square red frame, two characters a row, with 「見本」."""
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle([6, 6, SIZE - 7, SIZE - 7], outline=RED, width=10)
    text = (title + "之印")[:8]
    rows = [text[i : i + 3] for i in range(0, len(text), 3)]
    path = _font_path()
    font = ImageFont.truetype(path, 56) if path else ImageFont.load_default()
    for r, row in enumerate(rows):
        draw.text((SIZE // 2, 30 + r * 62), row, font=font, fill=RED, anchor="mt")
    small = ImageFont.truetype(path, 22) if path else ImageFont.load_default()
    draw.text((SIZE - 20, SIZE - 20), "見本", font=small, fill=RED, anchor="rb")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
