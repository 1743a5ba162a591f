"""Input no endpoint should see: unstorable characters, oversized bodies, bodies of the wrong type.

PostgreSQL ``text`` cannot hold NUL (U+0000) — psycopg refuses the query with ``DataError`` —
and UTF-8 cannot encode a lone surrogate (U+D800–U+DFFF, which a JSON ``"\\ud800"`` escape
produces). Either one in a search term, a 異動 field, a login name, a path segment or even a
cookie (``"…\\000"`` is a legal quoted cookie value) used to end in a 500. Django answered a body
over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with an exception that the API turned into a 500, and the
API parsed any body as JSON whatever its ``Content-Type``.

Two checks, each written once, so no endpoint needs its own:

``HostileInputMiddleware``, on every request before a session, an authentication backend or a
view reads it:

- an unstorable character in a query or path parameter, a header, a cookie or a form field →
  API: 422 problem+json naming each field; staff UI: a 400 page in Japanese;
- a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` → 413; more than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``
  fields → 400.

``JsonBodyParser``, ninja's parser for every operation that takes a body (so after routing: an
undocumented method still gets 405, a missing token 401):

- a body that is not ``application/json`` (or ``application/…+json``) → 415, one that is not
  JSON in UTF-8 → 400, an unstorable character → 422 naming its dotted path (``persons.0.name``).

Other characters — 4-byte ones such as 𠮷, IVS sequences such as 葛󠄀, control characters —
are storable and left to each field's own validation.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from ninja.parser import Parser

from yakuba.platform.api.problems import ApiProblem, is_api_path, problem_response

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_JSON_TYPE = re.compile(r"^application/([a-z0-9!#$&^_.-]+\+)?json$")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

UNSTORABLE_DETAIL = "保存できない文字が含まれています"
FIELD_MESSAGE = "保存できない文字（NUL 文字または対になっていないサロゲート）が含まれています"
MAX_ERRORS = 100


def unstorable(text: str) -> bool:
    """Whether PostgreSQL could not store ``text`` (a NUL, or a surrogate UTF-8 cannot encode)."""
    return _UNSTORABLE.search(text) is not None


def shown(text: str) -> str:
    """``text`` fit to echo in an answer: unstorable characters as ``\\u0000`` escapes, at most 200."""
    return _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text[:200])


class Rejected(Exception):
    """A request refused before any view: the status, the API's detail and the staff UI's wording."""

    def __init__(self, status: int, detail: str, *, title: str, message: str, errors=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title
        self.message = message
        self.errors = errors


def _unstorable_input(errors: list[dict]) -> Rejected:
    return Rejected(
        422,
        UNSTORABLE_DETAIL,
        title="入力を受け付けられませんでした",
        message="入力に使用できない文字（制御文字など）が含まれていました。入力内容を確認して、もう一度操作してください。",
        errors=errors,
    )


def field_errors(texts: Iterable[tuple[str, str]]) -> list[dict]:
    """One error per field whose (field, text) pairs include an unstorable text.

    At most ``MAX_ERRORS`` fields: a 2.5 MB body of NULs must not produce a far larger answer.
    """
    fields = dict.fromkeys(shown(field) for field, text in texts if unstorable(text))
    return [{"field": field, "message": FIELD_MESSAGE} for field in islice(fields, MAX_ERRORS)]


def _named(items: Iterable[tuple[str, list[str]]]) -> Iterator[tuple[str, str]]:
    """(name, text) for each parameter's name and every one of its values (``QueryDict.lists()``)."""
    for name, values in items:
        yield name, name
        for value in values:
            yield name, value


def json_texts(document) -> Iterator[tuple[str, str]]:
    """Every string of a parsed JSON document, object keys included, with its dotted path.

    Breadth first without recursion: ``json.loads`` accepts nesting as deep as the interpreter's
    recursion limit, which a recursive walk started deep in the request's call stack would exceed.
    """
    queue = deque([("", document)])
    while queue:
        path, value = queue.popleft()
        if isinstance(value, str):
            yield path or "(body)", value
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else key
                yield child, key
                queue.append((child, item))
        elif isinstance(value, list):
            queue.extend((f"{path}.{i}" if path else str(i), item) for i, item in enumerate(value))


def _header_name(meta_key: str) -> str:
    return meta_key.removeprefix("HTTP_").replace("_", "-").title()


def _too_big() -> Rejected:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return Rejected(
        413,
        f"リクエストの本文が上限（{limit:,} バイト）を超えています",
        title="送信内容が大きすぎます",
        message=f"送信された内容が上限（{limit // 1024:,} KB）を超えたため、受け付けませんでした。",
    )


def _form_errors(request) -> list[dict]:
    """Read the body here, whatever its type (Django keeps it for the view), so that its size is
    checked before anything else reads it; check form fields. JSON is ``JsonBodyParser``'s."""
    if request.body and (request.content_type or "").lower() in _FORM_TYPES:
        return field_errors(_named(request.POST.lists()))
    return []


def check_request(request) -> None:
    """Raise ``Rejected`` for a request that must not reach any view (see the module docstring)."""
    try:
        request.get_host()
    except DisallowedHost:
        # Else CommonMiddleware raises it and Django answers with its English page, even on /api/.
        raise Rejected(
            400,
            "Host ヘッダーがこのサーバーの名前ではありません",
            title="接続先が正しくありません",
            message="このサーバーの URL（ホスト名）で開き直してください。",
        ) from None
    errors = field_errors(
        (_header_name(key), value)
        for key, value in request.META.items()
        if key.startswith("HTTP_") and isinstance(value, str)
    )
    errors += field_errors(_named((name, [value]) for name, value in request.COOKIES.items()))
    try:
        errors += field_errors(_named(request.GET.lists()))
        errors += _form_errors(request)
    except RequestDataTooBig:
        raise _too_big() from None
    except (TooManyFieldsSent, TooManyFilesSent):
        raise Rejected(
            400,
            f"パラメータの数が上限（{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}）を超えています",
            title="項目が多すぎます",
            message="送信された項目の数が多すぎるため、受け付けませんでした。",
        ) from None
    except (MultiPartParserError, UnreadablePostError):
        raise Rejected(
            400,
            "本文を読み取れません",
            title="送信内容を読み取れませんでした",
            message="送信された内容を読み取れませんでした。もう一度操作してください。",
        ) from None
    if errors:
        raise _unstorable_input(errors)


def rejection_response(request, rejected: Rejected) -> HttpResponse:
    """problem+json for the API; for staff, a plain Japanese page.

    The page is rendered without the request on purpose: the shell would read the session and
    the user, and the rejected request may carry exactly the cookie the database cannot look up.
    """
    if is_api_path(request):
        return problem_response(request, rejected.status, rejected.detail, errors=rejected.errors)
    page = render_to_string("ui/forbidden.html", {"title": rejected.title, "message": rejected.message})
    return HttpResponse(page, status=400 if rejected.status == 422 else rejected.status)


class HostileInputMiddleware:
    """``check_request`` before anything else reads the request; path parameters once resolved.

    Place it before ``SessionMiddleware`` (the session key comes from a cookie) and before
    ``CsrfViewMiddleware`` (whose ``process_view`` reads the form body).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except Rejected as rejected:
            return rejection_response(request, rejected)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # A ``<str:atena_no>`` segment may hold %00; the converter passes it on unchanged.
        errors = field_errors(
            _named((name, [value]) for name, value in view_kwargs.items() if isinstance(value, str))
        )
        if errors:
            return rejection_response(request, _unstorable_input(errors))
        return None


class JsonBodyParser(Parser):
    """ninja's body parser: JSON only, and only storable text.

    ninja turns anything ``parse_body`` raises into a 400 "Cannot parse request body" with the
    exception as its cause; the API's ``HttpError`` handler answers with the ``ApiProblem``
    found there instead.
    """

    def parse_body(self, request):
        if not _JSON_TYPE.match((request.content_type or "").lower()):
            raise ApiProblem(415, "本文は Content-Type: application/json の JSON で送ってください")
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):
            raise ApiProblem(400, "本文を JSON（UTF-8）として読み取れません") from None
        errors = field_errors(json_texts(document))
        if errors:
            raise ApiProblem(422, UNSTORABLE_DETAIL, errors=errors)
        return document
