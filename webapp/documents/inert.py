"""Making an uploaded PDF inert before it joins a court dossier: no script, no action, no attachment.

An exhibit is something to read. Whatever could run or reach out when the dossier is opened
(by the creditor, a court clerk, a judge) is removed: document-level JavaScript, the action
run on opening, additional actions (on the document, its pages, its annotations and form
fields), and annotation actions that launch a program, open a web address, submit a form or
run a script; embedded files and multimedia annotations go too. Links within the document stay.
"""

from __future__ import annotations

import pikepdf

_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/ResetForm",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/RichMediaExecute",
        "/Hide",
        "/SetOCGState",
        "/Trans",
        "/GoTo3DView",
    }
)
_ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"})
_ROOT_KEYS = ("/OpenAction", "/AA", "/AcroForm", "/Threads")
_NAME_TREES = ("/JavaScript", "/EmbeddedFiles", "/AlternatePresentations", "/Renditions")


def make_inert(pdf: pikepdf.Pdf) -> None:
    """Remove every script and active action of ``pdf``, in place, keeping its pages and text."""
    root = pdf.Root
    for key in _ROOT_KEYS:
        if key in root:
            del root[key]
    if "/Names" in root:
        for key in _NAME_TREES:
            if key in root.Names:
                del root.Names[key]
    for page in pdf.pages:
        _inert_page(page.obj)
    for obj in pdf.objects:  # anything left, wherever it hides (a /Next chain, an orphan widget)
        if isinstance(obj, pikepdf.Dictionary):
            _inert_dictionary(obj)


def _inert_page(page: pikepdf.Dictionary) -> None:
    if "/AA" in page:
        del page["/AA"]
    if "/Annots" not in page:
        return
    kept = pikepdf.Array()
    for annotation in page.Annots:
        if isinstance(annotation, pikepdf.Dictionary) and annotation.get("/Subtype") in _ACTIVE_ANNOTATIONS:
            continue
        if isinstance(annotation, pikepdf.Dictionary):
            _inert_dictionary(annotation)
        kept.append(annotation)
    page.Annots = kept


def _inert_dictionary(obj: pikepdf.Dictionary) -> None:
    """Drop additional actions, script keys and active actions from one dictionary."""
    for key in ("/AA", "/JS"):
        if key in obj:
            del obj[key]
    action = obj.get("/A")
    if isinstance(action, pikepdf.Dictionary) and _active(action):
        del obj["/A"]
    if obj.get("/S") in _ACTIVE_ACTIONS:  # an action reached by another path: emptied, so it does nothing
        for key in list(obj.keys()):
            del obj[key]


def _active(action: pikepdf.Dictionary, depth: int = 0) -> bool:
    """Whether an action, or one chained after it (/Next), does something active."""
    if action.get("/S") in _ACTIVE_ACTIONS or depth > 20:
        return True
    following = action.get("/Next")
    if isinstance(following, pikepdf.Dictionary):
        return _active(following, depth + 1)
    if isinstance(following, pikepdf.Array):
        return any(isinstance(a, pikepdf.Dictionary) and _active(a, depth + 1) for a in following)
    return False
