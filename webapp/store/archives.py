"""Reading a dossier's ZIP export back, without trusting it: limits first, then each member.

Everything a ZIP declares (member count, sizes, compression, encryption, names) is checked
before a byte is decompressed; a member is then read no further than its declared size,
so a lying header or a bad checksum is a French message naming the member, never a server
error. The content of each file is checked by the caller with the upload's own gate.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..domain.claim_file import claim_from_data, parse_document
from ..domain.errors import ClaimError

CLAIM_NAME = "creance.yaml"
FILE = "(fichier)"


@dataclass(frozen=True)
class Limits:
    """What one import may hold; the web app sets them from its configuration."""

    archive_bytes: int = 60 * 1024 * 1024  # the ZIP itself
    total_bytes: int = 100 * 1024 * 1024  # every member once decompressed (a dossier's maximum)
    member_bytes: int = 20 * 1024 * 1024  # one file (an upload's maximum)
    claim_bytes: int = 1024 * 1024  # creance.yaml
    members: int = 500
    ratio: int = 100  # decompressed / compressed, above which a member is a "ZIP bomb"


DEFAULT_LIMITS = Limits()
_SAFE_PART = re.compile(r"[A-Za-z0-9À-ÿ_. ()+,-]{1,120}")
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError)


def _refuse(where: str, message: str) -> ClaimError:
    return ClaimError([(where, message)])


def read_export(data: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The claim data and the files its claim names; ClaimError (in French, naming the member) otherwise."""
    if len(data) > limits.archive_bytes:
        raise _refuse(FILE, f"l'archive dépasse {limits.archive_bytes // (1024 * 1024)} Mo")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, *_READ_ERRORS):
        raise _refuse(FILE, "ce fichier n'est pas une archive ZIP exportée par Dûment") from None
    with archive:
        files = [m for m in members if not m.is_dir()]
        _check_members(files, limits)
        claim = _read_claim(archive, next((m for m in files if m.filename == CLAIM_NAME), None), limits)
        named = _named_files(claim)
        present = {m.filename: m for m in files}
        for path, where in named.items():
            if path not in present:
                raise _refuse(where, f"le fichier {path} est absent de l'archive")
        return claim, {path: _read(archive, present[path], limits.member_bytes) for path in named}


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Count, names, sizes, ratio, method and encryption, from the headers alone."""
    if len(members) > limits.members:
        raise _refuse(FILE, f"l'archive compte {len(members)} fichiers : {limits.members} au maximum")
    total, names = 0, set()
    for member in members:
        name = member.filename
        check_member_name(name)
        if name in names:
            raise _refuse(name, "ce nom figure deux fois dans l'archive")
        names.add(name)
        if member.flag_bits & 0x1:
            raise _refuse(name, "ce fichier est chiffré (protégé par un mot de passe) : exportez-le sans protection")
        if member.compress_type not in _METHODS:
            raise _refuse(name, "ce fichier est compressé par une méthode non prise en charge (seul Deflate l'est)")
        limit = limits.claim_bytes if name == CLAIM_NAME else limits.member_bytes
        if member.file_size > limit:
            raise _refuse(name, f"ce fichier dépasse {max(1, limit // (1024 * 1024))} Mo une fois décompressé")
        if member.file_size > 1024 * 1024 and member.file_size > limits.ratio * max(member.compress_size, 1):
            raise _refuse(name, "ce fichier est anormalement compressé (bombe de décompression ?)")
        total += member.file_size
    if total > limits.total_bytes:
        raise _refuse(FILE, "l'archive est trop volumineuse une fois décompressée")


def check_member_name(name: str) -> None:
    """Refuse a path that could leave its folder or mean something else on another system."""
    path = PurePosixPath(name)
    windows = "\\" in name or ":" in name  # ..\\evil.pdf, C:/Windows/evil.pdf
    odd = any(not _SAFE_PART.fullmatch(part) or part in (".", "..") for part in name.split("/"))
    if not name or path.is_absolute() or windows or odd or ".." in path.parts:
        raise _refuse(name[:120] or FILE, "chemin refusé dans l'archive (absolu, hors du dossier ou au format Windows)")


def _read(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, never more than ``limit`` + 1 of them; a damaged member is refused by name."""
    try:
        with archive.open(member) as stream:
            data = stream.read(limit + 1)
    except _READ_ERRORS:
        raise _refuse(
            member.filename, "ce fichier de l'archive est endommagé (somme de contrôle ou taille fausse)"
        ) from None
    if len(data) > limit:
        raise _refuse(member.filename, "ce fichier est plus grand que ce que l'archive annonce")
    return data


def _read_claim(archive: zipfile.ZipFile, member: zipfile.ZipInfo | None, limits: Limits) -> dict[str, Any]:
    """creance.yaml, in UTF-8 as the command line requires, validated strictly."""
    if member is None:
        raise _refuse(FILE, f"l'archive ne contient pas de fichier {CLAIM_NAME}")
    raw = _read(archive, member, limits.claim_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(CLAIM_NAME, "ce fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8") from None
    claim = parse_document(text)
    claim_from_data(claim)  # strict validation: unknown fields, dates, amounts…
    return claim


def _named_files(claim: dict[str, Any]) -> dict[str, str]:
    """Every file the claim names (path -> the field naming it), each path checked like a member's name."""
    named: dict[str, str] = {}
    for section in ("invoices", "credit_notes", "evidence"):
        for index, item in enumerate(claim.get(section) or []):
            path = item.get("file") if isinstance(item, dict) else None
            if path:
                where = f"{section}[{index}].file"
                check_member_name(str(path))
                if str(path) in named:
                    raise _refuse(where, f"le fichier {path} est déjà celui d'une autre pièce")
                named[str(path)] = where
    return named
