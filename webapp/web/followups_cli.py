"""``flask --app webapp followups run [--on DATE] [--dry-run]`` and ``followups bounce``.

Run from cron or a systemd timer (see the README), never from inside the web workers:
one idempotent command computes what is due and drains the outbox.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from .. import config
from ..mail import followups as auto
from ..mail.reminders import Paths
from ..store import bounces
from . import mailer

followups = AppGroup("followups", help="Relances automatiques et envoi des courriels en attente.")


def context(app) -> auto.Context:
    return auto.Context(
        library=app.extensions["dument_library"],
        paths=Paths(templates_dir=config.templates_dir(), static_dir=config.static_dir()),
        sender=mailer.sender(app),
    )


@followups.command("run")
@click.option("--on", "on", default=None, help="Date du jour à considérer (AAAA-MM-JJ) ; par défaut aujourd'hui.")
@click.option("--dry-run", is_flag=True, help="Afficher ce qui serait envoyé, sans rien écrire ni envoyer.")
def run_command(on: str | None, dry_run: bool) -> None:
    """Préparer les relances dues ce jour et envoyer les courriels en attente (avec nouvelles tentatives)."""
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise click.BadParameter(f"« {on} » n'est pas une date AAAA-MM-JJ", param_hint="--on") from None
    app = current_app._get_current_object()
    report = auto.run(
        app.extensions["dument_sessions"], mailer.transport(app), context(app), day, datetime.now(UTC), dry_run
    )
    _print(report, day, dry_run)
    if report.delivery.failed:
        sys.exit(1)  # cron mails the operator: a message could not go


def _print(report: auto.Report, day: date, dry_run: bool) -> None:
    if dry_run:
        click.echo(f"Simulation du {day.isoformat()} : rien n'est écrit ni envoyé.")
        for dossier_id, step, address in report.planned:
            click.echo(f"  relance n° {step} du dossier {dossier_id} à {address}")
        waiting = report.delivery.sent
        click.echo(f"{len(report.planned)} relance(s) à préparer, {waiting} courriel(s) en attente d'envoi.")
    else:
        d = report.delivery
        click.echo(
            f"{report.queued} relance(s) préparée(s) ; {d.sent} courriel(s) envoyé(s), {d.retried} à réessayer, "
            f"{d.failed} en échec, {d.cancelled} annulé(s)."
        )
        for reason, count in sorted(d.reasons.items()):
            click.echo(f"  annulé(s) : {reason} ({count})")
    for reason, count in sorted(report.skipped.items()):
        click.echo(f"  sans relance : {reason} ({count})")


@followups.command("bounce")
@click.argument("message", type=click.File("rb"), default="-")
def bounce_command(message) -> None:
    """Lire un avis de non-remise (bounce) et marquer le courriel d'origine en échec sur son dossier."""
    app = current_app._get_current_object()
    with app.extensions["dument_sessions"]() as db:
        found = bounces.record(db, message.read(), datetime.now(UTC))
        db.commit()
    if found is None:
        click.echo("Avis de non-remise : aucun courriel de Dûment correspondant.", err=True)
        sys.exit(2)
    click.echo(f"Courriel {found.message_id} marqué en échec ({found.to_address}).")
