"""Fetch a URL safely: the optional network path of ingest.

A URL given to ingest is hostile input. It may point at the machine itself, the
newsroom's LAN or a cloud metadata service (server-side request forgery), redirect
there after a harmless first hop, or answer with an endless, huge or compressed
body. So, on every hop:

* only ``http`` and ``https``, and no credentials in the URL;
* the host is resolved once, and the fetch is refused if *any* of its addresses is
  not public (unless ``allow_private``);
* the connection goes to exactly that checked address (see ``_pinned_request``),
  so a DNS answer that changes between the check and the connection (DNS
  rebinding) cannot redirect us to an internal address;
* redirects are followed by hand, at most ``max_redirects``, each one re-checked.

Every network step has a timeout, the whole fetch a total deadline, and the body
is streamed and cut off at ``max_bytes`` counted after decompression. No cookies
are sent, and environment proxies are ignored.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

SCHEMES = ("http", "https")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
KEPT_HEADERS = ("content-type", "last-modified", "etag", "date")
# Encodings with a bounded expansion per network read; httpx would also decode
# brotli/zstd, or stacked encodings, whose expansion per read is far larger.
ACCEPTED_ENCODINGS = frozenset({"identity", "gzip", "x-gzip", "deflate"})
# Names refused before resolving: loopback names and cloud metadata services.
BLOCKED_NAMES = frozenset({"localhost", "metadata", "metadata.goog", "instance-data"})
BLOCKED_SUFFIXES = (".localhost", ".internal")  # .internal: metadata.google.internal, *.ec2.internal
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Special-purpose ranges that older Pythons' is_global still counts as public:
# 192.0.0.0/24 (Oracle Cloud metadata at 192.0.0.192), the old 6to4 relay anycast,
# deprecated site-local IPv6 and the newer IPv6 documentation range.
ALSO_BLOCKED = tuple(
    ipaddress.ip_network(network) for network in ("192.0.0.0/24", "192.88.99.0/24", "fec0::/10", "3fff::/20")
)
OVERRIDE_HINT = "pass --allow-private to fetch it"
TOTAL_TIMEOUT_FACTOR = 3
SHOWN_URL_CHARS = 300


class FetchError(Exception):
    """A URL could not be fetched; the message names the URL and the problem."""


class BlockedAddressError(FetchError):
    """The URL's host is, or resolves to, a non-public address."""


@dataclass(frozen=True)
class Fetched:
    """One fetched resource, with what custody needs to say where it came from."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    media_type: str | None  # Content-Type without parameters, lower case
    charset: str | None
    body: bytes  # decoded (Content-Encoding removed)
    headers: dict[str, str]  # those of KEPT_HEADERS the server sent
    fetched_at: datetime  # UTC, when the final response arrived
    redirects: list[str]  # each URL redirected to, in order; the last one is final_url


def is_url(text: str) -> bool:
    """True for an ``http://`` or ``https://`` URL with a host; ingest treats anything else as a path."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in SCHEMES and bool(parts.netloc)


def is_blocked_address(address: str | IPAddress) -> bool:
    """True if ``address`` is not a public unicast address.

    That is loopback, private (RFC 1918, fc00::/7), link-local (including the
    169.254.169.254 metadata address), unspecified, multicast, reserved, shared
    address space (100.64/10) and other special-purpose ranges. IPv6 addresses that
    carry an IPv4 address (IPv4-mapped, 6to4, NAT64) are judged by that address.
    """
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_blocked_address(embedded)
    # is_global is False for loopback, private, link-local, unspecified and 100.64/10.
    return (
        not ip.is_global
        or ip.is_multicast
        or ip.is_reserved
        or any(ip.version == network.version and ip in network for network in ALSO_BLOCKED)
    )


def check_url(url: str, *, allow_private: bool = False, timeout: float = 20.0) -> list[IPAddress]:
    """Check one hop before connecting and return the addresses it may connect to.

    Raises FetchError for a bad scheme, credentials or an unresolvable host, and
    BlockedAddressError for a non-public host, each naming ``url``.
    """
    return _check(_parse(url, _shown(url)), _shown(url), allow_private, timeout)


def fetch_url(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 20 << 20,
    max_redirects: int = 5,
    allow_private: bool = False,
    user_agent: str = "Corroborator/0.1",
    total_timeout: float | None = None,
) -> Fetched:
    """GET ``url`` under the rules in the module docstring and return the final response.

    ``timeout`` bounds each network step (DNS, connect, each read and write);
    ``total_timeout`` (default three times ``timeout``) bounds the whole fetch, so
    a server dribbling bytes cannot hold ingest; it is checked between reads, so
    it may be overrun by at most one read timeout. HTTP status 400 and above,
    too many redirects and bodies over ``max_bytes`` raise FetchError.
    """
    shown = _shown(url)
    deadline = _Deadline(shown, TOTAL_TIMEOUT_FACTOR * timeout if total_timeout is None else total_timeout)
    current = _parse(url, shown)
    where = shown
    redirects: list[str] = []
    # No keep-alive: every hop gets its own connection, verified for its own host name.
    limits = httpx.Limits(max_keepalive_connections=0)
    try:
        with httpx.Client(trust_env=False, follow_redirects=False, limits=limits) as client:
            while True:
                addresses = _check(current, where, allow_private, deadline.cap(timeout))
                response = _connect(client, current, addresses, where, timeout, deadline, user_agent)
                try:
                    status = response.status_code
                    if status in REDIRECT_STATUSES:
                        location = response.headers.get("location")
                        if location is None:
                            raise FetchError(f"{where}: HTTP {status} redirect without a Location header")
                        if len(redirects) >= max_redirects:
                            raise FetchError(f"{shown}: more than {max_redirects} redirects")
                        current = current.join(location)
                        redirects.append(str(current))
                        where = f"{_shown(str(current))} (redirected from {shown})"
                        continue
                    if status >= 400:
                        raise FetchError(f"{where}: HTTP {status} {response.reason_phrase}".rstrip())
                    fetched_at = datetime.now(UTC)
                    body = _read_body(response, where, max_bytes, deadline)
                finally:
                    response.close()
                return Fetched(
                    url=url,
                    final_url=str(current),
                    status=status,
                    media_type=response.headers.get("content-type", "").split(";")[0].strip().lower() or None,
                    charset=response.charset_encoding,
                    body=body,
                    headers={name: response.headers[name] for name in KEPT_HEADERS if name in response.headers},
                    fetched_at=fetched_at,
                    redirects=redirects,
                )
    except httpx.TimeoutException as error:
        deadline.left()  # a step cut short by the total deadline reports the deadline
        raise FetchError(f"{where}: no progress within {timeout:g} s ({type(error).__name__})") from error
    except httpx.InvalidURL as error:
        raise FetchError(f"{where}: invalid URL: {error}") from error
    except httpx.HTTPError as error:
        raise FetchError(f"{where}: {type(error).__name__}: {error}") from error


# -- internals ---------------------------------------------------------------------------------


class _Deadline:
    """The wall-clock limit on the whole fetch."""

    def __init__(self, shown: str, seconds: float) -> None:
        self.shown = shown
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left; FetchError once none are."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise FetchError(f"{self.shown}: took longer than the {self.seconds:g} s limit for the whole fetch")
        return left

    def cap(self, timeout: float) -> float:
        """``timeout``, shortened to the time left."""
        return min(timeout, self.left())


def _shown(url: str) -> str:
    """``url`` as it may appear in a message: printable, bounded, without a password."""
    try:
        parts = urlsplit(url)
        if parts.password is not None:
            url = parts._replace(netloc=f"{parts.username}:***@{parts.netloc.rpartition('@')[2]}").geturl()
    except ValueError:
        pass
    if not url.isprintable():
        url = ascii(url)
    return url if len(url) <= SHOWN_URL_CHARS else url[:SHOWN_URL_CHARS] + "…"


def _parse(url: str, shown: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except httpx.InvalidURL as error:
        raise FetchError(f"{shown}: not a valid URL: {error}") from error


def _check(url: httpx.URL, where: str, allow_private: bool, timeout: float) -> list[IPAddress]:
    """The per-hop check: scheme, credentials, host name, then every resolved address."""
    if url.scheme not in SCHEMES:
        raise FetchError(f"{where}: unsupported URL scheme {url.scheme or '(none)'!r}; only http and https are fetched")
    if url.userinfo:
        raise FetchError(f"{where}: URLs with credentials (user:password@) are not fetched")
    host = url.raw_host.decode("ascii").lower().rstrip(".")
    if not host:
        raise FetchError(f"{where}: URL has no host")
    if not allow_private and (host in BLOCKED_NAMES or host.endswith(BLOCKED_SUFFIXES)):
        raise BlockedAddressError(f"{where}: {host} is a private/loopback address; {OVERRIDE_HINT}")
    addresses = _resolve(host, url.port or (443 if url.scheme == "https" else 80), where, timeout)
    blocked = None if allow_private else next((a for a in addresses if is_blocked_address(a)), None)
    if blocked is not None:
        subject = host if host == str(blocked) else f"{host} resolves to {blocked}, which"
        raise BlockedAddressError(f"{where}: {subject} is a private/loopback address; {OVERRIDE_HINT}")
    return addresses


def _resolve(host: str, port: int, where: str, timeout: float) -> list[IPAddress]:
    """All addresses of ``host``, in the resolver's order.

    An IP literal is returned as is, without a lookup. getaddrinfo has no timeout
    of its own, so it runs in a daemon thread that we stop waiting for.
    """
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    answer: list[list[tuple] | Exception] = []

    def lookup() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as error:
            answer.append(error)

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not answer:
        raise FetchError(f"{where}: looking up {host} timed out after {timeout:g} s")
    if isinstance(answer[0], Exception):
        raise FetchError(f"{where}: cannot resolve {host}: {answer[0]}")
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in answer[0]))
    if not addresses:
        raise FetchError(f"{where}: {host} has no addresses")
    return addresses


def _connect(
    client: httpx.Client,
    url: httpx.URL,
    addresses: list[IPAddress],
    where: str,
    timeout: float,
    deadline: _Deadline,
    user_agent: str,
) -> httpx.Response:
    """Send the request to the first checked address that accepts a connection."""
    failure: httpx.TransportError | None = None
    for address in addresses:
        request = _pinned_request(url, address, deadline.cap(timeout), user_agent)
        try:
            return client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            failure = error
    raise FetchError(f"{where}: cannot connect to {url.host}: {failure}") from failure


def _pinned_request(url: httpx.URL, address: IPAddress, timeout: float, user_agent: str) -> httpx.Request:
    """A GET for ``url`` that connects to ``address`` and nowhere else.

    The URL's host is replaced by the checked IP, so httpcore connects to that
    literal without resolving anything again: the address checked is the address
    connected to, whatever the DNS says a moment later. The server still sees the
    real name in the Host header, and TLS uses it for SNI and certificate
    verification (httpcore's ``sni_hostname`` extension), so HTTPS is verified
    against the name, not the IP. The Request is built here rather than with
    ``client.build_request`` so that the client's cookie jar and default headers
    are never merged in: no cookies are sent.
    """
    return httpx.Request(
        "GET",
        url.copy_with(host=str(address)),
        headers={
            "Host": url.netloc.decode("ascii"),
            "User-Agent": user_agent,
            "Accept": "*/*",
            "Accept-Encoding": "gzip, deflate",
        },
        extensions={
            "timeout": httpx.Timeout(timeout).as_dict(),
            "sni_hostname": url.raw_host.decode("ascii"),
        },
    )


def _read_body(response: httpx.Response, where: str, max_bytes: int, deadline: _Deadline) -> bytes:
    """The decoded body, refused early on Content-Length and cut off once over ``max_bytes``."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ACCEPTED_ENCODINGS:
        raise FetchError(f"{where}: unsupported Content-Encoding {encoding!r}")
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{where}: larger than the {_size(max_bytes)} limit (Content-Length: {declared})")
    chunks: list[bytes] = []
    received = 0
    for chunk in response.iter_bytes():
        received += len(chunk)
        if received > max_bytes:
            raise FetchError(f"{where}: larger than the {_size(max_bytes)} limit")
        chunks.append(chunk)
        deadline.left()
    return b"".join(chunks)


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale and count % scale == 0:
            return f"{count // scale} {unit}"
    return f"{count} bytes"
