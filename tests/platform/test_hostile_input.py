"""Hostile input is refused before it reaches a view: never a 500 (platform/hostile.py, gunicorn_worker.py).

Each finding of issue 10 has its test here: NUL and lone surrogates (422 naming the field, or a
Japanese 400 page), bodies over the size limit (413), bodies that are not JSON (415), and
gunicorn's own refusals as problem+json (a real server process).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import AIZU
from tests.platform.test_fuzz_every_form import ALL_ROLES, signed_in
from tests.registry.conftest import ADDRESS, days_ago, person

pytestmark = pytest.mark.django_db

REJECTED_PAGE = "入力に使用できない文字"


@pytest.fixture
def api_client(aizu, token_for):
    """A client that answers 500s instead of raising, with a token holding every scope."""
    from yakuba.platform.identity.scopes import SCOPES

    token = token_for(AIZU, scopes=list(SCOPES), zone="mynumber")
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def staff(aizu):
    return signed_in("zenbu", ALL_ROLES)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content.decode(errors="replace")
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["request_id"]
    return body


def fields(body: dict) -> list[str]:
    return [e["field"] for e in body["errors"]]


def move_in(**changes) -> dict:
    body = {
        "kind": "move_in",
        "move_date": days_ago(3),
        "notified_date": days_ago(1),
        "origin": "domestic",
        "household": {"setai_no": None, "address": ADDRESS},
        "persons": [person()],
    }
    body.update(changes)
    return body


def post_json(client, path: str, text: str, content_type: str = "application/json"):
    return client.post(
        f"/api/v1/{AIZU}/{path}", data=text.encode("utf-8", "surrogatepass"), content_type=content_type
    )


# -- NUL and lone surrogates: API ----------------------------------------------------------------


def test_nul_in_a_search_parameter_is_422_naming_it(api_client):
    body = problem(api_client.get(f"/api/v1/{AIZU}/registry/residents", {"name": "青木\x00"}), 422)
    assert fields(body) == ["name"]
    body = problem(api_client.get(f"/api/v1/{AIZU}/events", {"type": "a\x00", "x\x00": "1"}), 422)
    assert sorted(fields(body)) == ["type", "x\\u0000"]


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\udfff"])
def test_unstorable_character_in_a_move_is_422_with_its_dotted_path(api_client, bad):
    persons = [person(), person("青木 花子", "アオキ ハナコ", "1962-03-03", 2, "妻" + bad)]
    household = {"setai_no": None, "address": {**ADDRESS, "block": bad}}
    text = json.dumps(move_in(persons=persons, household=household))  # \u escapes, as clients send
    body = problem(post_json(api_client, "registry/moves", text), 422)
    assert sorted(fields(body)) == ["household.address.block", "persons.1.relationship"]
    assert "保存できない文字" in body["errors"][0]["message"]


def test_unstorable_object_key_is_named_escaped(api_client):
    text = json.dumps(move_in(household={"setai_no": "1", "relationships": {"12\ud800": "子"}}))
    body = problem(post_json(api_client, "registry/moves", text), 422)
    assert fields(body) == ["household.relationships.12\\ud800"]


def test_nul_in_a_path_parameter_header_or_cookie_is_422(api_client):
    body = problem(api_client.get(f"/api/v1/{AIZU}/registry/residents/12%003"), 422)
    assert fields(body) == ["atena_no"]
    body = problem(api_client.get(f"/api/v1/{AIZU}/whoami", HTTP_X_YAKUBA_TERMINAL="窓口\x00"), 422)
    assert fields(body) == ["X-Yakuba-Terminal"]
    api_client.cookies.load({"yakuba_session": "abcdefghij\x00"})
    body = problem(api_client.get(f"/api/v1/{AIZU}/whoami"), 422)
    assert fields(body) == ["yakuba_session"]


def test_nul_in_the_bearer_token_is_422_not_a_database_error(aizu):
    client = Client(raise_request_exception=False)
    body = problem(client.get(f"/api/v1/{AIZU}/whoami", HTTP_AUTHORIZATION="Bearer yk_ab\x00c_def"), 422)
    assert fields(body) == ["Authorization"]


def test_storable_but_unusual_text_passes_the_guard(api_client):
    # 4-byte characters and variation selectors are valid names; they reach the search.
    response = api_client.get(f"/api/v1/{AIZU}/registry/residents", {"name": "𠮷野 葛\U000e0100"})
    assert response.status_code == 200, response.content.decode()


# -- NUL: staff UI -------------------------------------------------------------------------------


def rejected_page(response) -> str:
    text = response.content.decode()
    assert response.status_code == 400, text
    assert response["Content-Type"].startswith("text/html") and '<html lang="ja">' in text
    assert REJECTED_PAGE in text and "入力を受け付けられませんでした" in text
    return text


def test_nul_in_the_staff_search_is_a_japanese_400_page(staff):
    rejected_page(staff.get("/registry/", {"name": "青木\x00"}))


def test_nul_in_a_staff_url_segment_or_form_is_a_japanese_400_page(staff):
    rejected_page(staff.get("/registry/residents/12%003/"))
    rejected_page(staff.post("/registry/moves/new/move_in/", {"persons[0].name": "青木\x00"}))


def test_nul_in_the_login_form_or_session_cookie_is_a_japanese_400_page(aizu):
    rejected_page(Client().post("/login/", {"username": "sato\x00", "password": "x"}))
    # A quoted cookie may carry an octal escape, which Django decodes to NUL: the session lookup
    # would fail in the database. The page is rendered without touching the session.
    rejected_page(Client(HTTP_COOKIE='yakuba_session="abcdefghij\\000"').get("/"))


# -- size and type ----------------------------------------------------------------------------------


def test_body_over_the_limit_is_413(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = problem(post_json(api_client, "registry/moves", json.dumps(move_in(x="a" * 1000))), 413)
    assert "1,000 バイト" in body["detail"]


def test_form_over_the_limit_is_a_japanese_413_page(staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = staff.post("/registry/moves/new/move_in/", {"persons[0].name": "あ" * 1000})
    text = response.content.decode()
    assert response.status_code == 413 and "送信内容が大きすぎます" in text and '<html lang="ja">' in text


def test_too_many_parameters_is_400_not_500(api_client):
    query = "&".join(f"p{i}=1" for i in range(1001))
    body = problem(api_client.get(f"/api/v1/{AIZU}/events?{query}"), 400)
    assert "1,000" in body["detail"]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_api_body_that_is_not_json_is_415(api_client, content_type):
    body = problem(post_json(api_client, "registry/moves", json.dumps(move_in()), content_type), 415)
    assert "application/json" in body["detail"]


def test_json_media_types_are_accepted(api_client):
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        body = {**move_in(), "confirm_duplicates": True}  # the same family each time
        response = post_json(api_client, "registry/moves", json.dumps(body), content_type)
        assert response.status_code == 201, response.content.decode()


@pytest.mark.parametrize("text", ['{"kind": "\xff"}', "[" * 100_000, "{"])
def test_body_that_is_not_utf8_json_is_400(api_client, text):
    client_text = text.encode("latin-1") if "\xff" in text else text.encode()
    response = api_client.post(
        f"/api/v1/{AIZU}/registry/moves", data=client_text, content_type="application/json"
    )
    assert "JSON" in problem(response, 400)["detail"]


def test_wrong_host_is_a_problem_not_djangos_english_page(api_client):
    body = problem(api_client.get(f"/api/v1/{AIZU}/whoami", HTTP_HOST="evil.example"), 400)
    assert "Host" in body["detail"]


# -- gunicorn's own refusals ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _exchange(port: int, raw: bytes) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(raw)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.fixture(scope="module")
def gunicorn_port(tmp_path_factory):
    """``yakuba serve``'s gunicorn (no demo, one worker) in its own process."""
    port = _free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "serve.log"
    code = (
        "import django; django.setup()\n"
        "from yakuba.platform.server import serve\n"
        f"serve(host='127.0.0.1', port={port}, demo=False, workers=1)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yakuba.settings"}
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        cwd=root,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "gunicorn did not come up"
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _gunicorn_problem(port: int, raw: bytes, status: int) -> dict:
    got, headers, body = _exchange(port, raw)
    assert got == status, body
    assert headers["Content-Type"] == "application/problem+json"
    document = json.loads(body)
    assert document["status"] == status and document["title"]
    return document


def test_gunicorn_refuses_a_raw_non_ascii_request_line_with_a_problem(gunicorn_port):
    raw = "GET /api/v1/072028/registry/residents?name=青木 HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()
    document = _gunicorn_problem(gunicorn_port, raw, 400)
    assert "パーセントエンコード" in document["detail"]


def test_gunicorn_refuses_a_url_over_its_limit_with_a_problem_414(gunicorn_port):
    from yakuba.platform.gunicorn_worker import REQUEST_LINE_LIMIT

    raw = b"GET /api/openapi.json?q=" + b"a" * REQUEST_LINE_LIMIT + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    document = _gunicorn_problem(gunicorn_port, raw, 414)
    assert str(REQUEST_LINE_LIMIT) in document["detail"]


def test_urls_up_to_the_limit_reach_django(gunicorn_port):
    # Over gunicorn's default limit (4094): a search with every criterion at its maximum length.
    raw = (
        b"GET /api/openapi.json?q="
        + b"%E3%81%82" * 700
        + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    status, headers, _body = _exchange(gunicorn_port, raw)
    assert status == 200 and headers["Content-Type"] == "application/json"


def test_gunicorn_refuses_a_nul_header_with_a_problem(gunicorn_port):
    _gunicorn_problem(gunicorn_port, b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-A: a\x00b\r\n\r\n", 400)


def test_djangos_own_400_is_a_problem_on_the_api_and_japanese_elsewhere(rf):
    from django.core.exceptions import SuspiciousOperation

    from yakuba.platform.api.problems import django_handler400

    api = django_handler400(rf.get("/api/v1/072028/events"), SuspiciousOperation("bad"))
    assert api.status_code == 400 and api["Content-Type"] == "application/problem+json"
    page = django_handler400(rf.get("/registry/"), SuspiciousOperation("bad"))
    assert page.status_code == 400 and "リクエストの形式が正しくありません" in page.content.decode()
