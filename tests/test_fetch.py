"""fetch_url against a real HTTP server on 127.0.0.1, and the address checks without any network."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from corroborator.ingest import fetch
from corroborator.ingest.fetch import (
    BlockedAddressError,
    FetchError,
    check_url,
    fetch_url,
    is_blocked_address,
    is_url,
)

PAGE = b"<!doctype html><html><head><title>Almaty</title></head><body><p>Report.</p></body></html>"
SMALL_LIMIT = 10_000


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self.server.seen.append((self.path, dict(self.headers)))
        route = getattr(self, "route_" + self.path.strip("/").replace("-", "_"), None)
        try:
            if route is None:
                self.reply(404, b"not here")
            else:
                route()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up on us, as it should
            self.close_connection = True

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, **headers: str) -> None:
        self.reply(302, headers={"Location": location, **headers})

    def route_page(self) -> None:
        self.reply(
            200,
            PAGE,
            {
                "Content-Type": "text/html; charset=utf-8",
                "ETag": '"v1"',
                "Last-Modified": "Thu, 06 Jan 2022 01:00:00 GMT",
                "X-Internal": "not kept",
            },
        )

    def route_r1(self) -> None:
        self.redirect("/r2")

    def route_r2(self) -> None:
        self.send_response(301)
        self.send_header("Location", f"http://{self.headers['Host']}/page")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def route_to_file(self) -> None:
        self.redirect("file:///etc/passwd")

    def route_to_metadata(self) -> None:
        self.redirect("http://169.254.169.254/latest/meta-data/")

    def route_loop(self) -> None:
        self.redirect("/loop")

    def route_set_cookie(self) -> None:
        self.redirect("/page", **{"Set-Cookie": "session=secret; Path=/"})

    def route_big(self) -> None:
        self.reply(200, b"x" * 50_000, {"Content-Type": "text/plain"})

    def route_huge_declared(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(30 << 20))
        self.end_headers()
        self.close_connection = True

    def route_no_length(self) -> None:
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"y" * 50_000)
        self.close_connection = True

    def route_short_lie(self) -> None:  # declares 100 bytes, sends 50 000
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        self.wfile.write(b"z" * 50_000)
        self.close_connection = True

    def route_long_lie(self) -> None:  # declares 5 000 bytes, sends 10 and hangs up
        self.send_response(200)
        self.send_header("Content-Length", "5000")
        self.end_headers()
        self.wfile.write(b"z" * 10)
        self.close_connection = True

    def route_gzip_page(self) -> None:
        self.reply(200, gzip.compress(PAGE), {"Content-Type": "text/html", "Content-Encoding": "gzip"})

    def route_gzip_bomb(self) -> None:  # about 5 KiB on the wire, 5 MiB decoded
        self.reply(200, gzip.compress(b"\0" * (5 << 20)), {"Content-Encoding": "gzip"})

    def route_brotli(self) -> None:
        self.reply(200, b"\x0b\x02\x80hi\x03", {"Content-Encoding": "br"})

    def route_drip(self) -> None:  # a byte every 50 ms: each read is quick, the whole never ends
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(1000):
            self.wfile.write(b".")
            time.sleep(0.05)

    def route_stall(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "10")
        self.end_headers()
        time.sleep(2)
        self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[tuple[str, dict[str, str]]] = []

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server: Server) -> str:
    server.seen.clear()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any DNS lookup or connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network used: {args}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> dict[str, int]:
    """Resolve the names in ``answers`` to one address per lookup, in turn; count lookups."""
    real = socket.getaddrinfo
    lookups = dict.fromkeys(answers, 0)

    def getaddrinfo(host: str, port: int, *args: object, **kwargs: object) -> list[tuple]:
        if host not in answers:
            return real(host, port, *args, **kwargs)
        address = answers[host][min(lookups[host], len(answers[host]) - 1)]
        lookups[host] += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def record_connections(monkeypatch: pytest.MonkeyPatch, allow: Callable[[str], bool]) -> list[str]:
    """Log every outgoing connection's address; refuse those ``allow`` rejects."""
    real = socket.create_connection
    attempts: list[str] = []

    def create_connection(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address[0])
        if not allow(address[0]):
            raise OSError("unreachable in this test")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return attempts


# -- checks that need no server ----------------------------------------------------------------


def test_is_url() -> None:
    assert is_url("https://example.org/a?b=1")
    assert is_url("HTTP://example.org")
    for text in (
        "reports/a.html",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "http://",
        "mailto:a@b.c",
        "http://[::1",
    ):
        assert not is_url(text), text


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "100.100.100.200",
        "192.0.0.192",
        "192.0.2.1",
        "198.18.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fec0::1",
        "fc00::1",
        "fd00:ec2::254",
        "ff02::1",
        "2001:db8::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "2002:7f00:1::",
        "64:ff9b::a9fe:a9fe",
    ],
)
def test_non_public_addresses_are_blocked(address: str) -> None:
    assert is_blocked_address(address)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_pass(address: str) -> None:
    assert not is_blocked_address(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]:8080/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "https://localhost/",
        "http://LOCALHOST./",
        "http://metadata.google.internal/computeMetadata/v1/",
    ],
)
def test_internal_hosts_refused_without_network(url: str, no_network: None) -> None:
    for attempt in (lambda: check_url(url), lambda: fetch_url(url)):
        with pytest.raises(BlockedAddressError) as caught:
            attempt()
        assert url in str(caught.value)
        assert "is a private/loopback address; pass --allow-private to fetch it" in str(caught.value)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/", "data:text/plain,hi"]
)
def test_other_schemes_refused(url: str, no_network: None) -> None:
    with pytest.raises(FetchError, match="unsupported URL scheme") as caught:
        fetch_url(url)
    assert not isinstance(caught.value, BlockedAddressError)
    assert url in str(caught.value)


def test_credentials_refused_and_not_echoed(no_network: None) -> None:
    with pytest.raises(FetchError, match="credentials") as caught:
        fetch_url("https://editor:hunter2@example.org/report")
    assert "hunter2" not in str(caught.value)
    assert "example.org/report" in str(caught.value)


def test_check_url_refuses_a_name_that_resolves_inside(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"news.example": ["10.1.2.3"]})
    with pytest.raises(
        BlockedAddressError, match=r"news\.example resolves to 10\.1\.2\.3, which is a private/loopback"
    ):
        check_url("https://news.example/story")
    assert check_url("https://news.example/story", allow_private=True) == [ipaddress.ip_address("10.1.2.3")]


# -- against the local server ------------------------------------------------------------------


def test_loopback_needs_allow_private(base: str, server: Server) -> None:
    with pytest.raises(BlockedAddressError, match=r"127\.0\.0\.1 is a private/loopback address; pass --allow-private"):
        fetch_url(f"{base}/page")
    port = server.server_address[1]
    with pytest.raises(BlockedAddressError, match="localhost is a private/loopback address"):
        fetch_url(f"http://localhost:{port}/page")
    assert server.seen == []


def test_fetches_a_page(base: str, server: Server) -> None:
    fetched = fetch_url(f"{base}/page", allow_private=True, user_agent="Corroborator/test")
    assert fetched.url == fetched.final_url == f"{base}/page"
    assert (fetched.status, fetched.media_type, fetched.charset, fetched.body) == (200, "text/html", "utf-8", PAGE)
    assert set(fetched.headers) == {"content-type", "etag", "last-modified", "date"}
    assert fetched.headers["etag"] == '"v1"'
    assert fetched.fetched_at.tzinfo is UTC
    assert fetched.redirects == []
    sent = server.seen[0][1]
    assert sent["User-Agent"] == "Corroborator/test"
    assert sent["Host"] == base.removeprefix("http://")


def test_localhost_works_with_allow_private(server: Server) -> None:
    fetched = fetch_url(f"http://localhost:{server.server_address[1]}/page", allow_private=True)
    assert fetched.body == PAGE


def test_follows_redirects(base: str) -> None:
    fetched = fetch_url(f"{base}/r1", allow_private=True)
    assert fetched.redirects == [f"{base}/r2", f"{base}/page"]
    assert fetched.final_url == f"{base}/page"
    assert fetched.body == PAGE


def test_redirect_to_another_scheme_refused(base: str) -> None:
    with pytest.raises(FetchError, match="unsupported URL scheme 'file'") as caught:
        fetch_url(f"{base}/to-file", allow_private=True)
    assert f"(redirected from {base}/to-file)" in str(caught.value)


def test_redirect_loop_stops(base: str, server: Server) -> None:
    with pytest.raises(FetchError, match=r"/loop: more than 3 redirects"):
        fetch_url(f"{base}/loop", allow_private=True, max_redirects=3)
    assert len(server.seen) == 4


def test_every_hop_is_rechecked(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The local server stands in for a public one; its redirect to the metadata address is refused."""
    real_check = fetch.is_blocked_address
    monkeypatch.setattr(
        fetch, "is_blocked_address", lambda address: str(address) != "127.0.0.1" and real_check(address)
    )
    attempts = record_connections(monkeypatch, lambda address: address == "127.0.0.1")
    with pytest.raises(BlockedAddressError, match=r"169\.254\.169\.254 is a private/loopback address") as caught:
        fetch_url(f"{base}/to-metadata")
    assert f"redirected from {base}/to-metadata" in str(caught.value)
    assert attempts == ["127.0.0.1"]


def test_no_cookies_sent(base: str, server: Server) -> None:
    fetch_url(f"{base}/set-cookie", allow_private=True)
    assert [path for path, _ in server.seen] == ["/set-cookie", "/page"]
    assert all("Cookie" not in headers for _, headers in server.seen)


def test_connects_to_the_checked_address_only(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name is resolved once, and the connection goes to that answer."""
    port = server.server_address[1]
    lookups = fake_dns(
        monkeypatch, {"news.example": ["127.0.0.1", "203.0.113.7"], "rebind.example": ["8.8.8.8", "127.0.0.1"]}
    )
    attempts = record_connections(monkeypatch, lambda address: address == "127.0.0.1")

    fetched = fetch_url(f"http://news.example:{port}/page", allow_private=True, timeout=1)
    assert fetched.body == PAGE
    assert server.seen[-1][1]["Host"] == f"news.example:{port}"
    assert lookups["news.example"] == 1

    with pytest.raises(FetchError, match=r"cannot connect to rebind\.example"):
        fetch_url(f"http://rebind.example:{port}/page", timeout=1)
    assert lookups["rebind.example"] == 1
    assert attempts == ["127.0.0.1", "8.8.8.8"]


def test_tls_verifies_the_name_not_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connected to the pinned IP, the TLS handshake still asks for the host name (SNI)."""
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)  # no certificate: the handshake fails after SNI
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection, pytest.raises(ssl.SSLError):
            context.wrap_socket(connection, server_side=True)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    fake_dns(monkeypatch, {"secure.example": ["127.0.0.1"]})
    with listener, pytest.raises(FetchError, match=r"cannot connect to secure\.example"):
        fetch_url(f"https://secure.example:{listener.getsockname()[1]}/", allow_private=True, timeout=2)
    thread.join(2)
    assert names == ["secure.example"]


def test_http_error_status(base: str) -> None:
    with pytest.raises(FetchError, match=r"/missing: HTTP 404 Not Found"):
        fetch_url(f"{base}/missing", allow_private=True)


@pytest.mark.parametrize("path", ["big", "no-length", "gzip-bomb"])
def test_size_limit(base: str, path: str) -> None:
    with pytest.raises(FetchError, match=f"/{path}: larger than the 10000 bytes limit"):
        fetch_url(f"{base}/{path}", allow_private=True, max_bytes=SMALL_LIMIT)


def test_declared_size_refused_before_reading(base: str) -> None:
    with pytest.raises(FetchError, match=r"larger than the 20 MiB limit \(Content-Length: 31457280\)"):
        fetch_url(f"{base}/huge-declared", allow_private=True)


def test_lying_content_length(base: str) -> None:
    assert fetch_url(f"{base}/short-lie", allow_private=True).body == b"z" * 100
    with pytest.raises(FetchError, match="/long-lie"):
        fetch_url(f"{base}/long-lie", allow_private=True)


def test_content_encoding(base: str) -> None:
    assert fetch_url(f"{base}/gzip-page", allow_private=True).body == PAGE
    with pytest.raises(FetchError, match="unsupported Content-Encoding 'br'"):
        fetch_url(f"{base}/brotli", allow_private=True)


def test_total_deadline_stops_a_dripping_server(base: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"/drip: took longer than the 1\.5 s limit for the whole fetch"):
        fetch_url(f"{base}/drip", allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 2.5


def test_read_timeout(base: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"/stall: no progress within 0\.3 s \(ReadTimeout\)"):
        fetch_url(f"{base}/stall", allow_private=True, timeout=0.3)
    assert time.monotonic() - started < 1.5
