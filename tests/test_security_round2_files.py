"""Trust, round 2: the awkward corpus (PDFs, images, ZIP exports) through the gates, and inert exhibits.

Every file of tests/awkward_corpus.py goes through the upload's gate; every ZIP through the
web import, which must refuse it in French naming the member, store nothing, and never
answer a server error. The committed copies in tests/data/awkward/ are checked the same way.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests import awkward_corpus as corpus
from tests.test_web import csrf
from webapp.documents.exhibits import Exhibit, stamp_and_merge
from webapp.documents.inert import make_inert
from webapp.documents.uploads import UnusableFile, check_upload
from webapp.domain.errors import ClaimError
from webapp.store import archives
from webapp.store.models import Dossier, EvidenceFile
from webapp.web import db

STATIC = Path(__file__).resolve().parent.parent / "static"
LIMITS = {"max_bytes": 20 * 1024 * 1024, "max_pages": 100}
CASES = {name: (make, words) for name, make, words in corpus.FILES + corpus.ZIPS}


def judge(name: str, data: bytes) -> str | None:
    """The refusal of a corpus file by the gate it would meet (None: accepted)."""
    if name.endswith(".zip"):
        try:
            archives.read_export(data)
        except ClaimError as error:
            return str(error)
        return None
    try:
        check_upload(data, **LIMITS)
    except UnusableFile as problem:
        return str(problem)
    return None


@pytest.mark.parametrize(("name", "make", "words"), corpus.FILES, ids=[case[0] for case in corpus.FILES])
def test_every_awkward_file_meets_the_upload_gate(name, make, words):
    refusal = judge(name, make())
    if words is None:
        assert refusal is None
    else:
        assert refusal is not None and words in refusal, refusal


def import_zip(client, data: bytes, name: str):
    """POST a ZIP to the import, the body encoded in memory (the test client spools a large one to a
    temporary file it never closes)."""
    boundary, body = encode_multipart(
        {"csrf_token": csrf(client, "/"), "archive": FileStorage(io.BytesIO(data), filename=name)}
    )
    return client.post("/importer", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("name", "make", "words"), corpus.ZIPS, ids=[case[0] for case in corpus.ZIPS])
def test_every_awkward_zip_is_refused_by_the_import_naming_what_is_wrong(app, client, name, make, words):
    response = import_zip(client, make(), name)
    if words is None:
        assert response.status_code == 302
        assert count(app, Dossier) == 1 and count(app, EvidenceFile) == 1
        return
    assert response.status_code == 400, response.status_code  # never a 500
    page = response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
    assert "Import impossible" in page and words in page
    assert count(app, Dossier) == 0 and count(app, EvidenceFile) == 0  # nothing stored


def test_the_committed_corpus_is_judged_as_its_cases_say():
    folder = corpus.OUT
    files = sorted(folder.iterdir())
    assert len(files) >= 20, "run python -m tests.awkward_corpus to write the corpus"
    for path in files:
        _, words = CASES[path.name]
        refusal = judge(path.name, path.read_bytes())
        if words is None or path.name.endswith("-inside.zip"):
            assert refusal is None, (path.name, refusal)
        else:
            assert refusal is not None and words in refusal, (path.name, refusal)


def test_zip_limits_are_checked_before_any_member_is_read(monkeypatch):
    def no_reading(*_args, **_kwargs):
        raise AssertionError("a member was read")

    cases = ["refuse-12000-members.zip", "refuse-bomb.zip", "refuse-windows-dotdot.zip", "refuse-encrypted-member.zip"]
    made = [(CASES[case][0](), CASES[case][1]) for case in cases]  # writing a ZIP opens its members
    monkeypatch.setattr(zipfile.ZipFile, "open", no_reading)
    for data, words in made:
        with pytest.raises(ClaimError) as error:
            archives.read_export(data)
        assert words in str(error.value)


def test_a_member_is_never_read_beyond_its_limit():
    data = corpus.valid_export(corpus.pdf(3))
    with pytest.raises(ClaimError, match="dépasse"):
        archives.read_export(data, archives.Limits(member_bytes=100))


def test_members_the_claim_does_not_name_are_not_stored(app, client):
    data = corpus.export(
        [("creance.yaml", corpus.claim_yaml()), ("factures/F-1.pdf", corpus.pdf()), ("pieces/orphan.pdf", b"junk")]
    )
    response = import_zip(client, data, "d.zip")
    assert response.status_code == 302 and count(app, EvidenceFile) == 1


# --- 6. Exhibits lose their scripts and actions ---------------------------------------------------
ACTIVE = ("/JavaScript", "/JS", "/Launch", "/URI", "/OpenAction", "/AA", "/EmbeddedFile")


def active_keys(document: pikepdf.Pdf) -> set[str]:
    """Every key or name, anywhere in the document (direct objects included), that could run something."""
    found, seen = set(), set()
    stack = [document.trailer, *document.objects]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            for key, value in obj.items():
                found.update(
                    word for word in ACTIVE if word in (key, str(value) if isinstance(value, pikepdf.Name) else "")
                )
                stack.append(value)
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)
    return found


def test_an_uploaded_pdf_reaches_the_court_dossier_without_script_or_action():
    source = corpus.active_pdf()
    with pikepdf.open(io.BytesIO(source)) as document:
        assert {"/JavaScript", "/Launch", "/URI", "/OpenAction", "/AA"} <= active_keys(document)
    merged, _ = stamp_and_merge([Exhibit(1, "Facture", data=source, filename="f.pdf")], static_dir=STATIC)
    with pikepdf.open(io.BytesIO(merged)) as document:
        assert active_keys(document) == set()
        assert len(document.pages) == 1


def test_making_a_pdf_inert_keeps_internal_links():
    document = pikepdf.open(io.BytesIO(corpus.pdf(2)))
    goto = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([document.pages[1].obj, pikepdf.Name.Fit]))
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 9, 9], A=goto)
    document.pages[0].obj.Annots = pikepdf.Array([document.make_indirect(link)])
    make_inert(document)
    assert pikepdf.Name.GoTo == document.pages[0].obj.Annots[0].A.S
