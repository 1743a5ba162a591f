"""Printed documents (処理票, and next the 証明書): a Django template rendered to PDF by WeasyPrint.

One place holds what every printed page shares: the fonts — BIZ UD (the Universal Design faces
municipalities adopt for printed forms) with IPAmj明朝 as the fallback for the rare kanji of
names (文字情報基盤: a 住民票 prints the person's own character, not a look-alike) — and A4 with
page numbers. The fonts are installed system-wide (``scripts/setup.sh``) and embedded in every
PDF (subset), so a document prints the same on any machine.

Nothing is fetched while rendering: a template cannot make the server read a URL or a local
file (the printed data is personal; the page is built only from its context). Images come
inside the page as ``data:`` URLs.
"""

from __future__ import annotations

import functools
import threading

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


def _no_fetch():
    """A URL fetcher that reads only ``data:`` URLs — images carried inside the page itself,
    such as a certificate's 公印 — and stops the rendering on any other URL."""
    from weasyprint.urls import URLFetcher

    class DataOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                raise FetchRefused(f"printed documents load nothing: {url}")
            return super().fetch(url, headers)

    return DataOnly(fail_on_errors=True)


# The stylesheet of notices (納税通知書, 納入通知書, 資格確認書 …) that the tax and insurance apps share.
NOTICE_CSS = "ui/pdf/notice.css"


def render(template_name: str, context: dict, *, stylesheets: tuple[str, ...] = ()) -> bytes:
    """The PDF of a Django template (A4, BIZ UD fonts embedded, page numbers at the foot)."""
    return render_counted(template_name, context, stylesheets=stylesheets)[0]


_shared = threading.local()
# The WeasyPrint release whose font embedding _keep_font_files was written against (pyproject
# pins it); another release renders without it.
FONT_FILES_WEASYPRINT = "70.0"


def _fonts_and_base():
    """The font configuration and the parsed base stylesheet, made once per thread: loading the
    fonts and parsing the CSS again for every page took about a third of a certificate's
    rendering, and a new font configuration per document kept growing the process."""
    if getattr(_shared, "fonts", None) is None:
        # Imported here: WeasyPrint loads Pango and fonts, which only printing needs.
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        _keep_font_files()
        _shared.fonts = FontConfiguration()
        _shared.font_files = {}
        _shared.base = CSS(string=BASE_CSS, font_config=_shared.fonts)
    return _shared.fonts, _shared.base


@functools.cache
def _keep_font_files() -> None:
    """Read each font file once per thread's font configuration, not once per document.

    WeasyPrint copies the whole file of every font a document uses into Python before it embeds
    a subset (made from the font itself, not from that copy): 46 MB of IPAmj明朝 and 11 MB of
    BIZ UD for a certificate, 28 ms of its 180 ms. Here the copy is made at a font's first use on
    the thread and handed out again (the thread keeps those 57 MB); the bytes are immutable and
    WeasyPrint replaces, never edits, them. A face is found by its address only while the entry
    holds a reference to it, so the address cannot pass to another face; only the faces of the
    thread's own font configuration are kept (a document rendered with any other is untouched).
    """
    import weasyprint
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi, pango

    if weasyprint.__version__ != FONT_FILES_WEASYPRINT:
        return
    open_face = fonts.get_pango_font_hb_face
    read_file = fonts.get_hb_object_data

    def address(pointer) -> int:
        return int(ffi.cast("uintptr_t", pointer))

    def face(pango_font):
        hb_face = open_face(pango_font)
        files = getattr(_shared, "font_files", None)
        ours = files is not None and address(pango.pango_font_get_font_map(pango_font)) == address(
            _shared.fonts.font_map
        )
        if ours and address(hb_face) not in files:
            files[address(hb_face)] = (hb_face, read_file(hb_face))
        return hb_face

    def file_of(hb_object, ot_color=None, glyph=None):
        kept = getattr(_shared, "font_files", {}).get(address(hb_object)) if ot_color is None else None
        return kept[1] if kept else read_file(hb_object, ot_color, glyph)

    fonts.get_pango_font_hb_face = face
    fonts.get_hb_object_data = file_of


def _stylesheet(name: str):
    """A static stylesheet template (no context), parsed once per thread."""
    from weasyprint import CSS

    fonts, _base = _fonts_and_base()
    parsed = _shared.__dict__.setdefault("sheets", {})
    if name not in parsed:
        parsed[name] = CSS(string=render_to_string(name), font_config=fonts)
    return parsed[name]


def render_counted(
    template_name: str, context: dict, *, stylesheets: tuple[str, ...] = ()
) -> tuple[bytes, int]:
    """The PDF and its number of pages (a certificate records how many sheets it printed).
    ``stylesheets``: static CSS templates of the document, parsed once (a ``<style>`` in the page
    is parsed again for every document)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    fonts, base = _fonts_and_base()
    page = HTML(string=html, url_fetcher=_no_fetch(), base_url=None)
    sheets = [base, *(_stylesheet(name) for name in stylesheets)]
    document = page.render(stylesheets=sheets, font_config=fonts)
    return document.write_pdf(), len(document.pages)


def content_disposition(filename: str, *, inline: bool = True) -> str:
    """``Content-Disposition`` with the Japanese file name as RFC 5987/6266 ``filename*`` and an
    ASCII fallback for old clients."""
    from urllib.parse import quote

    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
