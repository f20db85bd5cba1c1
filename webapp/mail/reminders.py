"""A reminder as an e-mail to the debtor: courteous first, firmer next, the last one proposing
the mise en demeure with the relance letter attached as PDF.

The same function makes the preview the creditor reads before turning reminders on, and
the message that goes out, so what is sent is what was shown (with the day's figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..documents.context import Options, build_context
from ..documents.render import DocumentUnavailable, availability, render_pdf
from ..domain.assessment import Assessment
from ..domain.procedures import Library
from ..store.outbox import Draft
from . import messages
from . import transport as mail

PAYMENT_DEADLINE_DAYS = 8  # the délai each reminder gives, as on the relance letter's default


@dataclass(frozen=True)
class Paths:
    templates_dir: Path  # letter_templates/, for the attached relance
    static_dir: Path


def tier(step: int, steps: int) -> str:
    """Which text a step uses: the first is courteous, the last (of two or more) the final one."""
    if steps >= 2 and step >= steps:
        return "relance-3"
    return "relance-1" if step <= 1 else "relance-2"


def compose(
    a: Assessment, library: Library, paths: Paths, step: int, steps: int, to: str, reply_to: str | None, pdf=True
) -> Draft:
    """The message of plan step ``step`` (of ``steps``) for this assessment; ``pdf=False`` for a quick preview."""
    name = tier(step, steps)
    context = build_context(a, library, Options(payment_deadline_days=PAYMENT_DEADLINE_DAYS))
    done = sorted(r.date for r in a.claim.history.reminders)
    attachment = _relance_pdf(a, library, paths) if name == "relance-3" and pdf else None
    return messages.compose(
        name,
        to,
        reply_to=reply_to,
        attachment=attachment,
        last_reminder=done[-1] if done else None,
        reminder_dates=done,
        attached=attachment is not None or (name == "relance-3" and not pdf and _available(a)),
        **context,
    )


def _available(a: Assessment) -> bool:
    return availability(a, "relance")[0]


def _relance_pdf(a: Assessment, library: Library, paths: Paths) -> mail.Attachment | None:
    """The relance letter as PDF, when a route of this claim produces one."""
    try:
        data = render_pdf("relance", a, library, templates_dir=paths.templates_dir, static_dir=paths.static_dir)
    except DocumentUnavailable:
        return None
    return mail.Attachment("relance.pdf", "application/pdf", data)
