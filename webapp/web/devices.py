"""Device cookies: a browser where an account signed in is recognised at its next sign-in.

Guesses at a password from elsewhere are slowed per account and per address; a browser
holding the account's device cookie is counted on its own, so its owner is never slowed
by someone else's guessing (OWASP, "Slow Down Online Guessing Attacks with Device Cookies").
The cookie is signed with the application's secret and names the account's address.
"""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from ..store.accounts import normalise_email

COOKIE = "dument_appareil"
MAX_AGE = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="device-cookie")


def trusted(email: str) -> str | None:
    """The device id this browser holds for this address, or None."""
    try:
        value = _serializer().loads(request.cookies.get(COOKIE, ""))
    except BadSignature:
        return None
    if not isinstance(value, dict) or value.get("e") != normalise_email(email):
        return None
    return str(value.get("d", ""))[:32] or None


def remember(response, email: str) -> None:
    """Give this browser the account's device cookie after a successful sign-in."""
    device = trusted(email) or secrets.token_hex(8)
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"e": normalise_email(email), "d": device}),
        max_age=MAX_AGE,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
