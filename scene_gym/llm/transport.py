"""One bounded HTTP POST for :class:`~scene_gym.llm.chat_client.ChatClient` (standard library only).

urllib's ``timeout`` bounds each socket operation, not the request: a server that sends one byte every few
seconds never times out, and ``read()`` takes a reply of any size. :func:`post` bounds both:

- **Wall-clock limit** (seconds): a timer started before the connection shuts the socket down when the limit
  passes, whatever phase the request is in (TLS handshake, waiting, headers, body); the socket timeout is the
  same limit. Only name resolution (``getaddrinfo``) is outside the timer's reach; the resolver's own timeouts
  bound it.
- **Size cap** (bytes): a declared ``Content-Length`` above the cap fails before reading; otherwise the body is
  read in chunks of at most 64 KiB and fails as soon as it passes the cap.
- **No redirects**: a 3xx answer is returned as an error instead of being followed, so headers (the API key)
  never go to a host the caller did not name.
- **No proxy for loopback hosts**: ``http://localhost:8000`` is this machine, never a proxy's localhost.

Failures raise :class:`Expired`, :class:`TooLarge`, ``urllib.error.HTTPError`` (any non-2xx answer, its body
read up to 300 bytes into :attr:`HTTPFailure.detail`) or the network error as raised.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

CHUNK_BYTES = 64 * 1024


class Expired(Exception):
    """The wall-clock limit passed before the whole reply arrived."""


class TooLarge(Exception):
    """The reply (declared or read so far) is larger than the cap."""


class HTTPFailure(Exception):
    """A non-2xx answer: ``code`` and the start of its body (``detail``, at most 300 bytes decoded)."""

    def __init__(self, code: int, detail: str):
        super().__init__(f"HTTP {code}: {detail}")
        self.code, self.detail = code, detail


def is_loopback(url: str) -> bool:
    """Whether ``url``'s host is this machine by its literal name: ``localhost`` or an address in 127.0.0.0/8 or
    ``::1``. Names are not resolved (a DNS answer can change between the check and the connection)."""
    host = (urllib.parse.urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(addr, "ipv4_mapped", None)
    return addr.is_loopback or (mapped is not None and mapped.is_loopback)


class _Watch:
    """Shuts down every socket this request opened once ``seconds`` have passed. Holds a duplicate of each socket
    (``dup``), because TLS wrapping detaches the original; ``shutdown`` acts on the connection both share."""

    def __init__(self, seconds: float):
        self.expired = False
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._socks:
                _shutdown(sock)

    def create_connection(self, address, timeout=None, source_address=None, **kw):
        sock = socket.create_connection(address, timeout, source_address, **kw)
        with self._lock:
            self._socks.append(sock.dup())
            if self.expired:
                _shutdown(sock)
        return sock

    def connection_class(self, base: type[http.client.HTTPConnection]):
        """A factory for urllib's ``do_open`` building ``base`` connections whose sockets this watch holds."""

        def make(*args, **kw):
            conn = base(*args, **kw)
            conn._create_connection = self.create_connection  # the hook http.client itself reads
            return conn

        return make

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._socks:
                sock.close()
            self._socks.clear()


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch):
        super().__init__()
        self.watch = watch

    def http_open(self, req):
        return self.do_open(self.watch.connection_class(http.client.HTTPConnection), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch):
        super().__init__()
        self.watch = watch

    def https_open(self, req):
        return self.do_open(self.watch.connection_class(http.client.HTTPSConnection), req, context=self._context)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx code


def _read_capped(resp, max_bytes: int) -> bytes:
    declared = resp.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"declared Content-Length {int(declared)} bytes")
    chunks, total = [], 0
    while True:
        chunk = resp.read(min(CHUNK_BYTES, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise TooLarge(f"more than {max_bytes} bytes read")


def post(url: str, body: bytes, headers: dict[str, str], *, limit_s: float, max_bytes: int) -> bytes:
    """POST ``body`` to ``url`` and return the reply's body, all within ``limit_s`` seconds of wall-clock time and
    ``max_bytes`` bytes of body (module docstring). Raises :class:`Expired`, :class:`TooLarge`,
    :class:`HTTPFailure` or the network error (``OSError``, ``urllib.error.URLError``,
    ``http.client.HTTPException``)."""
    watch = _Watch(limit_s)
    handlers = [_HTTPHandler(watch), _HTTPSHandler(watch), _NoRedirect()]
    if is_loopback(url):
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    start = time.monotonic()
    try:
        with opener.open(req, timeout=limit_s) as resp:
            raw = _read_capped(resp, max_bytes)
        if watch.expired:  # a body without Content-Length just ends when the socket is shut down
            raise Expired()
        return raw
    except urllib.error.HTTPError as err:
        try:
            detail = err.read(300).decode("utf-8", "replace") if err.fp else ""
        except (OSError, http.client.HTTPException):
            detail = ""
        finally:
            err.close()
        if watch.expired:
            raise Expired() from None
        raise HTTPFailure(err.code, detail) from None
    except (OSError, urllib.error.URLError, http.client.HTTPException) as err:
        timed_out = isinstance(err, TimeoutError) or isinstance(getattr(err, "reason", None), TimeoutError)
        if watch.expired or timed_out or time.monotonic() - start >= limit_s:
            raise Expired() from None
        raise
    finally:
        watch.close()
