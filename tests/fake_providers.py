"""Local stand-ins for the providers the notifications talk to; nothing leaves 127.0.0.1.

``FakeHttpProvider`` plays Meta's WhatsApp Cloud API and a generic WhatsApp gateway: it
records every request and answers from a script (``fail(times, status)``), then succeeds the
way the real one does. ``SmtpSink`` is a real SMTP server (aiosmtpd) keeping what it receives.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode()))


@dataclass
class FakeHttpProvider:
    """``kind``: "meta" (answers like the Graph API) or "gateway" (like Fonnte/Wablas)."""

    kind: str = "meta"
    delay: float = 0.0  # seconds before each answer (a slow provider, for races)
    requests: list[Recorded] = field(default_factory=list)
    script: list[tuple[int, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def fail(self, times: int, status: int = 500, body: Any = None) -> None:
        """The next ``times`` requests get ``status`` (with a body in the provider's shape)."""
        if body is None:
            body = (
                {"error": {"message": "Service temporarily unavailable", "code": 2}}
                if self.kind == "meta"
                else {"status": False, "reason": "server error"}
            )
        self.script.extend([(status, body)] * times)

    def answer(self, recorded: Recorded) -> tuple[int, Any]:
        with self.lock:
            self.requests.append(recorded)
            n = len(self.requests)
            if self.script:
                return self.script.pop(0)
        if self.kind == "meta":
            to = recorded.json.get("to")
            return 200, {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.TEST{n}"}],
            }
        return 200, {"status": True, "id": [str(1000 + n)], "detail": "success! message in queue"}


@contextmanager
def http_provider(kind: str = "meta", delay: float = 0.0) -> Iterator[FakeHttpProvider]:
    provider = FakeHttpProvider(kind=kind, delay=delay)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            recorded = Recorded(self.path, dict(self.headers.items()), self.rfile.read(length))
            if provider.delay:
                time.sleep(provider.delay)
            status, body = provider.answer(recorded)
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class SmtpSink:
    port: int
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1 (no TLS, no auth), on a free port."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
