"""The channels' adapters: each ``send(message)`` returns the provider's id or raises SendError.

E-mail goes over SMTP (the standard library), or to the console when no SMTP host is set
outside production. WhatsApp goes to Meta's WhatsApp Cloud API or to a generic HTTP gateway
(the Fonnte/Wablas/Zenziva kind), and is off unless ``WA_PROVIDER`` names one. A SendError
says whether trying again later may help (``transient``: a timeout, a 5xx, a rate limit) or
not (a refused address, a wrong token: the admin fixes the cause and sends it again).
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any, Protocol

from procure.notify.rules import one_line, whatsapp_number

log = logging.getLogger(__name__)


class SendError(Exception):
    """The provider did not take the message; ``transient``: it may take it later."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


class ChannelOff(Exception):
    """The channel is not configured: the message is skipped, with this reason."""


class Message(Protocol):
    id: int
    channel: str
    recipient: str
    subject: str | None
    body: str


class Sender(Protocol):
    name: str

    def send(self, message: Message) -> str: ...


# -- e-mail -----------------------------------------------------------------------------------


def _email(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject or "Pemberitahuan Procure"
    email["Date"] = formatdate(localtime=False)
    domain = parseaddr(sender)[1].partition("@")[2] or "procure.local"
    email["Message-ID"] = make_msgid(f"outbox{message.id}", domain=domain)
    email.set_content(message.body)
    return email


class ConsoleMailer:
    """Development and demo: the e-mail is printed to the console, not sent."""

    name = "console"

    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, message: Message) -> str:
        email = _email(message, self.sender)
        text = (
            "\n===== E-MAIL (tidak dikirim: PROCURE_SMTP_HOST kosong) =====\n"
            f"Kepada: {message.recipient}\nPerihal: {email['Subject']}\n\n{message.body}\n"
            "=============================================================\n"
        )
        print(text, file=sys.stderr, flush=True)  # noqa: T201 - the console is the channel
        log.info("E-mail #%s dicetak ke konsol untuk %s", message.id, message.recipient)
        return f"console:{email['Message-ID']}"


class SmtpMailer:
    name = "smtp"

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = str(config["SMTP_HOST"])
        self.port = int(config.get("SMTP_PORT") or 587)
        self.username = str(config.get("SMTP_USERNAME") or "")
        self.password = str(config.get("SMTP_PASSWORD") or "")
        self.starttls = bool(config.get("SMTP_STARTTLS"))
        self.use_ssl = bool(config.get("SMTP_SSL"))
        self.timeout = float(config.get("SMTP_TIMEOUT") or 20)
        self.sender = str(config.get("MAIL_FROM") or "noreply@procure.local")

    def send(self, message: Message) -> str:
        email = _email(message, self.sender)
        where = f"{self.host}:{self.port}"
        try:
            smtp: smtplib.SMTP
            if self.use_ssl:
                smtp = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.starttls and not self.use_ssl:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(email)
        except smtplib.SMTPNotSupportedError as exc:
            raise SendError(
                f"Server SMTP {where} tidak mendukung {exc}; periksa PROCURE_SMTP_STARTTLS.",
                transient=False,
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(
                f"Server SMTP {where} menolak login ({exc.smtp_code}); periksa "
                "PROCURE_SMTP_USERNAME dan PROCURE_SMTP_PASSWORD.",
                transient=False,
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise SendError(
                f"Alamat {message.recipient} ditolak server SMTP ({', '.join(map(str, codes))}).",
                transient=all(400 <= c < 500 for c in codes),
            ) from exc
        except smtplib.SMTPResponseException as exc:
            detail = exc.smtp_error.decode(errors="replace") if exc.smtp_error else ""
            raise SendError(
                f"Server SMTP {where} menjawab {exc.smtp_code} {detail}".strip(),
                transient=400 <= exc.smtp_code < 500,
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(
                f"Server SMTP {where} tidak bisa dihubungi: {exc}", transient=True
            ) from exc
        return str(email["Message-ID"])


# -- WhatsApp ---------------------------------------------------------------------------------

# Meta's error codes that mean "later": throttling, temporarily unavailable.
META_TRANSIENT_CODES = {1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131048, 131056, 133004}


def _post(url: str, data: bytes, headers: dict[str, str], timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read()
    except (OSError, ValueError) as exc:
        host = urllib.parse.urlsplit(url).netloc
        raise SendError(
            f"Penyedia WhatsApp {host} tidak bisa dihubungi: {exc}", transient=True
        ) from exc


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8", errors="replace") or "null")
    except ValueError:
        return None


def _number(message: Message) -> str:
    number = whatsapp_number(message.recipient)
    if number is None:
        raise SendError(
            f"Nomor {message.recipient!r} bukan nomor ponsel Indonesia yang bisa dihubungi.",
            transient=False,
        )
    return number


class MetaWhatsApp:
    """Meta's WhatsApp Cloud API: POST <base>/<phone-number-id>/messages with a bearer token.

    A business may start a conversation only with an approved template; free text reaches
    a user only within 24 hours of their last message. With ``WA_META_TEMPLATE`` set, every
    message goes as that template with the text as its one body parameter ({{1}}).
    """

    name = "meta"

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.token = str(config["WA_META_TOKEN"])
        self.phone_id = str(config["WA_META_PHONE_ID"])
        self.base = str(config.get("WA_META_API_BASE") or "").rstrip("/")
        self.template = str(config.get("WA_META_TEMPLATE") or "")
        self.language = str(config.get("WA_META_TEMPLATE_LANG") or "id")
        self.timeout = float(config.get("WA_TIMEOUT") or 20)

    def payload(self, message: Message) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": _number(message),
        }
        if self.template:
            payload["type"] = "template"
            payload["template"] = {
                "name": self.template,
                "language": {"code": self.language},
                "components": [
                    {
                        "type": "body",
                        "parameters": [{"type": "text", "text": one_line(message.body)}],
                    }
                ],
            }
        else:
            payload["type"] = "text"
            payload["text"] = {"preview_url": False, "body": message.body}
        return payload

    def send(self, message: Message) -> str:
        status, raw = _post(
            f"{self.base}/{self.phone_id}/messages",
            json.dumps(self.payload(message)).encode(),
            {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            self.timeout,
        )
        answer = _json(raw)
        if 200 <= status < 300:
            try:
                return str(answer["messages"][0]["id"])
            except (KeyError, IndexError, TypeError) as exc:
                raise SendError(
                    f"Jawaban WhatsApp Cloud API tanpa id pesan (HTTP {status}).", transient=True
                ) from exc
        error = answer.get("error", {}) if isinstance(answer, dict) else {}
        code = error.get("code") if isinstance(error, dict) else None
        text = error.get("message") if isinstance(error, dict) else None
        transient = status == 429 or status >= 500 or code in META_TRANSIENT_CODES
        raise SendError(
            f"WhatsApp Cloud API menolak (HTTP {status}"
            + (f", kode {code}" if code is not None else "")
            + f"): {text or raw[:200].decode(errors='replace')}",
            transient=transient,
        )


class HttpGateway:
    """A gateway that takes a POST with a token header and the target and message fields."""

    name = "http"

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.url = str(config["WA_HTTP_URL"])
        self.token = str(config.get("WA_HTTP_TOKEN") or "")
        self.token_header = str(config.get("WA_HTTP_TOKEN_HEADER") or "Authorization")
        self.as_json = str(config.get("WA_HTTP_FORMAT") or "form").lower() == "json"
        self.target_field = str(config.get("WA_HTTP_TARGET_FIELD") or "target")
        self.message_field = str(config.get("WA_HTTP_MESSAGE_FIELD") or "message")
        self.timeout = float(config.get("WA_TIMEOUT") or 20)

    def send(self, message: Message) -> str:
        fields = {self.target_field: _number(message), self.message_field: message.body}
        headers = {self.token_header: self.token} if self.token else {}
        if self.as_json:
            data = json.dumps(fields).encode()
            headers["Content-Type"] = "application/json"
        else:
            data = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, raw = _post(self.url, data, headers, self.timeout)
        answer = _json(raw)
        host = urllib.parse.urlsplit(self.url).netloc
        if not 200 <= status < 300:
            raise SendError(
                f"Gateway WhatsApp {host} menjawab HTTP {status}: "
                f"{raw[:200].decode(errors='replace')}",
                transient=status == 429 or status >= 500,
            )
        if isinstance(answer, dict) and answer.get("status") is False:
            # Several gateways answer 200 with {"status": false, "reason": ...}.
            reason = answer.get("reason") or answer.get("message") or answer.get("detail")
            raise SendError(f"Gateway WhatsApp {host} menolak: {reason}", transient=False)
        ident = answer.get("id") if isinstance(answer, dict) else None
        if isinstance(ident, list) and ident:
            ident = ident[0]
        return str(ident) if ident not in (None, "") else f"http:{status}"


# -- choosing ---------------------------------------------------------------------------------


def email_sender(config: Mapping[str, Any]) -> Sender:
    if config.get("SMTP_HOST"):
        return SmtpMailer(config)
    if config.get("ENV_NAME") == "production":
        raise ChannelOff("E-mail mati: PROCURE_SMTP_HOST belum diisi.")
    return ConsoleMailer(str(config.get("MAIL_FROM") or "noreply@procure.local"))


def whatsapp_sender(config: Mapping[str, Any]) -> Sender:
    provider = str(config.get("WA_PROVIDER") or "").lower()
    if provider == "meta":
        if not (config.get("WA_META_TOKEN") and config.get("WA_META_PHONE_ID")):
            raise ChannelOff("WhatsApp mati: PROCURE_WA_META_TOKEN/PHONE_ID belum diisi.")
        return MetaWhatsApp(config)
    if provider == "http":
        if not config.get("WA_HTTP_URL"):
            raise ChannelOff("WhatsApp mati: PROCURE_WA_HTTP_URL belum diisi.")
        return HttpGateway(config)
    if provider:
        raise ChannelOff(f"WhatsApp mati: PROCURE_WA_PROVIDER {provider!r} tidak dikenal.")
    raise ChannelOff("WhatsApp mati: PROCURE_WA_PROVIDER belum diisi.")


def whatsapp_enabled(config: Mapping[str, Any]) -> bool:
    try:
        whatsapp_sender(config)
    except ChannelOff:
        return False
    return True


def sender_for(channel: str, config: Mapping[str, Any]) -> Sender:
    """The adapter for ``channel``; ChannelOff when it is not configured."""
    if channel == "email":
        return email_sender(config)
    if channel == "whatsapp":
        return whatsapp_sender(config)
    raise ChannelOff(f"Saluran {channel!r} tidak dikenal.")
