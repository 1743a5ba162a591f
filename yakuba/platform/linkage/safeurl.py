"""Webhook destinations that cannot be turned against the municipality's own network (SSRF).

A webhook makes the server POST to a URL a client chose. Without a check, a client could make
it reach what only the server can reach: the cloud metadata service (``169.254.169.254``), the
database or admin ports on loopback, other systems of the 庁内 network (issue 10, finding 9;
OWASP SSRF Prevention Cheat Sheet). So a destination must be ``https`` and every address its
name resolves to must be globally routable, unless the operator allowed the host in
``YAKUBA_WEBHOOK_ALLOW_HOSTS`` (names, addresses or networks: receivers inside the 庁内 network
are private by nature, and only the operator can vouch for them).

The check runs when a subscription is made and again at every delivery, because a name can
resolve elsewhere later (DNS rebinding): delivery resolves once, checks every address, and
connects to a checked address itself (``Transport``), so no second look-up can swap it.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
CONNECT_TIMEOUT = 2.0  # seconds; a receiver that is up accepts a connection at once
READ_TIMEOUT = 10.0  # seconds for the answer (docs/linkage.md "What you receive")
MAX_ANSWER = 64 * 1024  # bytes of a receiver's answer read before the connection is dropped
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeUrl(ValueError):
    """A destination a webhook may not be sent to; the message is for the person who chose it."""


@dataclass(frozen=True)
class Target:
    """A checked destination: where to connect (``addresses``) and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def _literal(host: str) -> Address | None:
    """The address a host names directly, also in the spellings ``inet_aton`` accepts and
    resolvers honour (``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host[:1].isdigit() and host.replace(".", "").isalnum():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _embedded_ipv4(address: Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries and is routed to (mapped, 6to4, Teredo, NAT64)."""
    if isinstance(address, ipaddress.IPv4Address):
        return []
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [a for a in found if a is not None]


def is_public(address: Address) -> bool:
    """Globally routable unicast. In Python 3.11 ``is_global`` alone lets multicast, IPv6
    site-local and internal IPv4 addresses wrapped in IPv6 (6to4, Teredo) through."""
    if any(not is_public(v4) for v4 in _embedded_ipv4(address)):
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return True  # judged by the IPv4 address it maps to
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
    )


@dataclass(frozen=True)
class Allowed:
    """The operator's exceptions: host names (exact) and networks."""

    names: frozenset[str]
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    @classmethod
    def from_settings(cls) -> Allowed:
        names, networks = set(), []
        for entry in settings.WEBHOOK_ALLOW_HOSTS:
            entry = entry.strip().strip("[]").lower().rstrip(".")
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                names.add(entry)
        return cls(frozenset(names), tuple(networks))

    def covers(self, address: Address) -> bool:
        return any(address in network for network in self.networks)


def resolve(host: str, port: int) -> list[str]:
    """The addresses of ``host``, in the resolver's order (tests replace this)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def check(url: str) -> Target:
    """The destination of ``url`` if a webhook may go there, else ``UnsafeUrl``.

    Resolves the host name (the only look-up: connect to ``Target.addresses``).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeUrl("送信先の URL の形式が不正です") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in ("https", "http") or not host:
        raise UnsafeUrl("送信先は https:// で始まる URL です")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("送信先の URL に利用者名やパスワードは含められません")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if not all("!" <= c <= "~" for c in path):
        raise UnsafeUrl("送信先の URL のパスに使えない文字があります（空白、制御文字、ASCII 以外）")
    allowed = Allowed.from_settings()
    literal = _literal(host)
    host_allowed = host in allowed.names or (literal is not None and allowed.covers(literal))
    if scheme != "https" and not host_allowed:
        raise UnsafeUrl("送信先は https:// で始まる URL です（http は運用者が許可した送信先に限ります）")
    if not host_allowed and (host == "localhost" or host.endswith(".localhost")):
        raise UnsafeUrl(f"送信先 {host} はこのサーバー自身です")
    port = port or (443 if scheme == "https" else 80)
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = resolve(host.encode("idna").decode("ascii"), port)
        except (OSError, UnicodeError):
            addresses = []
        if not addresses:
            raise UnsafeUrl(f"送信先のホスト名 {host} を解決できません")
    if not host_allowed:
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if not is_public(address) and not allowed.covers(address):
                raise UnsafeUrl(
                    f"送信先 {host} は内部向けのアドレス（ループバック、リンクローカル、プライベート等）"
                    "です。必要なら運用者が YAKUBA_WEBHOOK_ALLOW_HOSTS で許可します"
                )
    return Target(scheme, host, port, path, tuple(addresses))


class Transport:
    """HTTP(S) to checked addresses, one keep-alive connection per (destination, address).

    The TLS handshake still names and verifies the host of the URL (SNI and certificate),
    and the ``Host`` header carries it; only the look-up is ours. Proxies from the environment
    are not used: a webhook goes straight to its checked address.
    """

    def __init__(self, *, ca_certs: str | None = None) -> None:
        self._pools: dict[tuple[str, str, int, str], urllib3.HTTPConnectionPool] = {}
        self._ca_certs = ca_certs or certifi.where()
        self.timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)

    def _pool(self, target: Target, address: str) -> urllib3.HTTPConnectionPool:
        key = (target.scheme, target.host, target.port, address)
        pool = self._pools.get(key)
        if pool is None:
            if target.scheme == "https":
                pool = urllib3.HTTPSConnectionPool(
                    address,
                    target.port,
                    server_hostname=target.host,
                    assert_hostname=target.host,
                    cert_reqs="CERT_REQUIRED",
                    ca_certs=self._ca_certs,
                )
            else:
                pool = urllib3.HTTPConnectionPool(address, target.port)
            self._pools[key] = pool
        return pool

    def post(self, target: Target, body: bytes, headers: dict[str, str]) -> int:
        """POST ``body``; the status code. The next checked address is tried only when no
        connection could be made to one (the request has then surely not been received)."""
        *others, last = target.addresses
        for address in others:
            try:
                return self._post(target, address, body, headers)
            except urllib3.exceptions.ConnectTimeoutError:  # also refused, unreachable
                continue
        return self._post(target, last, body, headers)

    def _post(self, target: Target, address: str, body: bytes, headers: dict[str, str]) -> int:
        response = self._pool(target, address).urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": target.host_header},
            redirect=False,
            retries=False,
            timeout=self.timeout,
            assert_same_host=False,
            preload_content=False,
        )
        # The answer's body means nothing to us, but is read (within limits) so that the
        # connection can carry the next event.
        if len(response.read(MAX_ANSWER + 1, decode_content=False)) > MAX_ANSWER:
            response.close()
        response.release_conn()
        return response.status

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
