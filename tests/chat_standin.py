"""A local stand-in for an OpenAI-compatible chat-completions server (127.0.0.1, port 0, a thread).

It plays a script, one entry per request, and records every request body and its headers:

- ``("text", content)``: an assistant message with ``content``;
- ``("tool_calls", [(name, args dict), ...])``: an assistant message with ``tool_calls`` (arguments as JSON text);
- ``("logprobs", content, [lp, ...])``: content plus ``choices[0].logprobs.content`` with those values;
- ``("status", code)``: an HTTP error with a JSON body;
- ``("sleep", seconds)``: wait, then answer with the default reply (lets a client time out);
- ``("raw", bytes)``: a 200 reply with this body;
- ``("refusal", text)``: an assistant message with no content and ``refusal`` set (OpenAI's refusal field).

An empty script answers ``default``.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ChatStandIn:
    def __init__(self, default=("text", "done")):
        self.script: list[tuple] = []
        self.default = default
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append(json.loads(body))
                outer.headers.append(dict(self.headers))
                entry = outer.script.pop(0) if outer.script else outer.default
                if entry[0] == "sleep":
                    time.sleep(entry[1])
                    entry = outer.default
                if entry[0] == "status":
                    self.send_response(entry[1])
                    self.end_headers()
                    self.wfile.write(b'{"error": {"message": "boom"}}')
                    return
                payload = entry[1] if entry[0] == "raw" else json.dumps(outer.completion(entry)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

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

    def close(self):
        self.server.shutdown()
        self.server.server_close()
