"""The ``dument`` command: assess a claim file, render its documents, build its dossier.

Exit status: 0 when done, 2 for an invalid claim file, a bad option or a document this
claim cannot have, 1 for anything else. Messages are French and never a traceback.
Built on click, like the ``flask`` commands of the web app.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

import click

from .config import procedures_dir
from .domain import bounds
from .domain.assessment import Assessment, assess
from .domain.claim_file import load_claim
from .domain.errors import ClaimError, DataFileError, ParameterError
from .domain.procedures import Library, load_library
from .domain.receivables import LedgerFileError


class Day(click.ParamType):
    """An ISO date option (``--on 2026-11-23``) between 1900 and 2100, refused in French otherwise."""

    name = "AAAA-MM-JJ"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(f"date attendue au format AAAA-MM-JJ : {value}", param, ctx)
        if not bounds.date_in_range(day):
            self.fail(f"{bounds.DATE_MESSAGE}, pas {value}", param, ctx)
        return day


class Days(click.ParamType):
    """The payment deadline of a letter, in days (``--delai 8``), from 1 to 90."""

    name = "JOURS"

    def convert(self, value, param, ctx) -> int:
        text = str(value).strip()
        if not (text.isdigit() and len(text) <= 3 and bounds.deadline_in_range(int(text))):
            self.fail(f"{bounds.DEADLINE_MESSAGE}, pas {str(value)[:20]}", param, ctx)
        return int(text)


class TermDays(click.ParamType):
    """A payment term in days between 0 and 365 (``--terms 45``), refused in French otherwise."""

    name = "JOURS"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            return value
        if not str(value).isdigit() or int(value) > 365:
            self.fail(f"nombre de jours entre 0 et 365 attendu : {str(value)[:20]}", param, ctx)
        return int(value)


class ClaimPath(click.ParamType):
    """The claim file: an existing, readable regular file."""

    name = "CREANCE"

    def convert(self, value, param, ctx) -> Path:
        path = Path(value)
        if not path.is_file():
            self.fail(f"impossible de lire {value} : ce fichier n'existe pas (ou c'est un dossier)", param, ctx)
        return path


class OutPath(click.ParamType):
    """Where to write (a PDF, a claim file): a new file or a regular file to replace, in an existing folder.

    Never a device (/dev/null, /dev/full), a folder or a pipe: the PDF is written beside
    it and renamed over it, which would replace that special file (as root, for good).
    """

    name = "FICHIER"

    def convert(self, value, param, ctx) -> Path:
        path = Path(value)
        if (path.exists() and not path.is_file()) or (path.is_symlink() and not path.resolve().is_file()):
            self.fail(f"{value} existe et n'est pas un fichier ordinaire : choisissez un autre nom", param, ctx)
        if not path.parent.is_dir():
            self.fail(f"le dossier {path.parent} n'existe pas", param, ctx)
        return path


CLAIM = click.argument("claim", type=ClaimPath())
ON = click.option("--on", type=Day(), default=None, help="date d'évaluation ou du document (AAAA-MM-JJ)")
OUT = click.option("--out", type=OutPath(), required=True, help="fichier PDF à écrire")


@click.group(help="Recouvrement de factures impayées.", context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """The command group; each subcommand below is one verb of the contract."""


def _print(result, as_json: bool, to_json, to_text) -> None:
    """A command's result on standard output: one JSON object, or the French text."""
    if as_json:
        json.dump(to_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(to_text(result))


def _assessed(claim_path: Path, on: date | None) -> tuple[Assessment, Library]:
    library = load_library(procedures_dir())
    return assess(load_claim(claim_path), library, on or date.today()), library


@cli.command("assess", help="évaluer une créance")
@CLAIM
@ON
@click.option("--json", "as_json", is_flag=True, help="sortie JSON")
def assess_command(claim: Path, on: date | None, as_json: bool) -> None:
    from .domain.report import to_json, to_text

    result, _ = _assessed(claim, on)
    _print(result, as_json, to_json, to_text)


@cli.command("render", help="produire un document en PDF")
@CLAIM
@click.option("--document", required=True, help="identifiant du document (mise-en-demeure…)")
@OUT
@ON
@click.option("--delai", type=Days(), default=8, show_default=True, help="délai de paiement laissé, de 1 à 90 jours")
def render_command(claim: Path, document: str, out: Path, on: date | None, delai: int) -> None:
    from .config import static_dir, templates_dir
    from .documents.atomic import write_atomically
    from .documents.context import Options
    from .documents.render import render_pdf

    result, library = _assessed(claim, on)
    pdf = render_pdf(
        document,
        result,
        library,
        templates_dir=templates_dir(),
        static_dir=static_dir(),
        options=Options(payment_deadline_days=delai),
    )
    write_atomically(out, pdf)
    click.echo(f"{out} écrit ({len(pdf) // 1024} Ko).")


@cli.command("dossier", help="produire le dossier complet d'injonction de payer")
@CLAIM
@OUT
@ON
@click.option(
    "--pieces-hors-dossier",
    "outside",
    is_flag=True,
    help="lire aussi les pièces situées hors du dossier du fichier de créance (../, chemins absolus)",
)
def dossier_command(claim: Path, out: Path, on: date | None, outside: bool) -> None:
    from .config import static_dir, templates_dir
    from .documents.atomic import write_atomically
    from .documents.dossier import build_dossier

    result, library = _assessed(claim, on)
    base = claim.resolve().parent
    if not outside:
        _check_inside(result, base)
    pdf = build_dossier(result, library, base_dir=base, templates_dir=templates_dir(), static_dir=static_dir())
    write_atomically(out, pdf)
    click.echo(f"{out} écrit ({len(pdf) // 1024} Ko).")


def _check_inside(result: Assessment, base: Path) -> None:
    """Refuse evidence paths that leave the claim file's folder, unless the user said so."""
    named = [(f"invoices[{i}].file", inv.file) for i, inv in enumerate(result.claim.invoices)]
    named += [(f"evidence[{i}].file", ev.file) for i, ev in enumerate(result.claim.evidence)]
    problems = [
        (where, f"{path} est hors du dossier du fichier de créance : ajoutez --pieces-hors-dossier pour le lire")
        for where, path in named
        if path and not (base / path).resolve().is_relative_to(base)
    ]
    if problems:
        raise ClaimError(problems)


@cli.command("portfolio", help="état des créances, client par client (fichiers de créance, FEC, CSV)")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@ON
@click.option("--terms", type=TermDays(), default=None, help="délai de paiement (FEC, CSV ; défaut : délai légal)")
@click.option("--json", "as_json", is_flag=True, help="sortie JSON")
def portfolio_command(files: tuple[Path, ...], on: date | None, terms: int | None, as_json: bool) -> None:
    from .domain.portfolio import summarise, to_json, to_text
    from .domain.risk import Thresholds
    from .domain.sources import load_clients

    library = load_library(procedures_dir())
    as_of = on or date.today()
    days = terms if terms is not None else library.parameters.at("default_payment_term_days", as_of).value
    clients = load_clients(list(files), library, as_of, days)
    result = summarise(clients, as_of, Thresholds.on(library.parameters, as_of))
    _print(result, as_json, to_json, to_text)


@cli.command("import", help="créer un fichier de créance à partir de factures électroniques")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", type=OutPath(), default=None, help="fichier YAML à écrire")
def import_command(files: tuple[Path, ...], out: Path | None) -> None:
    from .einvoice_cli import run_import

    run_import(files, out, load_library(procedures_dir()).parameters)


def _usage_message(exc: click.ClickException) -> str:
    """Click's own usage errors, in French (its messages are English)."""
    if isinstance(exc, click.exceptions.NoSuchOption):
        return f"option inconnue : {exc.option_name}"
    if isinstance(exc, click.exceptions.MissingParameter):
        return f"{_parameter(exc)} : valeur obligatoire manquante"
    if isinstance(exc, click.exceptions.BadParameter):
        return f"{_parameter(exc)} : {exc.message}"
    if isinstance(exc, click.exceptions.UsageError):
        if "No such command" in exc.message:
            return f"commande inconnue ; commandes : {', '.join(sorted(cli.commands))}"
        if "requires an argument" in exc.message:
            option = re.search(r"'([^']+)'", exc.message)
            return f"{option.group(1) if option else 'option'} : valeur attendue après l'option"
        return f"utilisation incorrecte ({exc.message}) ; voir dument --help"
    return exc.format_message()


def _parameter(exc: click.exceptions.BadParameter) -> str:
    param = exc.param
    if param is None:
        return exc.param_hint or "paramètre"
    return max(param.opts, key=len) if param.param_type_name == "option" else param.human_readable_name


def main(argv: list[str] | None = None) -> int:
    """Run the command; every known failure becomes a French message and an exit status."""
    try:
        cli.main(args=argv, prog_name="dument", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Interrompu.", err=True)
        return 1
    except click.exceptions.UsageError as exc:
        click.echo(f"Erreur : {_usage_message(exc)}", err=True)
        return 2
    except click.ClickException as exc:  # a refusal a command words itself (dument import)
        exc.show()
        return 2
    except ClaimError as exc:
        click.echo("Fichier de créance invalide :", err=True)
        for path, message in exc.problems:
            click.echo(f"  {path} : {message}", err=True)
        return 2
    except LedgerFileError as exc:
        click.echo(f"Fichier comptable refusé, rien n'a été importé : {exc}", err=True)
        return 2
    except (DataFileError, ParameterError) as exc:
        click.echo(f"Erreur : {exc}", err=True)
        return 1
    except Exception as exc:  # document errors: imported lazily, reported the same way
        code = _document_error_code(exc)
        if code is None:
            raise
        click.echo(f"Erreur : {exc}", err=True)
        return code
    return 0


def _document_error_code(exc: Exception) -> int | None:
    """Exit status for errors of the documents layer, None for anything unexpected."""
    from .documents.exhibits import ExhibitError
    from .documents.pdf import DocumentRenderError
    from .documents.render import DocumentUnavailable

    if isinstance(exc, DocumentUnavailable | ExhibitError):
        return 2  # an evidence file the claim names that is missing or unusable: an invalid claim
    if isinstance(exc, DocumentRenderError | OSError):
        return 1
    return None


if __name__ == "__main__":
    sys.exit(main())
