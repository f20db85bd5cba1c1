"""French amounts in words and figures, dates and rates, as legal documents print them."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.french import amount_in_words, euros, long_date, percent, short_date

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
    assert amount_in_words(Decimal(montant)) == lettres


def test_montant_en_lettres_reads_an_int_as_euros_not_cents():
    assert amount_in_words(1) == "un euro"
    assert amount_in_words(1_000_000) == "un million d'euros"


@pytest.mark.parametrize("bad", [1.5, "12", True, None])
def test_montant_en_lettres_refuses_floats_and_other_types(bad):
    with pytest.raises(TypeError):
        amount_in_words(bad)


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity")])
def test_montant_en_lettres_refuses_non_finite_amounts(bad):
    with pytest.raises(ValueError):
        amount_in_words(bad)


@given(st.integers(min_value=0, max_value=10**11))
def test_amount_in_words_is_well_formed(cents):
    amount = Decimal(cents) / 100
    words = amount_in_words(amount)
    euros, centimes = divmod(cents, 100)
    if euros and centimes:
        parts = (amount_in_words(euros), amount_in_words(Decimal(centimes) / 100))
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
    assert euros(Decimal(montant)) == texte


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
    assert percent(Decimal(taux)) == texte


def test_format_percent_refuses_floats():
    with pytest.raises(TypeError):
        percent(12.15)


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
    assert long_date(jour) == longue
    assert short_date(jour) == courte


def test_one_amount_and_one_date_read_the_same_on_every_path(app):
    """Reasons, documents and web pages share one formatter: 0,125 € is 0,13 € everywhere
    (half-up, as French accounts round), and a date reads the same in each."""
    from webapp.config import templates_dir
    from webapp.documents.render import environment
    from webapp.domain import checks, routes

    amount, day = Decimal("0.125"), date(2026, 12, 1)
    document = environment(str(templates_dir())).filters
    web = app.jinja_env.filters
    assert {euros(amount), document["euros"](amount), web["euros"](amount)} == {"0,13\u00a0€"}
    assert routes._left_to_pay(amount) == "Il reste 0,13\u00a0€ à payer."
    assert checks.euros is euros
    assert {long_date(day), document["long_date"](day), web["long_date"](day)} == {"1er décembre 2026"}
    assert {short_date(day), document["short_date"](day), web["short_date"](day)} == {"01/12/2026"}
    assert {percent(Decimal("12.5")), document["percent"](Decimal("12.5")), web["percent"](Decimal("12.5"))} == {
        "12,5\u00a0%"
    }


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_euros_is_babels_french_currency_format_rounded_half_up(value):
    from decimal import ROUND_HALF_UP

    from babel.numbers import format_currency

    rounded = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    rounded = abs(rounded) if rounded == 0 else rounded  # Babel would write "-0,00 €"
    assert euros(value) == format_currency(rounded, "EUR", locale="fr_FR")
