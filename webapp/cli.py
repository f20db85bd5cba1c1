"""The ``dument`` command: assess a claim file, render its documents, build its dossier.

Exit status: 0 when done, 2 for an invalid claim file (an evidence file it names missing or
unusable included), a bad option or a document this claim cannot have, 1 for anything
else. Messages are French and never a traceback.
Built on click, like the ``flask`` commands of the web app.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from .config import procedures_dir
from .domain.assessment import Assessment, assess
from .domain.claim_file import load_claim
from .domain.errors import ClaimError, DataFileError, ParameterError
from .domain.procedures import Library, load_library
from .domain.receivables import LedgerFileError


class Day(click.ParamType):
    """An ISO date option (``--on 2026-11-23``), refused in French otherwise."""

    name = "AAAA-MM-JJ"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"date attendue au format AAAA-MM-JJ : {value}", param, ctx)


class Days(click.ParamType):
    """A number of days between 0 and 365 (``--terms 45``), refused in French otherwise."""

    name = "JOURS"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            return value
        if not str(value).isdigit() or int(value) > 365:
            self.fail(f"nombre de jours entre 0 et 365 attendu : {value}", param, ctx)
        return int(value)


CLAIM = click.argument("claim", type=click.Path(path_type=Path, dir_okay=False))
ON = click.option("--on", type=Day(), default=None, help="date d'évaluation ou du document (AAAA-MM-JJ)")
OUT = click.option("--out", type=click.Path(path_type=Path), required=True, help="fichier PDF à écrire")


@click.group(help="Recouvrement de factures impayées.", context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """The command group; each subcommand below is one verb of the contract."""


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
    if as_json:
        json.dump(to_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(to_text(result))


@cli.command("render", help="produire un document en PDF")
@CLAIM
@click.option("--document", required=True, help="identifiant du document (mise-en-demeure…)")
@OUT
@ON
@click.option("--delai", type=int, default=8, show_default=True, help="délai de paiement laissé, en jours")
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
def dossier_command(claim: Path, out: Path, on: date | None) -> None:
    from .config import static_dir, templates_dir
    from .documents.atomic import write_atomically
    from .documents.dossier import build_dossier

    result, library = _assessed(claim, on)
    pdf = build_dossier(
        result, library, base_dir=claim.resolve().parent, templates_dir=templates_dir(), static_dir=static_dir()
    )
    write_atomically(out, pdf)
    click.echo(f"{out} écrit ({len(pdf) // 1024} Ko).")


@cli.command("portfolio", help="état des créances, client par client (fichiers de créance, FEC, CSV)")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@ON
@click.option("--terms", type=Days(), default=None, help="délai de paiement (FEC, CSV ; défaut : délai légal)")
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
    if as_json:
        json.dump(to_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(to_text(result))


@cli.command("import", help="créer un fichier de créance à partir de factures électroniques")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None, help="fichier YAML à écrire")
def import_command(files: tuple[Path, ...], out: Path | None) -> None:
    from .einvoice_cli import run_import

    run_import(files, out, load_library(procedures_dir()).parameters)


def main(argv: list[str] | None = None) -> int:
    """Run the command; every known failure becomes a French message and an exit status."""
    try:
        cli.main(args=argv, prog_name="dument", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Interrompu.", err=True)
        return 1
    except click.ClickException as exc:
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
