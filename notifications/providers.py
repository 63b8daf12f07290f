"""Where 알림톡 and SMS/LMS go: a provider behind one small interface.

``get_provider()`` returns the configured one, read from the environment only:

- ``SOLAPI_API_KEY``, ``SOLAPI_API_SECRET``, ``SOLAPI_SENDER`` (the registered sender number),
  ``SOLAPI_PFID`` (the KakaoTalk channel's pfId, needed for 알림톡), optional
  ``SOLAPI_BASE_URL`` (default ``https://api.solapi.com``; tests point it at a local fake) and
  ``SOLAPI_TIMEOUT_SECONDS`` (10):
  ``SolapiProvider``, SOLAPI's documented REST API (v4).
- none of them: ``FileProvider``, which appends each message as one JSON line to
  ``NOTIFICATIONS_TEXT_FILE`` (default ``.var/texts.jsonl``) and says it was delivered, the
  development counterpart of the console email backend.

A provider's ``send(message)`` returns a ``Receipt`` when the provider answered about that
message (accepted, or refused it for good), and raises ``ProviderError`` when it could not
tell (timeout, connection refused, 5xx, bad credentials): the row is then failed and retried
by the sweep with backoff. ``reports(ids)`` answers the delivery result of accepted messages.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import json
import logging
import os
import secrets
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.conf import settings

from notifications import texts
from portal.phones import digits

logger = logging.getLogger(__name__)

# SOLAPI's status codes: 2000 accepted (queued for the carrier), 3000 handed to the carrier,
# 4000 received by the phone; anything else is a failure (e.g. 3104 "not a KakaoTalk user").
ACCEPTED_CODES = {"2000", "3000"}
DELIVERED_CODE = "4000"


class ProviderError(Exception):
    """The provider could not be reached or did not say what became of the message: retry later."""


@dataclass(frozen=True)
class Receipt:
    accepted: bool
    message_id: str = ""
    code: str = ""
    text: str = ""


@dataclass(frozen=True)
class Report:
    message_id: str
    code: str
    text: str

    @property
    def delivered(self) -> bool:
        return self.code == DELIVERED_CODE

    @property
    def final(self) -> bool:
        return self.code not in ACCEPTED_CODES


def message_type(row) -> str:
    if row.channel == "alimtalk":
        return "ATA"
    return texts.sms_type(row.body_text)


def auth_header(*, api_key: str, api_secret: str, date: str | None = None, salt: str | None = None) -> str:
    """SOLAPI's ``Authorization`` header: HMAC-SHA256 over ``date + salt`` with the API secret."""
    date = date or datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    salt = salt or secrets.token_hex(16)
    signature = hmac.new(api_secret.encode(), (date + salt).encode(), hashlib.sha256).hexdigest()
    return f"HMAC-SHA256 apiKey={api_key}, date={date}, salt={salt}, signature={signature}"


class SolapiProvider:
    """SOLAPI's REST API v4: ``POST /messages/v4/send-many/detail`` to send,
    ``GET /messages/v4/list`` for delivery results. One keep-alive connection per thread."""

    name = "solapi"

    def __init__(self, *, api_key: str, api_secret: str, sender: str, pf_id: str, base_url: str, timeout: float = 10):
        self.api_key, self.api_secret, self.sender, self.pf_id = api_key, api_secret, sender, pf_id
        parts = urlsplit(base_url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self._local = threading.local()

    # --- HTTP -------------------------------------------------------------------------
    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            connection = cls(self.host, self.port, timeout=self.timeout)
            self._local.connection = connection
        return connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def _request(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {
            "Authorization": auth_header(api_key=self.api_key, api_secret=self.api_secret),
            "Content-Type": "application/json",
        }
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        try:
            connection = self._connection()
            connection.request(method, self.prefix + path, body=payload, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            # Timeout, refused, reset: we do not know whether the provider took the message.
            self.close()
            raise ProviderError(f"{type(error).__name__}: {error}") from error
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = {}
        if response.status >= 400:
            raise ProviderError(
                f"HTTP {response.status} {data.get('errorCode', '')}: {data.get('errorMessage', raw[:200])}"
            )
        return data

    # --- the interface ----------------------------------------------------------------
    def payload(self, row) -> dict:
        message = {
            "to": digits(row.recipient),
            "from": self.sender.replace("-", ""),
            "text": row.body_text,
            "type": message_type(row),
            "country": "82",
            "autoTypeDetect": False,
            "customFields": {"outbox": str(row.pk)},
        }
        if message["type"] == "LMS":
            message["subject"] = row.subject
        if row.channel == "alimtalk":
            message["kakaoOptions"] = {
                "pfId": self.pf_id,
                "templateId": row.template_code,
                "variables": {f"#{{{name}}}": value for name, value in row.variables.items()},
                # Our own fallback (one outbox row) replaces SOLAPI's automatic one: two would double it.
                "disableSms": True,
            }
        return message

    def send(self, row) -> Receipt:
        data = self._request("POST", "/messages/v4/send-many/detail", {"messages": [self.payload(row)]})
        for item in data.get("messageList") or []:
            if item.get("statusCode") in ACCEPTED_CODES:
                return Receipt(True, item.get("messageId", ""), item["statusCode"], item.get("statusMessage", ""))
        for item in data.get("failedMessageList") or []:
            return Receipt(False, item.get("messageId", ""), item.get("statusCode", ""), item.get("statusMessage", ""))
        raise ProviderError(f"the provider's answer names no message: {json.dumps(data)[:300]}")

    def reports(self, message_ids: list[str]) -> list[Report]:
        """The current status of each message (``GET /messages/v4/list?messageId=…``, one each)."""
        reports = []
        for message_id in message_ids:
            data = self._request("GET", "/messages/v4/list?" + urlencode({"messageId": message_id, "limit": 1}))
            item = (data.get("messageList") or {}).get(message_id)
            if item is not None:
                reports.append(Report(message_id, str(item.get("statusCode", "")), item.get("statusMessage", "")))
        return reports


class FileProvider:
    """Development: every text is a JSON line in a local file, and is reported delivered."""

    name = "file"

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._lock = threading.Lock()

    def send(self, row) -> Receipt:
        message_id = f"DEV{uuid.uuid4().hex[:20].upper()}"
        line = {
            "messageId": message_id,
            "type": message_type(row),
            "to": row.recipient,
            "templateId": row.template_code,
            "subject": row.subject,
            "text": row.body_text,
            "outbox": row.pk,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        logger.info("Text %s to %s written to %s", message_id, row.recipient, self.path)
        return Receipt(True, message_id, "2000", "written to the development file")

    def reports(self, message_ids: list[str]) -> list[Report]:
        return [Report(message_id, DELIVERED_CODE, "development: delivered") for message_id in message_ids]

    def close(self) -> None:
        pass


def configuration() -> dict:
    """The SOLAPI settings (``portal/settings.py`` reads them from the environment)."""
    return {
        "api_key": settings.SOLAPI_API_KEY,
        "api_secret": settings.SOLAPI_API_SECRET,
        "sender": settings.SOLAPI_SENDER,
        "pf_id": settings.SOLAPI_PFID,
        "base_url": settings.SOLAPI_BASE_URL,
        "timeout": settings.SOLAPI_TIMEOUT_SECONDS,
    }


_providers: dict = {}


def get_provider():
    """The provider for this configuration (one per process and configuration, so connections are reused)."""
    config = configuration()
    if config["api_key"] and config["api_secret"] and config["sender"]:
        key = tuple(sorted(config.items()))
        if key not in _providers:
            _providers[key] = SolapiProvider(**config)
        return _providers[key]
    return FileProvider(settings.NOTIFICATIONS_TEXT_FILE)
