"""The forms a staff page lets the user submit, read from its HTML (for the form fuzzer).

A ``<form>`` per submit button's ``formaction``, and each htmx attribute, which sends its form's
fields and, if named, ``HX-Trigger-Name`` (tests/platform/test_fuzz_every_form.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Form:
    """A request a page lets the user make: a ``<form>`` (per submit button's ``formaction``),
    or an htmx attribute, which sends its form's fields and, if named, ``HX-Trigger-Name``."""

    who: str  # the client that sends it: staff | switcher | password-only | anonymous
    method: str
    action: str
    fields: tuple[tuple[str, str], ...]  # (name, the value the page gives it)
    htmx: bool = False
    trigger: bool = False  # htmx from a named input: HX-Trigger-Name is that input

    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _ in self.fields))

    def __str__(self) -> str:
        return f"{self.method} {self.action} ({self.who}{', htmx' if self.htmx else ''})"


class PageParser(HTMLParser):
    """Forms with their fields (each as a user would fill it: checkboxes ticked, the first
    radio and option chosen), htmx requests, and site links."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def _url(self, value: str | None) -> str:
        if not value:
            return self.page_url
        return urlsplit(self.page_url).path + value if value.startswith("?") else value

    def _field(self, name: str, value: str, *, chosen: bool = False) -> None:
        fields = self._form["fields"]
        if name not in fields or chosen:
            fields[name] = value

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method, action = (a.get("method") or "get").upper(), self._url(a.get("action"))
            self._form = {"method": method, "actions": [action], "fields": {}, "htmx": []}
            self.forms.append(self._form)
        elif tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        for attr in ("hx-get", "hx-post"):
            if a.get(attr):
                htmx = {
                    "method": attr[3:].upper(),
                    "action": self._url(a[attr]),
                    "trigger": bool(a.get("name")),
                }
                if self._form is None:  # a fragment (e.g. one more person row) outside its form
                    self.forms.append({"method": None, "actions": [], "fields": {}, "htmx": [htmx]})
                else:
                    self._form["htmx"].append(htmx)
        if self._form is None:
            return
        if a.get("formaction"):  # a submit button sending the same fields elsewhere
            self._form["actions"].append(self._url(a["formaction"]))
        name, kind = a.get("name", ""), a.get("type", "text")
        if tag == "option" and self._select:
            self._field(self._select, a.get("value", ""), chosen="selected" in a)
        elif not name:
            return
        elif tag == "input" and kind in ("checkbox", "radio"):
            self._field(name, a.get("value", "on"), chosen="checked" in a)
        elif tag in ("input", "button"):
            self._field(name, a.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            self._field(name, "")

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def requests(self, who: str) -> list[Form]:
        found = []
        for form in self.forms:
            fields = tuple(form["fields"].items())
            found += [Form(who, form["method"], action, fields) for action in form["actions"]]
            found += [
                Form(who, h["method"], h["action"], fields, htmx=True, trigger=h["trigger"])
                for h in form["htmx"]
            ]
        return found
