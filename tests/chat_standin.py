"""A local stand-in for an OpenAI-compatible chat-completions server (127.0.0.1, port 0, a thread).

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

Structured output (``response_format``): with ``schema_support=True`` (default) a request carrying one must have
OpenAI's shape (``{"type": "json_schema", "json_schema": {"name", "schema", ...}}`` with an object schema, or
``{"type": "json_object"}``/``{"type": "text"}``), else it gets a 400 naming ``response_format``; the script
answers it as usual. With ``schema_support=False`` the stand-in plays a server without structured output: every
request carrying ``response_format`` gets a 400 whose body names the field (as vLLM and llama.cpp word it) and
consumes no script entry.

An empty script answers ``default``. ``tls=(certificate file, key file)`` serves https instead of http. Every reply loop is bounded by its body and stops when the client hangs up or
the stand-in closes.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ChatStandIn:
    def __init__(self, default=("text", "done"), tls: tuple[str, str] | None = None, schema_support: bool = True):
        self.schema_support = schema_support
        self.script: list[tuple] = []
        self.default = default
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.closed = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append(json.loads(body))
                outer.headers.append(dict(self.headers))
                refusal = outer.response_format_refusal(outer.requests[-1])
                if refusal is not None:
                    self.answer(("status", 400, refusal))
                    return
                entry = outer.script.pop(0) if outer.script else outer.default
                if entry[0] == "sleep":
                    time.sleep(entry[1])
                    entry = outer.default
                if entry[0] == "obey":
                    entry = ("text", entry[2]) if outer.obeys(outer.requests[-1], entry[1], entry[3]) else outer.default
                try:
                    self.answer(entry)
                except OSError:  # the client hung up (broken pipe, reset, TLS EOF)
                    pass

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

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls is not None:  # (certificate file, key file): serve https
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

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

    def close(self):
        self.closed.set()
        self.server.shutdown()
        self.server.server_close()
