"""Printed documents (処理票, and next the 証明書): a Django template rendered to PDF by WeasyPrint.

One place holds what every printed page shares: the fonts — BIZ UD (the Universal Design faces
municipalities adopt for printed forms) with IPAmj明朝 as the fallback for the rare kanji of
names (文字情報基盤: a 住民票 prints the person's own character, not a look-alike) — and A4 with
page numbers. The fonts are installed system-wide (``scripts/setup.sh``) and embedded in every
PDF (subset), so a document prints the same on any machine.

Nothing is fetched while rendering: a template cannot make the server read a URL or a local
file (the printed data is personal; the page is built only from its context).
"""

from __future__ import annotations

from django.template.loader import render_to_string

PDF_CONTENT_TYPE = "application/pdf"
GOTHIC = '"BIZ UDGothic", "IPAmjMincho", sans-serif'
MINCHO = '"BIZ UDMincho", "IPAmjMincho", serif'

# Shared by every printed document; a template adds its own layout in a <style> element.
BASE_CSS = f"""
@page {{
  size: A4 portrait;
  margin: 18mm 16mm 20mm 16mm;
  @bottom-center {{
    content: counter(page) " / " counter(pages);
    font-family: {GOTHIC};
    font-size: 8.5pt;
  }}
}}
html {{ font-family: {GOTHIC}; font-size: 10pt; line-height: 1.5; color: #000; }}
.mincho {{ font-family: {MINCHO}; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 0.5pt solid #000; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }}
th {{ font-weight: bold; background: #eee; }}
"""


class FetchRefused(ValueError):
    """A printed template asked for an external resource."""


def _no_fetch(url: str, *args, **kwargs):
    raise FetchRefused(f"printed documents load nothing: {url}")


def render(template_name: str, context: dict) -> bytes:
    """The PDF of a Django template (A4, BIZ UD fonts embedded, page numbers at the foot)."""
    # Imported here: WeasyPrint loads Pango and fonts, which only printing needs.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, context)
    fonts = FontConfiguration()
    document = HTML(string=html, url_fetcher=_no_fetch, base_url=None)
    return document.write_pdf(stylesheets=[CSS(string=BASE_CSS, font_config=fonts)], font_config=fonts)


def content_disposition(filename: str, *, inline: bool = True) -> str:
    """``Content-Disposition`` with the Japanese file name as RFC 5987/6266 ``filename*`` and an
    ASCII fallback for old clients."""
    from urllib.parse import quote

    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
