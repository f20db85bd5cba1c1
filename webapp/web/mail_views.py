"""Pages about mail: the local mailbox of a development instance, and each dossier's "Courriels"."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from ipaddress import ip_address

from flask import Blueprint, abort, current_app, render_template, request

from ..store import audit, outbox
from . import db, mailer
from .common import STEPS, dossier_or_404
from .forms import EmptyForm

bp = Blueprint("mail_views", __name__)
LOCAL_MAILBOX_LIMIT = 100


def _local_mailbox_allowed() -> bool:
    """Only a development or test instance writing mail to files, and only from this machine.

    The files hold confirmation and password links: a public instance must never list them.
    """
    app = current_app
    if app.config["PRODUCTION"] or app.config.get("MAIL_URL"):
        return False
    if app.debug or app.testing:
        return True
    try:
        return ip_address(request.remote_addr or "0.0.0.0").is_loopback
    except ValueError:
        return False


def _read(path) -> dict:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    body = message.get_body(preferencelist=("plain",))
    attachments = [part.get_filename() for part in message.iter_attachments()]
    return {
        "name": path.name,
        "to": message["To"],
        "from": message["From"],
        "reply_to": message["Reply-To"],
        "subject": message["Subject"],
        "date": message["Date"],
        "message_id": message["Message-ID"],
        "text": body.get_content() if body else "",
        "attachments": attachments,
    }


@bp.route("/dev/courriels")
def local_mailbox():
    """The messages written to instance/mail/, newest first (development only)."""
    if not _local_mailbox_allowed():
        abort(404)
    folder = mailer.mail_dir(current_app)
    paths = sorted(folder.glob("*.eml"), reverse=True)[:LOCAL_MAILBOX_LIMIT] if folder.exists() else []
    return render_template("mail/local_mailbox.html", messages=[_read(p) for p in paths], folder=folder)


@bp.route("/dossier/<token>/courriels")
def dossier_mails(token):
    """Every message of this dossier: sent, waiting, failed or cancelled, to whom, when, what it said."""
    dossier = dossier_or_404(token)
    rows = outbox.for_dossier(db.session(), dossier.id)
    events = [e for e in audit.history(db.session(), dossier.id, limit=200) if e.action.startswith("courriel")]
    return render_template(
        "mail/dossier_mails.html",
        dossier=dossier,
        rows=rows,
        events=events,
        steps=STEPS,
        current="courriels",
        empty=EmptyForm(),
    )
