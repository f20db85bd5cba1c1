"""French amounts in words and figures, dates and rates, as legal documents print them."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.documents.french import (
    date_courte,
    date_longue,
    format_euros,
    format_percent,
    montant_en_lettres,
)

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    ("montant", "lettres"),
    [
        ("0", "zéro euro"),
        ("0.01", "un centime"),
        ("0.50", "cinquante centimes"),
        ("1", "un euro"),
        ("1.01", "un euro et un centime"),
        ("21", "vingt et un euros"),
        ("71", "soixante et onze euros"),
        ("80", "quatre-vingts euros"),
        ("81", "quatre-vingt-un euros"),
        ("200", "deux cents euros"),
        ("280", "deux cent quatre-vingts euros"),
        ("3500", "trois mille cinq cents euros"),
        ("1234.56", "mille deux cent trente-quatre euros et cinquante-six centimes"),
        ("1000000", "un million d'euros"),
        ("2000000", "deux millions d'euros"),
        ("1000000.99", "un million d'euros et quatre-vingt-dix-neuf centimes"),
        ("1200000", "un million deux cent mille euros"),
        ("1500000000", "un milliard cinq cents millions d'euros"),
        ("2.675", "deux euros et soixante-huit centimes"),
        ("-12.50", "moins douze euros et cinquante centimes"),
    ],
)
def test_montant_en_lettres(montant, lettres):
    assert montant_en_lettres(Decimal(montant)) == lettres


def test_montant_en_lettres_reads_an_int_as_euros_not_cents():
    assert montant_en_lettres(1) == "un euro"
    assert montant_en_lettres(1_000_000) == "un million d'euros"


@pytest.mark.parametrize("bad", [1.5, "12", True, None])
def test_montant_en_lettres_refuses_floats_and_other_types(bad):
    with pytest.raises(TypeError):
        montant_en_lettres(bad)


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity")])
def test_montant_en_lettres_refuses_non_finite_amounts(bad):
    with pytest.raises(ValueError):
        montant_en_lettres(bad)


@given(st.integers(min_value=0, max_value=10**11))
def test_amount_in_words_is_well_formed(cents):
    amount = Decimal(cents) / 100
    words = montant_en_lettres(amount)
    euros, centimes = divmod(cents, 100)
    if euros and centimes:
        parts = (montant_en_lettres(euros), montant_en_lettres(Decimal(centimes) / 100))
        assert words == " et ".join(parts)
    assert ("centime" in words) == (centimes > 0)
    assert ("euro" in words) == (euros > 0 or centimes == 0)
    assert "zéro centime" not in words
    assert words.endswith(("euro", "euros", "centime", "centimes"))
    assert ("d'euros" in words) == (euros > 0 and euros % 1_000_000 == 0)


@pytest.mark.parametrize(
    ("montant", "texte"),
    [
        ("1234.56", f"1{NNBSP}234,56{NBSP}€"),
        ("0", f"0,00{NBSP}€"),
        ("0.125", f"0,13{NBSP}€"),
        ("1000000", f"1{NNBSP}000{NNBSP}000,00{NBSP}€"),
    ],
)
def test_format_euros_as_babel_writes_them(montant, texte):
    assert format_euros(Decimal(montant)) == texte


@pytest.mark.parametrize(
    ("taux", "texte"),
    [
        ("12.15", f"12,15{NBSP}%"),
        ("10", f"10{NBSP}%"),
        ("3.5", f"3,5{NBSP}%"),
        ("0.125", f"0,13{NBSP}%"),
    ],
)
def test_format_percent(taux, texte):
    assert format_percent(Decimal(taux)) == texte


def test_format_percent_refuses_floats():
    with pytest.raises(TypeError):
        format_percent(12.15)


@pytest.mark.parametrize(
    ("jour", "longue", "courte"),
    [
        (date(2026, 12, 1), "1er décembre 2026", "01/12/2026"),
        (date(2026, 11, 23), "23 novembre 2026", "23/11/2026"),
        (date(2027, 2, 11), "11 février 2027", "11/02/2027"),
        (date(2026, 8, 31), "31 août 2026", "31/08/2026"),
    ],
)
def test_dates(jour, longue, courte):
    assert date_longue(jour) == longue
    assert date_courte(jour) == courte
