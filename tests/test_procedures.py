"""Procedure files: they load, they are complete, and a broken one says where it is broken."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import pytest
import yaml

from webapp.config import procedures_dir
from webapp.domain.errors import DataFileError, ParameterError
from webapp.domain.procedures import ROUTE_IDS, load_library
from webapp.web.richtext import render_markdown


def test_every_route_of_the_contract_has_a_complete_file(library):
    assert [r.id for r in library.routes] == list(ROUTE_IDS)
    for route in library.routes:
        assert route.steps and route.references, route.id
        assert all(ref.url.startswith("https://") for ref in route.references)
        assert set(route.documents) <= set(library.documents)


def test_every_explanation_renders_to_safe_html(library):
    for route in library.routes:
        for text in (route.explanation, route.when_it_fits, route.court, *route.notes):
            html = render_markdown(text)
            assert "<script" not in html and "<img" not in html


def test_glossary_explains_the_legal_words_users_meet(library):
    terms = {t.term.lower() for t in library.glossary}
    for word in (
        "mise en demeure",
        "injonction de payer",
        "prescription",
        "commissaire de justice",
        "signification",
        "déclaration de créance",
    ):
        assert any(word in term for term in terms), word


def test_markdown_raw_html_is_neutralised():
    html = render_markdown(
        'Texte <img src="file:///etc/passwd"> <script>alert(1)</script> '
        "[lien](javascript:alert(1)) [loi](https://www.legifrance.gouv.fr/)"
    )
    assert "<img" not in html and "<script" not in html and "javascript:" not in html
    assert 'href="https://www.legifrance.gouv.fr/"' in html


@pytest.mark.parametrize(
    ("on", "value"),
    [(date(2019, 12, 31), Decimal("4000")), (date(2020, 1, 1), Decimal("5000")), (date(2026, 11, 23), Decimal("5000"))],
)
def test_threshold_is_a_dated_value(library, on, value):
    assert library.parameters.at("procedure_simplifiee_threshold", on).value == value


@pytest.mark.parametrize(("on", "months"), [(date(2026, 8, 31), 6), (date(2026, 9, 1), 3)])
def test_signification_deadline_depends_on_the_date_of_the_ordonnance(library, on, months):
    assert library.parameters.at("ip_signification_deadline_months", on).value == months


def test_amicable_attempt_rule_was_suspended_while_annulled(library):
    at = lambda d: library.parameters.at("amicable_attempt_threshold", d).value  # noqa: E731
    values = (at(date(2022, 9, 21)), at(date(2023, 6, 1)), at(date(2023, 10, 1)))
    assert values == (Decimal("5000"), None, Decimal("5000"))


def test_lookup_before_a_table_starts_fails_in_french(library):
    with pytest.raises(ParameterError, match="aucune valeur connue"):
        library.parameters.at("legal_interest_rate", date(2010, 1, 1))


def test_lookup_past_known_until_is_provisional(library):
    assert library.parameters.at("legal_interest_rate", date(2026, 6, 30)).provisional is False
    assert library.parameters.at("legal_interest_rate", date(2026, 7, 1)).provisional is True


@pytest.fixture
def broken(tmp_path):
    """A copy of the procedures folder, and a function that edits one file of it."""
    folder = tmp_path / "procedures"
    shutil.copytree(procedures_dir(), folder)

    def _edit(name, change):
        path = folder / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return folder

    return _edit


@pytest.mark.parametrize(
    ("name", "change", "where"),
    [
        ("relance.yaml", lambda d: d.update(titel="x"), ("relance.yaml", "titel")),
        ("relance.yaml", lambda d: d.pop("steps"), ("relance.yaml", "steps")),
        ("relance.yaml", lambda d: d.update(id="autre"), ("relance.yaml", "id")),
        (
            "injonction-de-payer.yaml",
            lambda d: d["conditions"]["all"].append({"check": "solvable"}),
            ("injonction-de-payer.yaml", "conditions.all[7].check"),
        ),
        (
            "procedure-simplifiee.yaml",
            lambda d: d.update(
                conditions={"check": "amount_at_most", "parameter": "plafond", "basis": "principal_and_interest"}
            ),
            ("procedure-simplifiee.yaml", "conditions.parameter"),
        ),
        ("relance.yaml", lambda d: d.update(documents=["lettre"]), ("relance.yaml", "documents[0]")),
        (
            "relance.yaml",
            lambda d: d["references"].append({"label": "x", "url": "http://exemple.fr"}),
            ("relance.yaml", f"references[{99}].url"),
        ),
        (
            "parameters/legal.yaml",
            lambda d: d["recovery_indemnity"]["values"][0].update(value=40.5),
            ("legal.yaml", "recovery_indemnity.values[0].value"),
        ),
        (
            "parameters/rates.yaml",
            lambda d: d["legal_interest_rate"]["values"][0].pop("source"),
            ("rates.yaml", "legal_interest_rate.values[0].source"),
        ),
    ],
)
def test_broken_file_names_file_and_field(broken, name, change, where):
    folder = broken(name, change)
    with pytest.raises(DataFileError) as info:
        load_library(folder)
    file, field = where
    assert info.value.file == file
    if "99" in field:
        assert info.value.field.startswith("references[") and info.value.field.endswith("].url")
    else:
        assert info.value.field == field
    assert info.value.message


def test_every_document_is_declared_once_with_its_template(library):
    """procedures/documents.yaml is the one list of documents: each has a template, and a
    route offering an undeclared document is refused with the file and field named."""
    from webapp.config import templates_dir

    assert "mise-en-demeure" in library.documents
    for doc in library.documents.values():
        assert (templates_dir() / doc.template).is_file(), doc.id


def test_a_route_offering_an_undeclared_document_is_refused(tmp_path):
    shutil.copytree(procedures_dir(), tmp_path, dirs_exist_ok=True)
    path = tmp_path / "relance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("documents: [relance]", "documents: [lettre-magique]"))
    with pytest.raises(DataFileError, match=r"relance\.yaml.*lettre-magique"):
        load_library(tmp_path)
