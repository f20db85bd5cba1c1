"""The wizard's forms, in French, each field with a plain explanation of why it is asked.

Validation here is about input (a date that exists, a SIREN with a valid key…); the
legal checks stay in the engine. Messages are French and shown next to the field.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import IntegerField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, Regexp, ValidationError

from .fields import FrenchAmountField, FrenchDateField

REQUIRED = "Ce champ est obligatoire."


def options(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def required(message: str = REQUIRED):
    return DataRequired(message=message)


def _siren(form, field):
    if field.data and field.data.strip():
        try:
            field.data = stdnum_siren.validate(field.data)
        except StdnumError:
            raise ValidationError(
                "Ce numéro SIREN n'est pas valide : il compte 9 chiffres et sa clé de "
                "contrôle ne correspond pas. Vérifiez-le sur un extrait Kbis ou une "
                "facture."
            ) from None


def _email(form, field):
    """The claim file's own rule for an e-mail address (WTForms' Email() needs another package)."""
    if field.data and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", field.data.strip()):
        raise ValidationError("Cette adresse e-mail n'est pas valide : elle s'écrit nom@domaine.fr.")


def _iban(form, field):
    if field.data and field.data.strip():
        try:
            field.data = stdnum_iban.validate(field.data)
        except StdnumError:
            raise ValidationError(
                "Cet IBAN n'est pas valide (longueur ou clé de contrôle). Recopiez-le depuis votre RIB."
            ) from None


class AddressMixin:
    line1 = StringField("Adresse", validators=[required(), Length(max=120)])
    line2 = StringField("Complément d'adresse", validators=[Optional(), Length(max=120)])
    postcode = StringField("Code postal", validators=[required(), Length(max=12)])
    city = StringField("Ville", validators=[required(), Length(max=80)])
    country = StringField(
        "Pays (code à deux lettres)",
        default="FR",
        filters=[lambda code: code.strip().upper() if isinstance(code, str) else code],
        validators=[required(), Regexp(r"^[A-Za-z]{2}$", message="Deux lettres, par exemple FR, DE, BE.")],
    )

    def validate_postcode(self, field):
        if (self.country.data or "FR").upper() == "FR" and not (field.data or "").strip().isdigit():
            raise ValidationError("Un code postal français compte 5 chiffres, par exemple 69002.")
        if (self.country.data or "FR").upper() == "FR" and len(field.data.strip()) != 5:
            raise ValidationError("Un code postal français compte 5 chiffres, par exemple 69002.")


CREDITOR_KINDS = [
    ("company", "Une société (SARL, SAS, EURL…)"),
    ("sole_trader", "Un entrepreneur individuel ou micro-entrepreneur"),
    ("association", "Une association"),
    ("individual", "Un particulier qui n'agit pas à titre professionnel"),
]
DEBTOR_KINDS = [
    ("company", "Une société (SARL, SAS, SCI…)"),
    ("sole_trader", "Un entrepreneur individuel (artisan, commerçant, profession libérale…)"),
    ("consumer", "Un particulier (consommateur)"),
    ("association", "Une association"),
    ("public_body", "Une personne publique (commune, État, hôpital, établissement public…)"),
]
ACTIVITIES = [
    ("", "Je ne sais pas / calculé automatiquement"),
    ("commercial", "Commerciale (achat-revente, industrie, services marchands)"),
    ("artisanal", "Artisanale (inscrite au répertoire des métiers)"),
    ("liberal", "Libérale (avocat, médecin, architecte, consultant…)"),
    ("agricultural", "Agricole"),
    ("civil", "Civile (SCI, société civile…)"),
]
PROCEEDINGS = [
    ("none", "Non, pas à ma connaissance"),
    ("sauvegarde", "Oui : procédure de sauvegarde"),
    ("redressement", "Oui : redressement judiciaire"),
    ("liquidation", "Oui : liquidation judiciaire"),
]


PERSON_KINDS = ("sole_trader", "individual")  # a creditor who is a person: the requête names them


class CreditorForm(FlaskForm, AddressMixin):
    # No Optional(): it would stop the check that requires each for some kinds (validate_name…).
    name = StringField("Raison sociale ou nom commercial", validators=[Length(max=120)])
    first_name = StringField("Prénom", validators=[Length(max=60)], render_kw={"autocomplete": "given-name"})
    last_name = StringField("Nom de famille", validators=[Length(max=60)], render_kw={"autocomplete": "family-name"})
    kind = RadioField("Vous êtes", choices=options(CREDITOR_KINDS), validators=[required("Choisissez une réponse.")])
    legal_form = StringField("Forme juridique", validators=[Optional(), Length(max=40)])
    activity = SelectField("Votre activité", choices=options(ACTIVITIES), validators=[Optional()])
    siren = StringField("Numéro SIREN", validators=[_siren])
    email = StringField("Adresse e-mail", validators=[Optional(), _email])
    phone = StringField("Téléphone", validators=[Optional(), Length(max=30)])
    signatory = StringField("Signataire des courriers", validators=[Optional(), Length(max=120)])
    iban = StringField("IBAN pour être payé", validators=[Optional(), _iban])
    birth_date = FrenchDateField("Date de naissance", validators=[Optional()])
    birth_place = StringField("Lieu de naissance", validators=[Optional(), Length(max=80)])
    nationality = StringField("Nationalité", validators=[Optional(), Length(max=40)])
    profession = StringField("Profession", validators=[Optional(), Length(max=80)])

    def validate_name(self, field):
        if self.kind.data not in PERSON_KINDS and not (field.data or "").strip():
            raise ValidationError(
                "La raison sociale est obligatoire pour une société ou une association : "
                "telle qu'elle figure sur vos factures."
            )

    def validate_first_name(self, field):
        if self.kind.data in PERSON_KINDS and not (field.data or "").strip():
            raise ValidationError("Indiquez votre prénom : la requête au juge nomme la personne qui demande.")

    def validate_last_name(self, field):
        if self.kind.data in PERSON_KINDS and not (field.data or "").strip():
            raise ValidationError("Indiquez votre nom de famille : la requête au juge nomme la personne qui demande.")

    def validate_siren(self, field):
        if self.kind.data in ("company", "sole_trader") and not (field.data or "").strip():
            raise ValidationError(
                "Le numéro SIREN est obligatoire pour une entreprise : il figure sur "
                "vos factures et votre extrait Kbis."
            )


class DebtorForm(FlaskForm, AddressMixin):
    name = StringField("Nom ou raison sociale du client", validators=[required(), Length(max=120)])
    kind = RadioField(
        "Votre client est", choices=options(DEBTOR_KINDS), validators=[required("Choisissez une réponse.")]
    )
    legal_form = StringField("Forme juridique", validators=[Optional(), Length(max=40)])
    activity = SelectField("Son activité", choices=options(ACTIVITIES), validators=[Optional()])
    siren = StringField("Numéro SIREN", validators=[Optional(), _siren])
    proceedings = RadioField("Est-il en procédure collective ?", choices=options(PROCEEDINGS), default="none")
    opened = FrenchDateField("Date du jugement d'ouverture")
    published = FrenchDateField("Date de publication au BODACC", validators=[Optional()])
    mandataire = StringField("Mandataire ou liquidateur judiciaire (nom)", validators=[Optional(), Length(max=120)])

    def validate_opened(self, field):
        if self.proceedings.data not in (None, "", "none") and not (field.data or "").strip():
            raise ValidationError("Indiquez la date du jugement d'ouverture : elle figure dans l'annonce du BODACC.")


class InvoiceForm(FlaskForm):
    number = StringField("Numéro de la facture", validators=[required(), Length(max=40)])
    issued = FrenchDateField("Date de la facture", validators=[required()])
    performed = FrenchDateField("Date de la livraison ou de la fin des travaux", validators=[Optional()])
    due = FrenchDateField("Date d'échéance", validators=[Optional()])
    amount = FrenchAmountField("Montant TTC (€)", validators=[required()])
    description = StringField("Objet", validators=[Optional(), Length(max=200)])
    file = FileField("Fichier de la facture (PDF, JPEG ou PNG)")

    def validate_due(self, field):
        if field.data_iso and self.issued.data_iso and field.data_iso < self.issued.data_iso:
            raise ValidationError("L'échéance ne peut pas précéder la date de la facture.")

    def validate_issued(self, field):
        if field.data_iso and field.data_iso > date.today().isoformat():
            raise ValidationError(
                "La date de la facture est dans le futur : une facture impayée a déjà été émise. "
                "Vérifiez l'année (jj/mm/aaaa)."
            )

    def validate_amount(self, field):
        _positive(field, "Le montant d'une facture impayée est supérieur à 0 €.")


def _positive(field, message: str) -> None:
    if field.data_claim is not None and Decimal(field.data_claim) <= 0:
        raise ValidationError(message)


class PaymentForm(FlaskForm):
    date = FrenchDateField("Date du paiement", validators=[required()])
    amount = FrenchAmountField("Montant reçu (€)", validators=[required()])
    invoice = SelectField("Facture payée", choices=[], validate_choice=False)

    def validate_amount(self, field):
        _positive(field, "Le montant reçu est supérieur à 0 €.")


PENALTIES = [
    ("", "Rien n'est prévu / je ne sais pas (taux fixé par la loi)"),
    ("ecb_plus_10", "Taux de la BCE majoré de 10 points"),
    ("three_times_legal", "Trois fois le taux d'intérêt légal"),
    ("custom", "Un taux précis (indiquez-le)"),
]


FLOOR_READINGS = [
    ("", "Réclamer le moindre des deux taux, semestre par semestre (conseillé)"),
    ("raise_to_floor", "Réclamer le taux relevé au minimum légal"),
    ("default_rate", "Réclamer le taux légal par défaut (BCE + 10 points), la clause étant écartée"),
]


class TermsForm(FlaskForm):
    penalty = RadioField("Pénalités de retard prévues par vos conditions", choices=options(PENALTIES), default="")
    rate = StringField("Taux annuel (%)")
    indemnity = RadioField(
        "Réclamer l'indemnité forfaitaire de 40 € par facture ?",
        choices=options([("yes", "Oui"), ("no", "Non")]),
        default="yes",
    )
    below_floor = RadioField(
        "Si votre taux est inférieur au minimum légal (trois fois le taux d'intérêt légal)",
        choices=options(FLOOR_READINGS),
        default="",
    )
    refer_on_opposition = BooleanField(
        "En cas d'opposition du client, demander dans la requête le renvoi immédiat de l'affaire "
        "devant le tribunal compétent (article 1408 du code de procédure civile)",
        default=False,
    )
    max_discount = StringField("Remise maximale acceptée (%)", validators=[Optional()])
    max_instalments = IntegerField(
        "Nombre maximal de mensualités acceptées",
        validators=[Optional(), NumberRange(1, 120, "Entre 1 et 120 mensualités.")],
    )

    def validate_rate(self, field):
        if self.penalty.data == "custom":
            text = (field.data or "").replace(",", ".").replace("%", "").strip()
            try:
                value = float(text)
            except ValueError:
                raise ValidationError("Indiquez le taux annuel, par exemple 12 ou 10,5.") from None
            if not 0 <= value <= 100:
                raise ValidationError("Le taux doit être compris entre 0 et 100 %.")

    def validate_max_discount(self, field):
        text = (field.data or "").replace(",", ".").replace("%", "").strip()
        if text:
            try:
                ok = 0 <= float(text) <= 100
            except ValueError:
                ok = False
            if not ok:
                raise ValidationError("Indiquez un pourcentage entre 0 et 100.")


EVIDENCE_KINDS = [
    ("signed_quote", "Devis signé par le client"),
    ("purchase_order", "Bon de commande"),
    ("contract", "Contrat"),
    ("delivery_note", "Bon de livraison signé"),
    ("acceptance", "Procès-verbal de réception, acceptation des travaux"),
    ("general_terms", "Conditions générales de vente"),
    ("correspondence", "Échanges (courriels, courriers)"),
    ("formal_notice_receipt", "Mise en demeure et avis de réception"),
    ("other", "Autre pièce"),
]


class EvidenceForm(FlaskForm):
    kind = SelectField("Type de pièce", choices=options(EVIDENCE_KINDS), validators=[required()])
    title = StringField("Description", validators=[required(), Length(max=200)])
    date = FrenchDateField("Date", validators=[Optional()])
    file = FileField("Fichier (PDF, JPEG ou PNG)")


class DisputeForm(FlaskForm):
    contested = RadioField(
        "Le client conteste-t-il la facture (travaux, marchandise ou montant) ?",
        choices=options([("no", "Non"), ("yes", "Oui")]),
        default="no",
    )
    details = TextAreaField("Ce qu'il reproche", validators=[Optional(), Length(max=1000)])


CHANNELS = [
    ("email", "Courriel"),
    ("letter", "Courrier simple"),
    ("phone", "Téléphone"),
    ("registered_letter", "Lettre recommandée"),
]


class ReminderForm(FlaskForm):
    date = FrenchDateField("Date de la relance", validators=[required()])
    channel = SelectField("Par", choices=options(CHANNELS), validators=[required()])


class NoticeForm(FlaskForm):
    sent = FrenchDateField("Date d'envoi de la mise en demeure", validators=[Optional()])
    registered = BooleanField("Envoyée en lettre recommandée avec avis de réception")
    received = FrenchDateField("Date de réception (sur l'avis de réception)", validators=[Optional()])

    def validate_received(self, field):
        if field.data_iso and not self.sent.data_iso:
            raise ValidationError("Indiquez d'abord la date d'envoi.")
        if field.data_iso and self.sent.data_iso and field.data_iso < self.sent.data_iso:
            raise ValidationError("La réception ne peut pas précéder l'envoi.")


class AcknowledgmentForm(FlaskForm):
    date = FrenchDateField("Date de la reconnaissance de dette", validators=[required()])
    invoices = SelectMultipleField("Factures concernées (aucune cochée : toutes)", choices=[], validate_choice=False)


class PieceFileForm(FlaskForm):
    file = FileField("Fichier de cette pièce (PDF, JPEG ou PNG)")


class ImportForm(FlaskForm):
    archive = FileField("Archive ZIP exportée par Dûment")


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


class SignupForm(FlaskForm):
    name = StringField("Votre nom", validators=[required(), Length(max=120)], render_kw={"autocomplete": "name"})
    email = StringField(
        "Adresse e-mail", validators=[required(), Length(max=254), _email], render_kw={"autocomplete": "email"}
    )
    password = PasswordField(
        "Mot de passe",
        validators=[required(), Length(min=12, message="Au moins 12 caractères."), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Le même mot de passe, une seconde fois",
        validators=[required(), EqualTo("password", message="Les deux mots de passe ne sont pas identiques.")],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(FlaskForm):
    email = StringField("Adresse e-mail", validators=[required(), Length(max=254)], render_kw={"autocomplete": "email"})
    password = PasswordField(
        "Mot de passe", validators=[required(), Length(max=200)], render_kw={"autocomplete": "current-password"}
    )


class OrganisationForm(FlaskForm):
    name = StringField("Nom de l'équipe", validators=[required(), Length(max=120)])


class MemberForm(FlaskForm):
    email = StringField("Son adresse e-mail", validators=[required(), Length(max=254), _email])
    role = RadioField("Rôle", choices=[], validators=[required("Choisissez un rôle.")])


class OwnerForm(FlaskForm):
    owner = SelectField("Rattacher ce dossier à", choices=[], validators=[required()])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Votre mot de passe, pour confirmer",
        validators=[required(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class AddressForm(FlaskForm):
    """An e-mail address alone: asking for a new password, or for a new confirmation link."""

    email = StringField(
        "Adresse e-mail", validators=[required(), Length(max=254), _email], render_kw={"autocomplete": "email"}
    )


class NewPasswordForm(FlaskForm):
    """A new password from a reset link: the same fields and rules as at sign-up."""

    password = SignupForm.password
    confirm = SignupForm.confirm


class RemindersForm(FlaskForm):
    """Turning automatic reminders on, once the previews have been read."""

    debtor_email = StringField(
        "Adresse e-mail de votre client",
        validators=[required(), Length(max=254), _email],
        render_kw={"autocomplete": "off"},
    )
    confirm = BooleanField(
        "J'ai relu les messages ci-dessus : Dûment peut les envoyer en mon nom aux dates prévues",
        validators=[DataRequired("Cochez cette case pour confirmer que vous avez relu les messages.")],
    )


class PlanForm(FlaskForm):
    days = StringField("Jours après l'échéance", validators=[required(), Length(max=60)])
    scope = RadioField("Pour", choices=[], validators=[required("Choisissez pour quels dossiers.")])
