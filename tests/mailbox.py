"""The mail a test app wrote (no DUMENT_MAIL_URL: one .eml per message in MAIL_DIR), and signing up through it."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

PASSWORD = "une phrase de passe solide"
LINK = re.compile(r"https?://[^\s<>\"]+")


def mails(app, to: str | None = None) -> list[EmailMessage]:
    """Every message written so far (oldest first), or those to ``to``."""
    folder = Path(app.config["MAIL_DIR"])
    found = [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]
    return [m for m in found if to is None or m["To"] == to]


def text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link(message: EmailMessage, contains: str) -> str:
    """The path (and query) of the first link of the message whose URL contains ``contains``."""
    parts = urlsplit(next(u for u in LINK.findall(text(message)) if contains in u))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def csrf(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def sign_up_only(client, email: str, name: str = "Sophie Leroy", password: str = PASSWORD):
    url = "/compte/inscription"
    data = {"csrf_token": csrf(client, url), "name": name, "email": email, "password": password, "confirm": password}
    return client.post(url, data=data, follow_redirects=True)


def confirm(client, email: str):
    """Open the confirmation link of the latest mail to ``email``."""
    message = mails(client.application, email.strip().lower())[-1]
    return client.get(link(message, "/compte/confirmer/"))


def sign_in(client, email: str, password: str = PASSWORD, next_url: str = ""):
    url = "/compte/connexion" + (f"?suivant={next_url}" if next_url else "")
    return client.post(url, data={"csrf_token": csrf(client, url), "email": email, "password": password})


def verified_sign_up(client, email: str, name: str = "Sophie Leroy", password: str = PASSWORD, next_url: str = ""):
    """Sign up, open the confirmation link from the captured mail, then sign in (the sign-in's response)."""
    response = sign_up_only(client, email, name, password)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert confirm(client, email).status_code == 302
    return sign_in(client, email, password, next_url)
