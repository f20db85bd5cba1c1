"""Sending e-mail: one setting (``DUMENT_MAIL_URL``), an SMTP server or, by default, files.

``smtp://user:password@host:587`` speaks STARTTLS, ``smtps://user:password@host:465``
TLS from the start; without a URL each message is written as an ``.eml`` file in a
folder (``instance/mail/``), so a local installation works with no mail server.
Messages are built with the standard library's ``EmailMessage`` (never by hand): a
French text part and an HTML part, an optional attachment, a Message-ID we keep.
No Flask here: the web app and the ``followups run`` command share it.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.contentmanager import raw_data_manager
from email.header import Header
from email.message import EmailMessage
from email.policy import Compat32
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

SMTP_TIMEOUT = 20  # seconds: a server that does not answer is "down", the message is retried later
CONNECTIONS = 4  # parallel SMTP connections for a large batch (a relay accepts several)


class _Policy(Compat32):
    """compat32, writing a short ASCII header as is (its generic folding costs ~0.1 ms a header)."""

    def _fold(self, name, value, sanitize):
        if isinstance(value, str) and value.isascii() and "\n" not in value and len(name) + len(value) < 76:
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


POLICY = _Policy()


class MailError(Exception):
    """A message could not be handed over; ``permanent`` when retrying cannot help (address refused)."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"
    data: bytes


def valid_address(address: str) -> bool:
    """A plausible single ASCII mailbox (local@domain.tld), without display name or header tricks."""
    address = (address or "").strip()
    if not address or not address.isascii() or any(c in address for c in '\r\n<>,;"() ') or address.count("@") != 1:
        return False
    local, domain = address.split("@")
    return bool(local) and "." in domain and not domain.startswith(".") and not domain.endswith(".")


def build(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    reply_to: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    message_id: str | None = None,
) -> EmailMessage:
    """One message: text and HTML alternatives, attachments, and its own Message-ID.

    ``EmailMessage`` with the compat32 policy and explicit encodings: the modern policy's
    header parser costs ~5 ms a message (a minute for 10 000 reminders), and Python 3.11
    loses the space between two encoded words when it folds a long accented Subject
    ("l'équipe « Permanence »" read back as "l'équipe« Permanence »"). ``Header`` encodes
    words the standard way; bodies are quoted-printable, safe for any server.
    """
    values = {"From": sender, "To": to, "Reply-To": reply_to or "", "Subject": subject, "Message-ID": message_id or ""}
    if any("\r" in v or "\n" in v for v in values.values()):
        raise ValueError("Header values may not contain linefeed or carriage return characters")
    message = EmailMessage(policy=POLICY)
    message["From"] = _encoded_address(sender)
    message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = Header(subject, "utf-8", header_name="Subject") if not subject.isascii() else subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id or new_message_id(sender)
    message.set_content(text, cte="quoted-printable", content_manager=raw_data_manager)
    message.add_alternative(html, subtype="html", cte="quoted-printable", content_manager=raw_data_manager)
    for attachment in attachments:
        maintype, subtype = attachment.content_type.split("/", 1)
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            content_manager=raw_data_manager,
        )
    message["Content-Language"] = "fr"  # after the body: setting content clears the Content-* headers
    message.set_boundary(f"=_dument_{uuid.uuid4().hex}")  # "=_" never occurs in a QP or base64 body
    return message


def _encoded_address(value: str) -> str:
    """ "Name <address>" with a non-ASCII or punctuated name encoded (RFC 2047), the address as is."""
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if name else address


def new_message_id(sender: str) -> str:
    """A globally unique Message-ID on the sender's domain (kept to match replies and bounces)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def display_address(name: str, address: str) -> str:
    """ "Name <address>" (encoded when the message is built)."""
    return formataddr((" ".join(name.split()), address))


class FileTransport:
    """Writes each message as ``<time>-<id>.eml`` in a folder: the default, for local use and tests."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def send_all(self, messages: list[EmailMessage]) -> list[MailError | None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        return [self._write(message) for message in messages]

    def _write(self, message: EmailMessage) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        ident = "".join(c for c in message["Message-ID"] if c.isalnum())[:40]
        path = self.folder / f"{stamp}-{ident}.eml"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(message.as_bytes())
        temporary.replace(path)  # a reader never sees half a message


class SmtpTransport:
    """An SMTP server: STARTTLS (``smtp://``, port 587 by default) or TLS (``smtps://``, port 465)."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.tls else 587)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = not self.tls and "starttls=false" not in (parts.query or "")

    def send_all(self, messages: list[EmailMessage]) -> list[MailError | None]:
        """Send over a few connections at once (each waits on the network); one result per message."""
        if len(messages) < 2 * CONNECTIONS:
            return self._send_over_one(messages)
        size = -(-len(messages) // CONNECTIONS)
        chunks = [messages[i : i + size] for i in range(0, len(messages), size)]
        with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
            return [result for chunk in pool.map(self._send_over_one, chunks) for result in chunk]

    def _send_over_one(self, messages: list[EmailMessage]) -> list[MailError | None]:
        """Send over one connection; None for each message the server accepted."""
        try:
            connection = self._connect()
        except (OSError, smtplib.SMTPException) as error:
            failure = _failure(error)
            return [failure for _ in messages]
        results: list[MailError | None] = []
        try:
            for message in messages:
                try:
                    results.append(self._send_one(connection, message))
                except (OSError, smtplib.SMTPServerDisconnected) as error:  # the connection is gone
                    results += [_failure(error)] * (len(messages) - len(results))
                    break
        finally:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()
        return results

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.tls:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT, context=context)
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
            if self.starttls:
                connection.starttls(context=context)
        if self.user:
            connection.login(self.user, self.password or "")
        return connection

    @staticmethod
    def _send_one(connection: smtplib.SMTP, message: EmailMessage) -> MailError | None:
        try:
            refused = connection.send_message(message)
        except smtplib.SMTPServerDisconnected:
            raise
        except smtplib.SMTPException as error:  # refused, but the server still listens
            return _failure(error)
        if refused:
            code, reason = next(iter(refused.values()))
            return MailError(f"adresse refusée par le serveur ({code} {_text(reason)})", permanent=code >= 500)
        return None


def _text(reason) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def _failure(error: Exception) -> MailError:
    """A French explanation of an SMTP failure, permanent when the server said no for good (5xx)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reason = next(iter(error.recipients.values()))
        return MailError(f"adresse refusée par le serveur ({code} {_text(reason)})", permanent=code >= 500)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return MailError("le serveur de courriel refuse l'identifiant ou le mot de passe configurés")
    if isinstance(error, smtplib.SMTPResponseException):
        return MailError(
            f"le serveur de courriel a refusé le message ({error.smtp_code} {_text(error.smtp_error)})",
            permanent=error.smtp_code >= 500,
        )
    if isinstance(error, socket.timeout | TimeoutError):
        return MailError("le serveur de courriel ne répond pas (délai dépassé)")
    if isinstance(error, ConnectionRefusedError):
        return MailError("le serveur de courriel est injoignable (connexion refusée)")
    return MailError(f"le serveur de courriel est injoignable ({error.__class__.__name__})")


def transport(url: str | None, folder: Path) -> FileTransport | SmtpTransport:
    """The transport the configuration names: SMTP for an smtp(s):// URL, files otherwise."""
    if not url:
        return FileTransport(folder)
    scheme = urlsplit(url).scheme
    if scheme not in ("smtp", "smtps"):
        raise ValueError(f"DUMENT_MAIL_URL : schéma « {scheme} » inconnu, utilisez smtp:// ou smtps://")
    return SmtpTransport(url)
