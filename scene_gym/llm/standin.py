"""A local stand-in for an OpenAI-compatible chat-completions server (127.0.0.1, port 0, a thread), for tests and
benchmarks: no model, no network beyond loopback.

It plays a script, one entry per request, and records every request body and its headers:

- ``("text", content)``: an assistant message with ``content``;
- ``("tool_calls", [(name, args dict), ...])``: an assistant message with ``tool_calls`` (arguments as JSON text);
- ``("logprobs", content, [lp, ...])``: content plus ``choices[0].logprobs.content`` with those values;
- ``("status", code)``: an HTTP error with a JSON body;
- ``("sleep", seconds)``: wait, then answer with the default reply (lets a client time out);
- ``("raw", bytes)``: a 200 reply with this body;
- ``("refusal", text)``: an assistant message with no content and ``refusal`` set (OpenAI's refusal field);
- ``("trickle", seconds)``: the default reply, status line and headers included, one byte every ``seconds``;
  ``("trickle", seconds, "body")`` sends the headers at once and trickles the body;
- ``("big", n_bytes, declared)``: a 200 reply whose body is ``n_bytes`` long, with its ``Content-Length`` when
  ``declared``, else ended by closing the connection;
- ``("redirect", location)``: a 302 to ``location``;
- ``("obey", phrase, content, (open, close))``: a judge that obeys injected instructions. It answers ``content``
  when ``phrase`` (any case) appears in the request's messages anywhere but inside a block between the markers
  ``open`` and ``close`` that holds one valid JSON document (quoted data it does not obey); else the default.

``("status", code, body)`` sends ``body`` (a dict, as JSON) instead of the default error body.

An empty script answers ``responder(request)`` when a responder is given (a function of the decoded request body
returning one of the entries above; it runs in the request's thread), else ``default``.

For load tests:

- ``latency`` (seconds, default 0): every request waits this long before it is answered (a model's generation
  time); waits overlap, as on a batching server.
- ``faults`` (``{request index: kind}``, indices from 0 in arrival order): that request gets a fault instead of its
  answer, and consumes no script entry: ``"500"`` (HTTP 500), ``"hang"`` (no answer for ``hang_s`` seconds,
  default 30, then the connection closes: past any sensible client timeout) or ``"garbage"`` (a 200 whose body
  is not JSON).
- :attr:`in_flight` / :attr:`max_in_flight`: requests being answered now / at most at once since
  :meth:`reset_counts`.

Structured output (``response_format``): with ``schema_support=True`` (default) a request carrying one must have
OpenAI's shape (``{"type": "json_schema", "json_schema": {"name", "schema", ...}}`` with an object schema, or
``{"type": "json_object"}``/``{"type": "text"}``), else it gets a 400 naming ``response_format``; the script
answers it as usual. With ``schema_support=False`` the stand-in plays a server without structured output: every
request carrying ``response_format`` gets a 400 whose body names the field (as vLLM and llama.cpp word it) and
consumes no script entry.

``tls=(certificate file, key file)`` serves https instead of http. Every reply loop is bounded by its body and stops
when the client hangs up or the stand-in closes. Use it as a context manager or call :meth:`close`.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scene_gym.errors import SceneGymError

FAULTS = ("500", "hang", "garbage")
"""The fault kinds of ``faults``."""


class ChatStandIn:
    """The stand-in server (module docstring).

    Args:
        default: the entry answered when the script is empty and there is no responder.
        tls: (certificate file, key file) to serve https.
        schema_support: whether requests with ``response_format`` are answered (module docstring).
        latency: seconds every request waits before its answer (>= 0).
        faults: ``{request index: "500" | "hang" | "garbage"}``.
        responder: ``request dict -> entry`` for requests the script does not cover.
        hang_s: seconds a ``"hang"`` fault holds the connection before closing it (> 0).

    Attributes:
        url: the API root, ``http://127.0.0.1:<port>/v1``.
        requests, headers: every request body (decoded JSON; None for a body that is not JSON) and its headers,
            in arrival order.
        fault_log: ``(request index, kind)`` of the faults served.
    """

    def __init__(self, default=("text", "done"), tls: tuple[str, str] | None = None, schema_support: bool = True,
                 *, latency: float = 0.0, faults: Mapping[int, str] | None = None,
                 responder: Callable[[dict], tuple] | None = None, hang_s: float = 30.0):  # fmt: skip
        if isinstance(latency, bool) or not isinstance(latency, int | float) or not 0 <= latency < 3600:
            raise SceneGymError(f"stand-in latency: expected seconds in [0, 3600), got {latency!r}")
        if isinstance(hang_s, bool) or not isinstance(hang_s, int | float) or not 0 < hang_s < 3600:
            raise SceneGymError(f"stand-in hang_s: expected seconds in (0, 3600), got {hang_s!r}")
        for index, kind in (faults or {}).items():
            if isinstance(index, bool) or not isinstance(index, int) or index < 0 or kind not in FAULTS:
                raise SceneGymError(f"stand-in faults: expected {{request index >= 0: one of {FAULTS}}}, "
                                    f"got {index!r}: {kind!r}")  # fmt: skip
        self.schema_support, self.latency, self.hang_s = schema_support, float(latency), float(hang_s)
        self.faults = dict(faults or {})
        self.responder = responder
        self.script: list[tuple] = []
        self.default = default
        self.requests: list[dict | None] = []
        self.headers: list[dict] = []
        self.fault_log: list[tuple[int, str]] = []
        self.in_flight = self.max_in_flight = 0
        self.closed = threading.Event()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        scheme = "http"
        if tls is not None:  # (certificate file, key file): serve https
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def __enter__(self) -> ChatStandIn:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def reset_counts(self) -> None:
        """Forget the recorded requests, headers, faults served and the in-flight maximum (the fault schedule's
        indices count from the next request)."""
        with self._lock:
            self.requests.clear()
            self.headers.clear()
            self.fault_log.clear()
            self.max_in_flight = self.in_flight

    def _arrive(self, body: bytes, headers: dict) -> tuple[int, dict | None]:
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        with self._lock:
            index = len(self.requests)
            self.requests.append(request)
            self.headers.append(headers)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        return index, request

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _entry(self, index: int, request: dict | None) -> tuple:
        """The entry answering request ``index`` (faults first, then refusals, the script, the responder)."""
        fault = self.faults.get(index)
        if fault is not None:
            with self._lock:
                self.fault_log.append((index, fault))
            return {"500": ("status", 500), "hang": ("hang",), "garbage": ("raw", b"<html>bad gateway")}[fault]
        refusal = self.response_format_refusal(request or {})
        if refusal is not None:
            return ("status", 400, refusal)
        with self._lock:
            scripted = self.script.pop(0) if self.script else None
        if scripted is not None:
            entry = scripted
        elif self.responder is not None and request is not None:
            entry = self.responder(request)
        else:
            entry = self.default
        if entry[0] == "sleep":
            self.closed.wait(entry[1])
            entry = self.default
        if entry[0] == "obey":
            entry = ("text", entry[2]) if self.obeys(request or {}, entry[1], entry[3]) else self.default
        return entry

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                index, request = outer._arrive(body, dict(self.headers))
                try:
                    if outer.latency:
                        outer.closed.wait(outer.latency)
                    entry = outer._entry(index, request)
                    if entry[0] == "hang":
                        outer.closed.wait(outer.hang_s)
                        return
                    self.answer(entry)
                except OSError:  # the client hung up (broken pipe, reset, TLS EOF)
                    pass
                finally:
                    outer._leave()

            def answer(self, entry):
                if entry[0] == "status":
                    body = json.dumps(entry[2]).encode() if len(entry) > 2 else b'{"error": {"message": "boom"}}'
                    self.send_response(entry[1])
                    self.end_headers()
                    self.wfile.write(body)
                    return
                if entry[0] == "redirect":
                    self.send_response(302)
                    self.send_header("Location", entry[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if entry[0] == "big":
                    self.send_response(200)
                    if entry[2]:
                        self.send_header("Content-Length", str(entry[1]))
                    self.end_headers()
                    for start in range(0, entry[1], 65536):
                        if outer.closed.is_set():
                            return
                        self.wfile.write(b" " * min(65536, entry[1] - start))
                    return
                if entry[0] == "trickle":
                    self.trickle(entry[1], body_only=entry[2:] == ("body",))
                    return
                payload = entry[1] if entry[0] == "raw" else json.dumps(outer.completion(entry)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def trickle(self, seconds, body_only):
                payload = json.dumps(outer.completion(outer.default)).encode()
                head = (f"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(payload)}\r\n\r\n").encode()  # fmt: skip
                if body_only:
                    self.wfile.write(head)
                slow = payload if body_only else head + payload
                for i in range(len(slow)):
                    if outer.closed.wait(seconds):
                        return
                    self.wfile.write(slow[i : i + 1])

        return Handler

    def response_format_refusal(self, request: dict) -> dict | None:
        """The 400 body for a request whose ``response_format`` this stand-in does not take, else None."""
        fmt = request.get("response_format")
        if fmt is None:
            return None
        if not self.schema_support:
            return {"object": "error", "type": "BadRequestError", "param": "response_format", "code": 400,
                    "message": "response_format of type json_schema is not supported by this server"}  # fmt: skip
        spec = fmt.get("json_schema") if isinstance(fmt, dict) else None
        ok = isinstance(fmt, dict) and (fmt.get("type") in ("text", "json_object") or (
            fmt.get("type") == "json_schema" and isinstance(spec, dict) and isinstance(spec.get("name"), str)
            and isinstance(spec.get("schema"), dict) and spec["schema"].get("type") == "object"))  # fmt: skip
        return None if ok else {"error": {"message": f"invalid response_format: {fmt!r}"[:200],
                                          "type": "invalid_request_error", "param": "response_format"}}  # fmt: skip

    @staticmethod
    def completion(entry: tuple) -> dict:
        """The chat-completions response body of a ``text``/``logprobs``/``refusal``/``tool_calls`` entry."""
        kind = entry[0]
        message: dict = {"role": "assistant", "content": None}
        choice: dict = {"index": 0, "finish_reason": "stop"}
        if kind in ("text", "logprobs"):
            message["content"] = entry[1]
        if kind == "refusal":
            message["refusal"] = entry[1]
        if kind == "logprobs":
            choice["logprobs"] = {"content": [{"token": "t", "logprob": v} for v in entry[2]]}
        if kind == "tool_calls":
            message["tool_calls"] = [{"id": f"call_{i}", "type": "function",
                                      "function": {"name": name, "arguments": json.dumps(args)}}
                                     for i, (name, args) in enumerate(entry[1])]  # fmt: skip
            choice["finish_reason"] = "tool_calls"
        choice["message"] = message
        return {"id": "chatcmpl-1", "object": "chat.completion", "model": "stand-in", "choices": [choice],
                "usage": {"prompt_tokens": 10, "completion_tokens": 7, "total_tokens": 17}}  # fmt: skip

    @staticmethod
    def obeys(request: dict, phrase: str, markers: tuple[str, str]) -> bool:
        """Whether an instruction-following judge would obey ``phrase`` in ``request`` (the ``obey`` entry)."""
        texts = []
        for message in request.get("messages", []):
            content = message.get("content")
            parts = content if isinstance(content, list) else [{"text": content}]
            texts += [p.get("text") or "" for p in parts if isinstance(p, dict)]
        opened, closing = (re.escape(m) for m in markers)

        def keep_unless_data(m: re.Match) -> str:
            try:
                json.loads(m.group(1))
            except ValueError:
                return m.group(0)
            return " "

        outside = [re.sub(f"{opened}(.*?){closing}", keep_unless_data, t, flags=re.S) for t in texts]
        return any(phrase.lower() in t.lower() for t in outside)

    def close(self) -> None:
        """Stop serving; waiting requests (latency, hangs, trickles) end at once."""
        self.closed.set()
        self.server.shutdown()
        self.server.server_close()


def _serve_in_child(conn, responder_factory, kwargs) -> None:
    """The child side of :class:`StandInProcess`: a stand-in answering until told to close."""
    responder = responder_factory() if responder_factory is not None else None
    with ChatStandIn(responder=responder, **kwargs) as server:
        conn.send(server.url)
        while True:
            op, *args = conn.recv()
            if op == "latency":
                server.latency = float(args[0])
            elif op == "reset":
                server.reset_counts()
            elif op != "counts":
                break
            conn.send((len(server.requests), server.max_in_flight, list(server.fault_log)))  # the acknowledgement
    conn.close()


class StandInProcess:
    """A :class:`ChatStandIn` in a child process, as a model server would be: its request threads do not compete
    with the client's event loop for this interpreter's lock (benchmarks).

    Args:
        responder_factory: a picklable function (module level) returning the responder, called in the child
            (e.g. :func:`scene_gym.agents.heuristic.replay.tool_step_responder`); None: the default answer.
        start_method: ``"forkserver"`` (default where available) or ``"spawn"``.
        **kwargs: :class:`ChatStandIn`'s other keyword arguments (``latency``, ``faults``, ``hang_s``...).

    Attributes:
        url: the child's API root.
    """

    def __init__(self, responder_factory: Callable[[], Callable[[dict], tuple]] | None = None, *,
                 start_method: str | None = None, **kwargs):  # fmt: skip
        import multiprocessing

        if start_method is None:
            start_method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(start_method)
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve_in_child, args=(child, responder_factory, kwargs), daemon=True)
        self._process.start()
        child.close()
        if not self._conn.poll(120):
            self._process.kill()
            raise SceneGymError("stand-in process: no URL within 120 s of its start")
        self.url: str = self._conn.recv()

    def __enter__(self) -> StandInProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _ask(self, *command) -> tuple[int, int, list]:
        self._conn.send(command)
        return self._conn.recv()

    def set_latency(self, seconds: float) -> None:
        """Change the latency of every later request (seconds); returns once the child has it."""
        self._ask("latency", seconds)

    def reset_counts(self) -> None:
        """:meth:`ChatStandIn.reset_counts` in the child."""
        self._ask("reset")

    def counts(self) -> tuple[int, int, list]:
        """(requests received, most in flight at once, faults served) since the last :meth:`reset_counts`."""
        return self._ask("counts")

    def close(self) -> None:
        """Stop the child (it closes its server) and wait for it, at most 10 s."""
        if self._process.is_alive():
            try:
                self._conn.send(("close",))
            except OSError:
                pass
            self._process.join(10)
            if self._process.is_alive():
                self._process.kill()
        self._conn.close()
