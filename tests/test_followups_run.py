"""`flask --app webapp followups run`: reminders due on a day go out once, through a real SMTP server.

The invoice falls due on Monday 2 November 2026; the default plan is 3, 10 and 20 days
later: Thursday 5, Thursday 12, and Sunday 22 November, which moves to Monday 23.
"""

from __future__ import annotations

import copy
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import BASE_CLAIM
from tests.smtp_server import SmtpServer, free_port
from webapp.mail import followups
from webapp.store import accounts, dossiers, outbox
from webapp.store.models import AuditEvent, Dossier, FollowUp, OutboxMessage
from webapp.web import db
from webapp.web.followups_cli import context

DEBTOR_EMAIL = "compta@boulangerie-martin.fr"
CLAIM = {
    **copy.deepcopy(BASE_CLAIM),
    "creditor": {**BASE_CLAIM["creditor"], "email": "contact@atelier-dupont.fr", "signatory": "Marie Dupont"},
    "invoices": [{"number": "F-2026-031", "issued": "2026-10-02", "due": "2026-11-02", "amount": "1200.00"}],
    "terms": {"recovery_indemnity": False},  # so that a payment can settle everything (the engine's "paid")
}


@pytest.fixture
def smtp(app):
    server = SmtpServer()
    app.config["MAIL_URL"] = server.url
    yield server
    server.stop()


def make_dossier(app, claim: dict | None = None, email: str = DEBTOR_EMAIL, enabled: bool = True) -> str:
    """A dossier of a confirmed account with automatic reminders turned on; its id."""
    with app.app_context():
        session = db.session()
        owner = accounts.by_email(session, "sophie@example.org")
        if owner is None:
            owner = accounts.create_account(session, "sophie@example.org", "Sophie Leroy", "une phrase de passe solide")
            owner.email_verified_at = datetime.now(UTC)
        dossier = dossiers.create(session, copy.deepcopy(claim or CLAIM), owner_id=owner.id)
        session.add(FollowUp(dossier_id=dossier.id, enabled=enabled, debtor_email=email, enabled_by=owner.email))
        session.commit()
        return dossier.id


def run(app, on: str, *extra: str):
    """The command, as cron runs it."""
    result = app.test_cli_runner().invoke(args=["followups", "run", "--on", on, *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def pay_everything(app, dossier_id: str, on: str) -> None:
    """Record a payment of everything due on ``on`` (principal, interest, the 40 € indemnity)."""
    from webapp.domain.assessment import assess
    from webapp.domain.claim_file import claim_from_data

    with app.app_context():
        stored = db.session().get(Dossier, dossier_id)
        due = assess(claim_from_data(stored.claim), app.extensions["dument_library"], date.fromisoformat(on))
        payment = {"date": on, "amount": str(due.amounts.total)}
        dossiers.save_claim(db.session(), stored, {**stored.claim, "payments": [payment]})


def sent_subjects(smtp) -> list[str]:
    return [m["Subject"] for m in smtp.messages]


def dossier(app, dossier_id: str) -> Dossier:
    with app.app_context():
        return db.session().get(Dossier, dossier_id)


def test_two_runs_send_exactly_one_message_per_due_step(app, smtp):
    dossier_id = make_dossier(app)
    first = run(app, "2026-11-05")
    assert "1 relance(s) préparée(s) ; 1 courriel(s) envoyé(s)" in first.output
    run(app, "2026-11-05")
    [message] = smtp.messages
    assert message["To"] == DEBTOR_EMAIL and message["Reply-To"] == "contact@atelier-dupont.fr"
    assert message["From"].addresses[0].display_name == "Atelier Dupont SARL (via Dûment)"
    assert message["Subject"] == "Rappel — facture n° F-2026-031 — Atelier Dupont SARL"
    body = message.get_body(("plain",)).get_content()
    assert "Il s'agit sans doute d'un simple oubli" in body and "1 200,00" in body.replace("\u202f", " ")
    assert "<p>Madame, Monsieur,</p>" in message.get_body(("html",)).get_content()
    history = dossier(app, dossier_id).claim["history"]["reminders"]
    assert history == [{"date": "2026-11-05", "channel": "email"}]  # recorded by itself
    run(app, "2026-11-12")
    run(app, "2026-11-12")
    assert len(smtp.messages) == 2 and smtp.messages[1]["Subject"].startswith("Deuxième rappel")
    assert (
        "Notre rappel du 5 novembre 2026 est resté sans réponse" in smtp.messages[1].get_body(("plain",)).get_content()
    )
    with app.app_context():
        rows = db.session().query(OutboxMessage).filter_by(dossier_id=dossier_id).all()
        assert sorted((r.step, r.status, r.message_id) for r in rows) == sorted(
            (i + 1, "sent", m["Message-ID"]) for i, m in enumerate(smtp.messages)
        )
        journal = [e.action for e in db.session().query(AuditEvent).filter_by(dossier_id=dossier_id)]
        assert journal.count("courriel envoyé") == 2


def test_a_payment_recorded_between_runs_stops_the_next_reminder(app, smtp):
    dossier_id = make_dossier(app)
    run(app, "2026-11-05")
    pay_everything(app, dossier_id, "2026-11-10")
    result = run(app, "2026-11-12")
    assert len(smtp.messages) == 1
    assert "Rien ne reste dû." in result.output


def test_a_payment_recorded_after_the_decision_cancels_the_message_at_sending_time(app, smtp):
    dossier_id = make_dossier(app)
    now = datetime.now(UTC)
    ctx, sessions = _ctx(app), app.extensions["dument_sessions"]
    from webapp.mail import transport as mail

    down = mail.transport(f"smtp://127.0.0.1:{free_port()}", None)  # at the first run: the message waits
    report = followups.run(sessions, down, ctx, date(2026, 11, 5), now)
    assert report.queued == 1 and report.delivery.retried == 1
    pay_everything(app, dossier_id, "2026-11-05")
    later = now + timedelta(hours=1)
    report = followups.run(sessions, mail.transport(smtp.url, None), ctx, date(2026, 11, 5), later)
    assert report.delivery.cancelled == 1 and smtp.messages == []
    with app.app_context():
        [row] = db.session().query(OutboxMessage).all()
        assert row.status == "cancelled" and "Rien ne reste dû." in row.last_error
        assert "history" not in db.session().get(Dossier, dossier_id).claim


def _ctx(app) -> followups.Context:
    with app.app_context():
        return context(app)


def test_a_weekend_is_skipped_and_a_late_start_catches_up_one_step_at_a_time(app, smtp):
    make_dossier(app)
    for day in ("2026-11-04", "2026-11-07", "2026-11-08"):  # too early, then a Saturday and a Sunday
        run(app, day)
    assert smtp.messages == []
    run(app, "2026-11-09")  # Monday: step 1 (due on Thursday 5) goes now, alone
    assert sent_subjects(smtp) == ["Rappel — facture n° F-2026-031 — Atelier Dupont SARL"]
    run(app, "2026-11-12")
    run(app, "2026-11-21")  # Saturday
    run(app, "2026-11-22")  # Sunday: step 3's nominal date, moved to Monday
    assert len(smtp.messages) == 2
    run(app, "2026-11-23")
    assert len(smtp.messages) == 3


def test_the_last_reminder_proposes_the_mise_en_demeure_with_the_relance_pdf_attached(app, smtp):
    claim = {
        **CLAIM,
        "history": {
            "reminders": [{"date": "2026-11-05", "channel": "email"}, {"date": "2026-11-12", "channel": "email"}]
        },
    }
    make_dossier(app, claim)
    run(app, "2026-11-23")
    [message] = smtp.messages
    assert message["Subject"].startswith("Dernier rappel avant mise en demeure")
    body = message.get_body(("plain",)).get_content()
    assert "nous vous adresserons une mise en demeure de payer par lettre recommandée" in body
    assert "Malgré nos rappels des 5 novembre 2026, 12 novembre 2026" in body
    assert "Vous trouverez ci-joint notre lettre de relance" in body
    [pdf] = list(message.iter_attachments())
    assert pdf.get_filename() == "relance.pdf" and pdf.get_content().startswith(b"%PDF")


def test_a_dry_run_says_what_would_go_and_writes_nothing(app, smtp):
    make_dossier(app)
    result = run(app, "2026-11-05", "--dry-run")
    assert "Simulation du 2026-11-05" in result.output and "relance n° 1 du dossier" in result.output
    assert "1 relance(s) à préparer" in result.output and smtp.messages == []
    with app.app_context():
        assert db.session().query(OutboxMessage).count() == 0


def test_a_missing_or_invalid_debtor_address_sends_nothing_and_says_why(app, smtp):
    make_dossier(app, email="")
    make_dossier(app, email="pas-une-adresse")
    result = run(app, "2026-11-05")
    assert smtp.messages == [] and "adresse e-mail du client manquante ou invalide (2)" in result.output


def test_an_address_the_server_refuses_is_marked_failed_on_the_dossier_and_reminders_wait(app, smtp):
    dossier_id = make_dossier(app, email="refuse@boulangerie-martin.fr")
    result = run(app, "2026-11-05")
    assert result.exit_code == 1 and "1 en échec" in result.output  # cron tells the operator
    with app.app_context():
        follow_up = db.session().get(FollowUp, dossier_id)
        assert "n'a pas pu être envoyée à refuse@boulangerie-martin.fr : adresse refusée" in follow_up.problem
    run(app, "2026-11-12")
    assert smtp.messages == []  # nothing more until the address is corrected


def test_a_bounce_marks_the_message_failed_and_the_dossier_shows_it(app, smtp, client):
    dossier_id = make_dossier(app)
    run(app, "2026-11-05")
    [message] = smtp.messages
    bounce = (
        "From: MAILER-DAEMON@mx.example\r\nTo: ne-pas-repondre@localhost\r\nSubject: Undelivered Mail\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n"
        "--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
        "Final-Recipient: rfc822; compta@boulangerie-martin.fr\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"
        f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {message['Message-ID']}\r\nTo: {DEBTOR_EMAIL}\r\n"
        "--B--\r\n"
    )
    result = app.test_cli_runner().invoke(args=["followups", "bounce"], input=bounce)
    assert result.exit_code == 0, result.output
    with app.app_context():
        [row] = db.session().query(OutboxMessage).all()
        assert row.status == "failed" and "550 5.1.1 user unknown" in row.last_error
        assert "revenu en erreur" in db.session().get(FollowUp, dossier_id).problem
    unknown = app.test_cli_runner().invoke(args=["followups", "bounce"], input="Subject: x\r\n\r\nrien\r\n")
    assert unknown.exit_code == 2


def test_two_runs_at_once_send_each_message_once(app, smtp):
    """On PostgreSQL (DUMENT_TEST_DATABASE_URL) rows are claimed FOR UPDATE SKIP LOCKED; on SQLite by one UPDATE."""
    ids = [make_dossier(app) for _ in range(30)]
    ctx, sessions = _ctx(app), app.extensions["dument_sessions"]
    from webapp.mail import transport as mail

    barrier, errors = threading.Barrier(2), []

    def runner():
        try:
            barrier.wait()
            followups.run(sessions, mail.transport(smtp.url, None), ctx, date(2026, 11, 5), datetime.now(UTC))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(m["To"] for m in smtp.messages) == [DEBTOR_EMAIL] * 30
    assert len({m["Message-ID"] for m in smtp.messages}) == 30
    with app.app_context():
        for dossier_id in ids:
            assert len(db.session().get(Dossier, dossier_id).claim["history"]["reminders"]) == 1
    assert outbox.BATCH >= 1


def test_a_wrong_date_is_refused_in_french_with_the_option_named(app):
    result = app.test_cli_runner().invoke(args=["followups", "run", "--on", "2026-02-30"])
    assert result.exit_code == 2 and "« 2026-02-30 » n'est pas une date AAAA-MM-JJ" in result.output
    assert "--on" in result.output
