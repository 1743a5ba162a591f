"""Webhook destinations (issue 10, finding 9): https to global addresses only, unless the operator
allowed the host; checked when subscribed and again at delivery (DNS rebinding), connecting to
the checked address; a short connect timeout; at most ``MAX_PER_CLIENT`` active subscriptions
per client."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import urllib3

from tests.conftest import AIZU
from tests.platform.linkage.conftest import KV_TYPE
from tests.platform.linkage.receiver import Receiver
from yakuba.platform.audit.log import SYSTEM, bind_actor
from yakuba.platform.identity.services import issue_token
from yakuba.platform.linkage import safeurl, webhooks
from yakuba.platform.linkage.models import Subscription
from yakuba.platform.linkage.outbox import emit
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = "8.8.8.8"


class Dns(dict):
    """Host name → addresses, standing in for the resolver; ``asked`` lists every look-up."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.asked: list[str] = []

    def resolve(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self[host]


@pytest.fixture
def dns(monkeypatch):
    table = Dns(
        {
            "hook.example.jp": [PUBLIC],
            "internal.example.jp": ["10.1.2.3"],
            "mixed.example.jp": [PUBLIC, "127.0.0.1"],
            "v6.example.jp": ["::1"],
            "mapped.example.jp": ["::ffff:169.254.169.254"],
        }
    )
    monkeypatch.setattr(safeurl, "resolve", table.resolve)
    return table


def _client(name="vendor"):
    return issue_token(AIZU, name, ["events:read"], "lgwan")


def _post(client, token, url):
    return client.post(
        f"/api/v1/{AIZU}/webhooks",
        data={"url": url, "types": [KV_TYPE]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _subscribe(client_id: int, url: str) -> Subscription:
    with bind_actor(SYSTEM), tenant_context(AIZU):
        return webhooks.subscribe(client_id, url, [], 3600)[0]


def test_an_https_url_of_a_global_address_is_taken(aizu, dns, client):
    _, token = _client()
    response = _post(client, token, "https://hook.example.jp/yakuba?x=1")
    assert response.status_code == 201, response.content
    assert response.json()["url"] == "https://hook.example.jp/yakuba?x=1"


@pytest.mark.parametrize(
    "url",
    [
        "http://hook.example.jp/hook",  # not https
        "https://127.0.0.1:8443/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/",
        "https://172.16.5.4/",
        "https://192.168.0.1/",
        "https://100.64.0.1/",  # shared address space (CGN)
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://240.0.0.1/",
        "https://255.255.255.255/",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://2130706433/",  # 127.0.0.1 in decimal
        "https://0177.0.0.1/",  # octal
        "https://0x7f.1/",
        "https://127.1/",
        "https://0xa9fea9fe/",  # 169.254.169.254
        "https://internal.example.jp/",  # a name for a private address
        "https://mixed.example.jp/",  # one of its addresses is loopback
        "https://v6.example.jp/",
        "https://mapped.example.jp/",
        "https://nowhere.example.jp/",  # does not resolve: cannot be checked
    ],
)
def test_an_unsafe_destination_is_422_naming_the_url(aizu, dns, client, url):
    _, token = _client()
    response = _post(client, token, url)
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["url"]
    with tenant_context(AIZU):
        assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://[::1]/",
        "https://[::]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:a9fe:a9fe]/",
        "https://[fe80::1]/",
        "https://[fc00::1]/",
        "https://[fec0::1]/",
        "https://[ff02::1]/",
        "https://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "https://[2001:db8::1]/",
        "https://user:secret@hook.example.jp/",
        "ftp://hook.example.jp/",
        "https:///nohost",
        "https://hook.example.jp/a b",  # would break the request line
    ],
)
def test_the_same_check_without_the_api_schema(aizu, dns, url):
    """``yakuba webhook subscribe`` takes any string: IPv6 literals, user info, other schemes."""
    client, _ = _client()
    with pytest.raises(webhooks.SubscriptionError) as refused:
        _subscribe(client.id, url)
    assert refused.value.field == "url"


def test_a_global_ipv6_address_is_taken(aizu, dns):
    client, _ = _client()
    assert _subscribe(client.id, "https://[2001:4860:4860::8888]/hook").id


def test_public_means_globally_routable_unicast():
    public = ["8.8.8.8", "133.242.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"]
    internal = [
        "192.0.2.1",
        "198.18.0.1",
        "fd00::1",
        "::ffff:10.0.0.1",
        "2001:0:4136:e378:8000:63bf:80ff:fffe",
    ]
    assert all(safeurl.is_public(ipaddress.ip_address(a)) for a in public)
    assert not any(safeurl.is_public(ipaddress.ip_address(a)) for a in internal)


def test_the_operator_allows_hosts_and_networks(aizu, dns, settings):
    settings.WEBHOOK_ALLOW_HOSTS = ["hook.lan", " 10.20.0.0/16"]
    dns.update(
        {"hook.lan": ["10.9.9.9"], "intra.example.jp": ["10.20.3.4"], "other.example.jp": ["10.21.0.1"]}
    )
    client, _ = _client()
    for url in (
        "http://hook.lan:8080/x",
        "https://intra.example.jp/",
        "http://10.20.0.5/",
        "https://hook.lan/",
    ):
        assert _subscribe(client.id, url).url == url
    for url in ("https://other.example.jp/", "http://intra.example.jp/", "http://10.21.0.1/"):
        with pytest.raises(webhooks.SubscriptionError):
            _subscribe(client.id, url)


def test_a_client_has_at_most_twenty_active_subscriptions(aizu, dns, client):
    api_client, token = _client()
    ids = [
        _post(client, token, f"https://hook.example.jp/{i}").json()["id"]
        for i in range(webhooks.MAX_PER_CLIENT)
    ]
    refused = _post(client, token, "https://hook.example.jp/one-more")
    assert refused.status_code == 422
    assert f"{webhooks.MAX_PER_CLIENT} 件まで" in refused.json()["detail"]
    _, other_token = _client("other-vendor")
    assert _post(client, other_token, "https://hook.example.jp/other").status_code == 201  # per client
    deleted = client.delete(f"/api/v1/{AIZU}/webhooks/{ids[0]}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert deleted.status_code == 204
    assert _post(client, token, "https://hook.example.jp/one-more").status_code == 201


def _emit(n: int) -> None:
    with bind_actor(SYSTEM), tenant_context(AIZU):
        for i in range(n):
            emit(KV_TYPE, subject=f"{i:07d}", data={"i": i})


def test_delivery_checks_the_address_again_dns_rebinding(aizu, dns, monkeypatch):
    client, _ = _client()
    sub = _subscribe(client.id, "https://hook.example.jp/hook")  # global when subscribed
    dns["hook.example.jp"] = ["127.0.0.1"]  # … loopback when delivered
    posts = []
    monkeypatch.setattr(safeurl.Transport, "post", lambda self, *args: posts.append(args) or 204)
    _emit(1)
    report = webhooks.deliver(AIZU, sub.id)
    assert report.failed and report.delivered == 0 and posts == []
    with tenant_context(AIZU):
        assert Subscription.objects.get(id=sub.id).last_error.startswith("送信先が許可されていません")


def test_delivery_connects_to_the_address_it_checked(aizu, dns, settings, monkeypatch):
    """One look-up per chunk, ours: the connection never asks the resolver again."""
    receiver = Receiver()
    try:
        settings.WEBHOOK_ALLOW_HOSTS = ["hook.test"]
        dns["hook.test"] = [Receiver.HOST]
        port = receiver.server.server_address[1]
        original = socket.getaddrinfo
        by_name = []

        def numeric_only(host, *args, **kwargs):
            try:
                ipaddress.ip_address(host)
            except ValueError:
                by_name.append(host)
                raise socket.gaierror(socket.EAI_NONAME, "no second look-up") from None
            return original(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", numeric_only)
        client, _ = _client()
        sub = _subscribe(client.id, f"http://hook.test:{port}/hook")
        _emit(3)
        assert webhooks.deliver(AIZU, sub.id).delivered == 3
    finally:
        receiver.close()
    assert len(receiver.events) == 3 and by_name == []
    assert {h["Host"] for h in receiver.headers} == {f"hook.test:{port}"}
    assert dns.asked == ["hook.test", "hook.test"]  # subscribed, delivered


def test_connecting_gives_up_after_the_short_connect_timeout():
    listener = socket.create_server((Receiver.HOST, 0), backlog=0)
    port = listener.getsockname()[1]
    filler = socket.create_connection((Receiver.HOST, port))  # the accept queue is full now
    target = safeurl.Target("http", Receiver.HOST, port, "/", (Receiver.HOST,))
    try:
        started = time.monotonic()
        with safeurl.Transport() as transport, pytest.raises(urllib3.exceptions.ConnectTimeoutError):
            transport.post(target, b"{}", {})
        assert time.monotonic() - started < safeurl.CONNECT_TIMEOUT + 1
    finally:
        filler.close()
        listener.close()


def _certificate(tmp_path, name: str) -> tuple[str, str]:
    """A self-signed certificate for ``name`` (its own CA): the certificate and key files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(cert_file), str(key_file)


def _tls_receiver(cert_file: str, key_file: str, seen: list[str]) -> socket.socket:
    """Answers 204 over TLS on loopback; ``seen`` gets the SNI name and the request head."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.sni_callback = lambda _socket, name, _context: seen.append(name)
    listener = socket.create_server((Receiver.HOST, 0))

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # closed
            try:
                with context.wrap_socket(connection, server_side=True) as tls:
                    head = b""
                    while b"\r\n\r\n" not in head:
                        head += tls.recv(4096)
                    seen.append(head.split(b"\r\n\r\n")[0].decode())
                    tls.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except (ssl.SSLError, OSError):
                pass  # the client refused the certificate

    threading.Thread(target=serve, daemon=True).start()
    return listener


def test_https_goes_to_the_checked_address_and_verifies_the_host_name(tmp_path):
    cert_file, key_file = _certificate(tmp_path, "hook.test")
    seen: list[str] = []
    listener = _tls_receiver(cert_file, key_file, seen)
    port = listener.getsockname()[1]
    try:
        with safeurl.Transport(ca_certs=cert_file) as transport:
            target = safeurl.Target("https", "hook.test", port, "/hook", (Receiver.HOST,))
            assert transport.post(target, b"{}", {}) == 204
            impostor = safeurl.Target("https", "other.test", port, "/hook", (Receiver.HOST,))
            with pytest.raises(urllib3.exceptions.SSLError):
                transport.post(impostor, b"{}", {})  # a certificate for another name
    finally:
        listener.close()
    assert seen[0] == "hook.test" and f"Host: hook.test:{port}" in seen[1]
