"""The Suivi page's small forms: one event each, its date filled with today's, saved in a click.

Same fields, validators and French messages as the wizard's (``forms``); the claim they
produce is then checked by the engine's own validation before anything is saved.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from . import forms as f
from .fields import FrenchAmountField, FrenchDateField

OUTCOMES = [
    ("granted", "Le juge accorde la demande"),
    ("partly_granted", "Le juge n'accorde qu'une partie de la demande"),
    ("rejected", "Le juge rejette la requête"),
]


def _after(form, field, other, message):
    if field.data_iso and getattr(form, other).data_iso and field.data_iso < getattr(form, other).data_iso:
        raise ValidationError(message)


class NoticeForm(f.NoticeForm):
    """The wizard's form (same fields, same messages), with the délai the letter gave; sent required."""

    deadline_days = IntegerField(
        "Délai laissé pour payer (jours)",
        validators=[Optional(), NumberRange(1, 365, "Entre 1 et 365 jours.")],
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not (self.sent.data or "").strip():
            self.sent.errors = [*self.sent.errors, f.REQUIRED]
            return False
        return ok


class ReceivedForm(FlaskForm):
    received = FrenchDateField("Date de réception (sur l'avis de réception)", validators=[f.required()])


class PromiseForm(FlaskForm):
    made = FrenchDateField("Date de la promesse", validators=[f.required()])
    pay_by = FrenchDateField("Payer au plus tard le", validators=[f.required()])
    amount = FrenchAmountField("Montant promis (€)", validators=[Optional()])

    def validate_pay_by(self, field):
        _after(self, field, "made", "La date promise pour payer ne peut pas précéder la promesse.")


class PlanForm(FlaskForm):
    agreed = FrenchDateField("Date de l'accord", validators=[f.required()])
    total = FrenchAmountField("Montant total de l'échéancier (€)", validators=[f.required()])
    count = IntegerField(
        "Nombre de mensualités", validators=[f.required(), NumberRange(1, 120, "Entre 1 et 120 mensualités.")]
    )
    first = FrenchDateField("Première échéance", validators=[f.required()])
    signed = BooleanField("Signé par le client (il vaut alors reconnaissance de dette)")

    def validate_first(self, field):
        _after(self, field, "agreed", "La première échéance ne peut pas précéder l'accord.")


class FiledForm(FlaskForm):
    filed = FrenchDateField("Date de dépôt de la requête", validators=[f.required()])


class DecisionForm(FlaskForm):
    rendered = FrenchDateField("Date de l'ordonnance", validators=[f.required()])
    outcome = RadioField("Décision du juge", choices=f.options(OUTCOMES), default="granted")


class ServiceForm(FlaskForm):
    served = FrenchDateField("Date de la signification", validators=[f.required()])
    in_person = BooleanField("Remise à la personne du débiteur (signification « à personne »)")


class OppositionForm(FlaskForm):
    opposition = FrenchDateField("Date de l'opposition", validators=[f.required()])


class ReminderPlanForm(FlaskForm):
    days = StringField(
        "Jours après l'échéance",
        validators=[f.required()],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "placeholder": "3, 10, 20"},
    )
    channel = SelectField("Par", choices=f.options(f.CHANNELS))

    def validate_days(self, field):
        parts = [p.strip() for p in (field.data or "").replace(";", ",").split(",") if p.strip()]
        if not parts or not all(p.isdigit() and int(p) <= 365 for p in parts):
            raise ValidationError("Indiquez des nombres de jours séparés par des virgules, par exemple 3, 10, 20.")
        numbers = [int(p) for p in parts]
        if numbers != sorted(set(numbers)):
            raise ValidationError("Les relances doivent se suivre : des nombres de jours croissants.")
        self.numbers = numbers


class DisputeForm(FlaskForm):
    contested = SelectField("Le client conteste-t-il la facture ?", choices=f.options([("yes", "Oui"), ("no", "Non")]))
    details = TextAreaField("Ce qu'il reproche", validators=[Optional(), Length(max=1000)])
