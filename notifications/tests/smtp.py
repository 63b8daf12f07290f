"""A local SMTP sink (aiosmtpd on 127.0.0.1, a free port): the "outside world" for tests and
the benchmark. It counts messages per ``X-Maeul-Dedup`` header and can hold every new message
at ``RCPT`` (before any content is transmitted) so a test can kill a worker between messages."""

import asyncio
import socket
import threading
import time
from collections import Counter
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    def __init__(self, *, keep_messages: bool = False):
        self.counts = Counter()
        self.total = 0
        self.messages = []
        self.keep_messages = keep_messages
        self.hold_after = None  # hold every RCPT once this many messages arrived
        self.held = 0
        self._released = threading.Event()
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    # --- aiosmtpd handler hooks ---
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold_after is not None and self.total >= self.hold_after:
            with self._lock:
                self.held += 1
            while not self._released.is_set():
                await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=default_policy)
        with self._lock:
            self.counts[message.get("X-Maeul-Dedup", "")] += 1
            self.total += 1
            if self.keep_messages:
                self.messages.append(message)
        return "250 Message accepted for delivery"

    # --- control ---
    def env(self) -> dict:
        """Environment for a worker subprocess so it sends here."""
        return {
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
        }

    def release(self) -> None:
        self._released.set()

    def wait_for(self, total: int, *, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.total >= total:
                return True
            time.sleep(0.05)
        return self.total >= total

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self.controller.stop()
