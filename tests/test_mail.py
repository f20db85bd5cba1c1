"""Mail: messages built by the standard library, SMTP through a real server on 127.0.0.1, files by default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser

import pytest

from tests.mailbox import mails
from tests.smtp_server import SmtpServer, free_port
from webapp.mail import transport as mail
from webapp.store import outbox
from webapp.store.models import OutboxMessage
from webapp.web import db

SENDER = "Dûment <ne-pas-repondre@dument.example>"


@pytest.fixture
def smtp():
    server = SmtpServer()
    yield server
    server.stop()


def message(to: str = "client@example.org", **extra) -> mail.EmailMessage:
    return mail.build(
        sender=SENDER,
        to=to,
        subject="Rappel — facture n° F-1",
        text="Madame, Monsieur,\n\nLa facture F-1 reste due.\n",
        html="<p>Madame, Monsieur,</p><p>La facture F-1 reste due.</p>",
        reply_to="contact@atelier-dupont.fr",
        **extra,
    )


def received(built: mail.EmailMessage) -> mail.EmailMessage:
    """The message as a mail client reads it from the wire."""
    return BytesParser(policy=policy.default).parsebytes(built.as_bytes())


def test_a_message_has_french_text_and_html_a_reply_to_and_a_message_id():
    pdf = mail.Attachment("relance.pdf", "application/pdf", b"%PDF-1.7 test")
    built = received(message(attachments=(pdf,)))
    assert built["From"] == SENDER and built["Reply-To"] == "contact@atelier-dupont.fr"
    assert built["Message-ID"].startswith("<") and built["Message-ID"].endswith("@dument.example>")
    assert built["Content-Language"] == "fr"
    assert built.get_body(("plain",)).get_content().startswith("Madame, Monsieur,")
    assert "<p>La facture F-1 reste due.</p>" in built.get_body(("html",)).get_content()
    [attached] = list(built.iter_attachments())
    assert attached.get_filename() == "relance.pdf" and attached.get_content() == b"%PDF-1.7 test"
    assert message(message_id="<kept@dument.example>")["Message-ID"] == "<kept@dument.example>"


def test_a_name_with_accents_and_commas_is_encoded_not_glued_into_the_header():
    sender = mail.display_address("Dupont, Martin & fils (via Dûment)", "ne-pas-repondre@dument.example")
    subject = "Sophie Leroy vous invite à rejoindre l'équipe « Permanence » sur Dûment"
    raw = mail.build(sender=sender, to="a@example.org", subject=subject, text="é", html="é").as_bytes()
    assert b"Dupont, Martin" not in raw.split(b"\n\n")[0]  # encoded, never a bare comma
    assert max(len(line) for line in raw.splitlines()) <= 78
    back = BytesParser(policy=policy.default).parsebytes(raw)
    assert back["From"].addresses[0].display_name == "Dupont, Martin & fils (via Dûment)"
    assert back["Subject"] == subject  # the spaces around « » survive the folding
    with pytest.raises(ValueError):
        mail.build(sender=SENDER, to="a@example.org\r\nBcc: x@evil.example", subject="x", text="x", html="x")


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("client@example.org", True),
        ("", False),
        ("client@", False),
        ("a b@example.org", False),
        ("client@example", False),
        ("a@example.org, b@example.org", False),
        ("x@example.org\nBcc: y", False),
    ],
)
def test_debtor_addresses_are_checked_before_anything_is_planned(address, ok):
    assert mail.valid_address(address) is ok


def test_smtp_delivers_to_a_real_server_and_keeps_the_message_id(smtp):
    transport = mail.transport(smtp.url, folder=None)
    sent = message()
    assert transport.send_all([sent]) == [None]
    [received] = smtp.messages
    assert received["Message-ID"] == sent["Message-ID"] and received["Reply-To"] == "contact@atelier-dupont.fr"
    assert received.get_body(("plain",)).get_content().startswith("Madame, Monsieur,")


def test_a_refused_address_is_a_permanent_failure_a_busy_one_temporary(smtp):
    transport = mail.transport(smtp.url, folder=None)
    refused, later, fine = transport.send_all(
        [message("refuse@example.org"), message("later@example.org"), message("ok@example.org")]
    )
    assert refused.permanent and "adresse refusée par le serveur (550" in str(refused)
    assert not later.permanent and "451" in str(later)
    assert fine is None and [m["To"] for m in smtp.messages] == ["ok@example.org"]


def test_a_server_that_is_down_is_a_temporary_failure_in_french():
    transport = mail.transport(f"smtp://127.0.0.1:{free_port()}", folder=None)
    [error] = transport.send_all([message()])
    assert not error.permanent and "injoignable" in str(error)


def test_an_unknown_scheme_is_refused_with_the_setting_named():
    with pytest.raises(ValueError, match="DUMENT_MAIL_URL"):
        mail.transport("http://mail.example.org", folder=None)


def test_smtp_url_carries_credentials_and_default_ports():
    starttls = mail.SmtpTransport("smtp://user%40site:p%C3%A2ss@mail.example.org")
    assert (starttls.host, starttls.port, starttls.user, starttls.password) == (
        "mail.example.org",
        587,
        "user@site",
        "pâss",
    )
    assert starttls.starttls and not starttls.tls
    tls = mail.SmtpTransport("smtps://u:p@mail.example.org")
    assert tls.tls and tls.port == 465


def test_without_a_mail_url_each_message_is_an_eml_file_listed_on_the_development_page(app, client):
    with app.app_context():
        row = outbox.enqueue(db.session(), "test", _draft(), app.config["MAIL_FROM"], datetime.now(UTC))
        db.session().commit()
        sessions = app.extensions["dument_sessions"]
        transport = mail.transport(None, app.config["MAIL_DIR"])
        outcome = outbox.deliver(sessions, transport, app.config["MAIL_FROM"], datetime.now(UTC), ids=[row.id])
    assert outcome.sent == 1
    [written] = mails(app)
    assert written["To"] == "client@example.org" and written["Message-ID"] == row.message_id
    page = client.get("/dev/courriels").get_data(as_text=True)
    assert "Rappel — facture n° F-1" in page and "client@example.org" in page and "&lt;b&gt;" in page


def test_the_development_mailbox_is_not_there_in_production_or_with_a_real_server(tmp_path, monkeypatch):
    from webapp import create_app

    monkeypatch.setenv("DUMENT_PRODUCTION", "true")
    monkeypatch.setenv("DUMENT_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DUMENT_BASE_URL", "https://dument.example.org")
    production = create_app({"INSTANCE_PATH": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path}/p.db"})
    assert production.test_client().get("/dev/courriels").status_code == 404
    monkeypatch.delenv("DUMENT_PRODUCTION")
    config = {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/s.db", "MAIL_URL": "smtp://mail.example.org"}
    assert create_app({**config, "INSTANCE_PATH": tmp_path}).test_client().get("/dev/courriels").status_code == 404
    remote = create_app({"INSTANCE_PATH": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path}/r.db"})
    page = remote.test_client().get("/dev/courriels", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert page.status_code == 404  # not debug, not testing, not from this machine


def _draft(to: str = "client@example.org") -> outbox.Draft:
    return outbox.Draft(
        to=to, subject="Rappel — facture n° F-1", text="Texte <b>brut</b>\n", html="<p>Texte</p>", reply_to=None
    )


def test_a_server_down_keeps_the_message_and_retries_with_growing_delays_then_marks_it_failed(app, smtp):
    now = datetime.now(UTC)
    with app.app_context():
        row = outbox.enqueue(db.session(), "test", _draft(), app.config["MAIL_FROM"], now)
        db.session().commit()
        row_id, sessions = row.id, app.extensions["dument_sessions"]
    down = mail.transport(f"smtp://127.0.0.1:{free_port()}", folder=None)
    moments = [now]
    for attempt in range(1, len(outbox.BACKOFF) + 2):
        outbox.deliver(sessions, down, app.config["MAIL_FROM"], moments[-1])
        with sessions() as session:
            stored = session.get(OutboxMessage, row_id)
            assert stored.attempts == attempt and "injoignable" in stored.last_error
            if attempt <= len(outbox.BACKOFF):
                assert stored.status == "pending"
                waited = stored.next_attempt_at.replace(tzinfo=UTC) - moments[-1]
                assert waited == outbox.BACKOFF[attempt - 1]
                assert outbox.deliver(sessions, down, app.config["MAIL_FROM"], moments[-1]).retried == 0  # not yet
                moments.append(moments[-1] + waited)
            else:
                assert stored.status == "failed"
    assert tuple(sorted(outbox.BACKOFF)) == outbox.BACKOFF and outbox.BACKOFF[0] >= timedelta(minutes=5)
    assert smtp.messages == []


def test_a_message_interrupted_mid_send_is_never_sent_twice_but_shown_as_failed(app, smtp):
    now = datetime.now(UTC)
    with app.app_context():
        row = outbox.enqueue(db.session(), "test", _draft(), app.config["MAIL_FROM"], now)
        db.session().commit()
        sessions = app.extensions["dument_sessions"]
        assert [r.id for r in outbox.claim(db.session(), now)] == [row.id]  # then the runner died
    transport = mail.transport(smtp.url, folder=None)
    assert outbox.deliver(sessions, transport, app.config["MAIL_FROM"], now + timedelta(minutes=5)).sent == 0
    outbox.deliver(sessions, transport, app.config["MAIL_FROM"], now + timedelta(hours=2))
    with sessions() as session:
        stored = session.get(OutboxMessage, row.id)
        assert stored.status == "failed" and "interrompu" in stored.last_error
    assert smtp.messages == []


def test_account_mails_are_forgotten_after_a_month_reminders_stay_with_their_dossier(app):
    long_ago = datetime.now(UTC) - timedelta(days=outbox.ACCOUNT_MAIL_DAYS + 1)
    with app.app_context():
        old = outbox.enqueue(db.session(), "reset", _draft(), app.config["MAIL_FROM"], long_ago)
        recent = outbox.enqueue(db.session(), "reset", _draft(), app.config["MAIL_FROM"], datetime.now(UTC))
        old.status = recent.status = "sent"
        db.session().commit()
        old_id, recent_id = old.id, recent.id
    sessions = app.extensions["dument_sessions"]
    outbox.deliver(sessions, mail.transport(None, app.config["MAIL_DIR"]), app.config["MAIL_FROM"], datetime.now(UTC))
    with sessions() as session:
        assert session.get(OutboxMessage, old_id) is None and session.get(OutboxMessage, recent_id) is not None
