"""A local stand-in for SOLAPI's REST API (v4) on 127.0.0.1: the outside world for tests and
the benchmark. It speaks the documented protocol — the HMAC-SHA256 ``Authorization`` header
(checked: key, signature, a fresh date, a salt never reused), ``POST
/messages/v4/send-many/detail`` with its ``messageList`` / ``failedMessageList`` answer, and
``GET /messages/v4/list?messageId=…`` for delivery results — and counts what it accepted per
outbox row (the ``customFields.outbox`` we send), so "exactly once" is measured here.

Misbehaviour on demand:
- ``undeliverable``: numbers that have no KakaoTalk — their 알림톡 is accepted (2000) and
  then reported ``3104`` (not delivered); SMS to them is delivered.
- ``stall(n)``: the next ``n`` send requests hang past the client's timeout and are dropped
  without being accepted (the provider never took them).
- ``fail_next(n)``: the next ``n`` send requests answer HTTP 500.
- ``hold_after``: once this many messages were accepted, hold every further send request
  until ``release()``, then drop it unaccepted (so a test can kill a worker mid-batch).
"""

import datetime
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from notifications import texts
from notifications.tests.smtp import free_port

API_KEY = "NCSTESTAPIKEY0001"
API_SECRET = "TESTSECRET0123456789ABCDEFGHIJKLMNOPQRSTU"
SENDER = "0623607000"
PF_ID = "KA01PF2026TESTCHANNEL"
AUTH = re.compile(r"^HMAC-SHA256 (.+)$")


class FakeSolapi:
    def __init__(self, *, templates: dict[str, str] | None = None):
        self.port = free_port()
        self.templates = templates  # code → registered text; None accepts any template
        self.undeliverable: set[str] = set()
        self.accepted = Counter()  # outbox id → how many times accepted
        self.messages: list[dict] = []  # every accepted message, as sent
        self.statuses: dict[str, dict] = {}  # messageId → message record with statusCode
        self.requests = 0
        self.auth_failures = 0
        self.hold_after = None
        self.held = 0
        self._stall = 0
        self._fail = 0
        self._salts = set()
        self._released = threading.Event()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.server.daemon_threads = True
        self.stall_seconds = 3.0

    # --- control ------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> dict:
        return {
            "SOLAPI_API_KEY": API_KEY,
            "SOLAPI_API_SECRET": API_SECRET,
            "SOLAPI_SENDER": SENDER,
            "SOLAPI_PFID": PF_ID,
            "SOLAPI_BASE_URL": self.url,
        }

    def env(self) -> dict:
        return {**self.settings(), "SOLAPI_TIMEOUT_SECONDS": "2"}

    def stall(self, count: int) -> None:
        with self._lock:
            self._stall += count

    def fail_next(self, count: int) -> None:
        with self._lock:
            self._fail += count

    def release(self) -> None:
        self._released.set()

    def wait_for(self, count: int, *, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(self.accepted.values()) >= count:
                return True
            time.sleep(0.05)
        return sum(self.accepted.values()) >= count

    @property
    def total(self) -> int:
        return sum(self.accepted.values())

    def of_type(self, kind: str) -> list[dict]:
        return [message for message in self.messages if message["type"] == kind]

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._released.set()
        self.server.shutdown()
        self.server.server_close()

    # --- protocol -----------------------------------------------------------------
    def check_auth(self, header: str) -> str | None:
        """None when the header is valid, else SOLAPI's error code."""
        match = AUTH.match(header or "")
        if not match:
            return "InvalidAuthorizationHeader"
        fields = {}
        for part in match.group(1).split(","):
            name, _, value = part.strip().partition("=")
            fields[name.lower()] = value
        if fields.get("apikey") != API_KEY:
            return "InvalidApiKey"
        date, salt, signature = fields.get("date", ""), fields.get("salt", ""), fields.get("signature", "")
        expected = hmac.new(API_SECRET.encode(), (date + salt).encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            return "SignatureDoesNotMatch"
        try:
            when = datetime.datetime.fromisoformat(date)
        except ValueError:
            return "InvalidDate"
        if when.tzinfo is None or abs((datetime.datetime.now(datetime.UTC) - when).total_seconds()) > 900:
            return "RequestTimeTooSkewed"
        if not 12 <= len(salt) <= 64:
            return "InvalidSalt"
        with self._lock:
            if (date, salt) in self._salts:
                return "DuplicatedSignature"
            self._salts.add((date, salt))
        return None

    def check_message(self, message: dict) -> tuple[str, str] | None:
        """None when the message may be accepted, else (statusCode, statusMessage)."""
        kind, text = message.get("type"), message.get("text") or ""
        if message.get("from") != SENDER:
            return "1062", "발신번호가 등록되지 않았습니다."
        if not re.fullmatch(r"010\d{8}", message.get("to") or ""):
            return "1013", "수신번호 형식이 올바르지 않습니다."
        if kind == "SMS" and texts.euc_kr_bytes(text) > texts.SMS_MAX_BYTES:
            return "1020", "SMS 본문이 90바이트를 넘습니다."
        if kind == "LMS" and (texts.euc_kr_bytes(text) > texts.LMS_MAX_BYTES or not message.get("subject")):
            return "1021", "LMS 본문 또는 제목이 올바르지 않습니다."
        if kind == "ATA":
            options = message.get("kakaoOptions") or {}
            if options.get("pfId") != PF_ID:
                return "3008", "카카오 채널(pfId)이 올바르지 않습니다."
            if self.templates is not None:
                registered = self.templates.get(options.get("templateId"))
                if registered is None:
                    return "3034", "등록되지 않은 템플릿입니다."
                filled = registered
                for name, value in (options.get("variables") or {}).items():
                    filled = filled.replace(name, value)
                if filled != text:
                    return "3046", "템플릿과 내용이 일치하지 않습니다."
        elif kind not in ("SMS", "LMS"):
            return "1024", "지원하지 않는 메시지 타입입니다."
        return None

    def send_many(self, body: dict) -> dict:
        group_id = f"G4V{uuid.uuid4().hex[:20].upper()}"
        accepted, failed = [], []
        for message in body.get("messages") or []:
            message_id = f"M4V{uuid.uuid4().hex[:20].upper()}"
            problem = self.check_message(message)
            if problem:
                failed.append(
                    {
                        "to": message.get("to"),
                        "from": message.get("from"),
                        "type": message.get("type"),
                        "country": "82",
                        "messageId": message_id,
                        "statusCode": problem[0],
                        "statusMessage": problem[1],
                        "accountId": "TESTACCOUNT",
                        "customFields": message.get("customFields"),
                    }
                )
                continue
            final = "3104" if message["type"] == "ATA" and message["to"] in self.undeliverable else "4000"
            record = {**message, "messageId": message_id, "groupId": group_id, "statusCode": final}
            with self._lock:
                self.messages.append(record)
                self.statuses[message_id] = record
                self.accepted[(message.get("customFields") or {}).get("outbox")] += 1
            accepted.append(
                {
                    "messageId": message_id,
                    "statusCode": "2000",
                    "statusMessage": "정상 접수(이통사로 접수 예정)",
                    "customFields": message.get("customFields"),
                }
            )
        count = len(accepted) + len(failed)
        return {
            "failedMessageList": failed,
            "messageList": accepted,
            "groupInfo": {
                "groupId": group_id,
                "status": "SENDING",
                "count": {"total": count, "registeredFailed": len(failed), "registeredSuccess": len(accepted)},
            },
        }

    def list_messages(self, query: dict) -> dict:
        message_id = (query.get("messageId") or [""])[0]
        record = self.statuses.get(message_id)
        listed = {}
        if record is not None:
            listed[message_id] = {
                "messageId": message_id,
                "groupId": record["groupId"],
                "type": record["type"],
                "to": record["to"],
                "from": record["from"],
                "statusCode": record["statusCode"],
                "statusMessage": "수신 완료" if record["statusCode"] == "4000" else "카카오톡 미사용자",
            }
        return {"limit": 1, "messageList": listed, "startKey": None, "nextKey": None}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body are two writes: without this, Nagle and delayed ACKs add 40 ms to each.
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def answer(self, status: int, data: dict):
                raw = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def authorised(self) -> bool:
                error = fake.check_auth(self.headers.get("Authorization", ""))
                if error:
                    with fake._lock:
                        fake.auth_failures += 1
                    self.answer(401, {"errorCode": error, "errorMessage": "인증 실패"})
                    return False
                return True

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                with fake._lock:
                    fake.requests += 1
                    stall, fake._stall = fake._stall > 0, max(fake._stall - 1, 0)
                    fail, fake._fail = fake._fail > 0, max(fake._fail - 1, 0)
                if stall:
                    time.sleep(fake.stall_seconds)
                    self.close_connection = True
                    return
                if fake.hold_after is not None and fake.total >= fake.hold_after:
                    with fake._lock:
                        fake.held += 1
                    fake._released.wait(timeout=120)
                    # The client gave up long ago (or was killed): the message was never taken.
                    self.close_connection = True
                    return
                if not self.authorised():
                    return
                if fail:
                    self.answer(500, {"errorCode": "InternalError", "errorMessage": "잠시 후 다시 시도하세요"})
                    return
                if urlsplit(self.path).path != "/messages/v4/send-many/detail":
                    self.answer(404, {"errorCode": "NotFound", "errorMessage": self.path})
                    return
                self.answer(200, fake.send_many(json.loads(raw or b"{}")))

            def do_GET(self):
                parts = urlsplit(self.path)
                if not self.authorised():
                    return
                if parts.path != "/messages/v4/list":
                    self.answer(404, {"errorCode": "NotFound", "errorMessage": self.path})
                    return
                self.answer(200, fake.list_messages(parse_qs(parts.query)))

        return Handler
