"""The ``dument`` command: assess a claim file, render its documents, build its dossier.

Exit status: 0 when done, 2 for an invalid claim file (or a document this claim cannot
have), 1 for anything else. Messages are French and never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from .config import procedures_dir, static_dir, templates_dir
from .domain.assessment import assess
from .domain.claim_file import load_claim
from .domain.errors import ClaimError, DataFileError, ParameterError
from .domain.procedures import load_library
from .domain.report import to_json, to_text


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ : {text}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dument", description="Recouvrement de factures impayées.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("assess", help="évaluer une créance")
    p.add_argument("claim", type=Path)
    p.add_argument("--on", type=_day, default=None, help="date d'évaluation (AAAA-MM-JJ)")
    p.add_argument("--json", action="store_true", help="sortie JSON")
    p = sub.add_parser("render", help="produire un document en PDF")
    p.add_argument("claim", type=Path)
    p.add_argument("--document", required=True, help="identifiant du document (mise-en-demeure…)")
    p.add_argument("--out", type=Path, required=True, help="fichier PDF à écrire")
    p.add_argument("--on", type=_day, default=None, help="date du document (AAAA-MM-JJ)")
    p.add_argument("--delai", type=int, default=8, help="délai de paiement laissé, en jours")
    p = sub.add_parser("dossier", help="produire le dossier complet d'injonction de payer")
    p.add_argument("claim", type=Path)
    p.add_argument("--out", type=Path, required=True, help="fichier PDF à écrire")
    p.add_argument("--on", type=_day, default=None, help="date du dossier (AAAA-MM-JJ)")
    return parser


def cmd_assess(args: argparse.Namespace) -> int:
    library = load_library(procedures_dir())
    claim = load_claim(args.claim)
    result = assess(claim, library, args.on or date.today())
    if args.json:
        json.dump(to_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(to_text(result))
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from .documents.atomic import write_atomically
    from .documents.context import Options
    from .documents.render import render_pdf

    library = load_library(procedures_dir())
    result = assess(load_claim(args.claim), library, args.on or date.today())
    pdf = render_pdf(
        args.document,
        result,
        library,
        templates_dir=templates_dir(),
        static_dir=static_dir(),
        options=Options(payment_deadline_days=args.delai),
    )
    write_atomically(args.out, pdf)
    print(f"{args.out} écrit ({len(pdf) // 1024} Ko).")
    return 0


def cmd_dossier(args: argparse.Namespace) -> int:
    from .documents.atomic import write_atomically
    from .documents.dossier import build_dossier

    library = load_library(procedures_dir())
    result = assess(load_claim(args.claim), library, args.on or date.today())
    pdf = build_dossier(
        result, library, base_dir=args.claim.resolve().parent, templates_dir=templates_dir(), static_dir=static_dir()
    )
    write_atomically(args.out, pdf)
    print(f"{args.out} écrit ({len(pdf) // 1024} Ko).")
    return 0


COMMANDS = {"assess": cmd_assess, "render": cmd_render, "dossier": cmd_dossier}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ClaimError as exc:
        print("Fichier de créance invalide :", file=sys.stderr)
        for path, message in exc.problems:
            print(f"  {path} : {message}", file=sys.stderr)
        return 2
    except (DataFileError, ParameterError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # document errors: imported lazily, reported the same way
        code = _document_error_code(exc)
        if code is None:
            raise
        print(f"Erreur : {exc}", file=sys.stderr)
        return code


def _document_error_code(exc: Exception) -> int | None:
    """Exit status for errors of the documents layer, None for anything unexpected."""
    from .documents.exhibits import ExhibitError
    from .documents.pdf import DocumentRenderError
    from .documents.render import DocumentUnavailable

    if isinstance(exc, DocumentUnavailable):
        return 2
    if isinstance(exc, ExhibitError | DocumentRenderError | OSError):
        return 1
    return None


if __name__ == "__main__":
    sys.exit(main())
