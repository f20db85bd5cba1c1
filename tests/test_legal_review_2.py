"""Legal review, round 2 (issue 13): each test is written from the article it cites.

Engine, command line and documents; the web side is in ``test_legal_review_2_web.py``.
"""

from __future__ import annotations

import copy
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, LYON, dument
from webapp.config import templates_dir
from webapp.documents.context import build_context, piece_list
from webapp.documents.render import DocumentUnavailable, check_available, render_html
from webapp.domain.assessment import assess
from webapp.domain.claim_file import claim_from_data, load_claim
from webapp.domain.court import TAE, TC, TJ
from webapp.domain.errors import ClaimError, DataFileError
from webapp.domain.report import to_json

TOURS = {"line1": "5 rue Nationale", "postcode": "37000", "city": "Tours"}
GENERAL_TERMS = {"kind": "general_terms", "title": "Conditions générales acceptées par le client"}


def artisan_debtor(claim_data, creditor: dict) -> dict:
    claim_data["creditor"] = {**creditor, "address": {"line1": "1 rue", "postcode": "37100", "city": "Tours"}}
    claim_data["debtor"] = {"name": "Garage Martin", "kind": "sole_trader", "activity": "artisanal", "address": TOURS}
    return claim_data


def html(run_result, library, document: str) -> str:
    return render_html(library.documents[document], build_context(run_result, library), templates_dir())


def petitum(page: str) -> str:
    """The "Par ces motifs" of a requête, up to the list of pieces."""
    return page.split("Par ces motifs", 1)[1].split("<h2>Pièces</h2>", 1)[0]


# --- 1. Art. L721-3 C. com.: the commercial court hears artisans only among themselves
#        or with merchants ------------------------------------------------------------


@pytest.mark.parametrize(
    ("creditor", "kind"),
    [
        ({"name": "Paul Roux", "kind": "individual"}, TJ),  # a private person sells a van to a garage
        ({"name": "Comité des fêtes", "kind": "association"}, TJ),  # an association rents its hall
        ({"name": "Cabinet Roy", "kind": "sole_trader", "siren": "732829320", "activity": "liberal"}, TJ),
        ({"name": "Pièces Auto SAS", "kind": "company", "legal_form": "SAS", "siren": "732829320"}, TC),
        ({"name": "Forge Petit", "kind": "sole_trader", "siren": "732829320", "activity": "artisanal"}, TC),
    ],
)
def test_l721_3_artisan_debtor_goes_to_commercial_court_only_against_merchant_or_artisan(
    claim_data, run, creditor, kind
):
    """Art. L721-3 C. com.: disputes between artisans, or artisans and merchants; otherwise TJ."""
    court = run(artisan_debtor(claim_data, creditor), "2026-01-01").court
    assert court.kind == kind
    text = " ".join(court.reasons)
    assert "L721-3" in text and "1406" in text
    if kind == TJ:
        assert "ni commerçant ni artisan" in text and "relève de la juridiction commerciale" not in text


def test_l721_3_sole_trader_creditor_of_unknown_activity_is_asked_to_say(claim_data, run):
    """Art. L721-3 C. com.: the creditor's activity decides; unknown, it is asked for."""
    creditor = {"name": "Studio Lune", "kind": "sole_trader", "siren": "732829320"}
    court = run(artisan_debtor(claim_data, creditor), "2026-01-01").court
    assert court.kind == TC and "creditor.activity" in " ".join(court.reasons)


def test_l721_3_creditor_activity_is_an_optional_field_checked_like_the_debtors(claim_data):
    """The optional ``creditor.activity`` takes the debtor's values (L721-3 C. com.)."""
    claim_data["creditor"]["activity"] = "marchand"
    with pytest.raises(ClaimError) as err:
        claim_from_data(claim_data)
    assert any(path == "creditor.activity" for path, _ in err.value.problems)


# --- 3. Art. 1353 C. civ. and 1407 CPC: a contractual rate is proven by a piece, or not
#        claimed -----------------------------------------------------------------------


def test_art_1353_unproven_rate_is_not_claimed_and_no_piece_is_announced(claim_data, run, library):
    """Art. 1353 C. civ. (who claims proves) and 1407 CPC (the bordereau lists the pieces
    joined): without terms the debtor accepted, the legal default rate, and no phantom piece."""
    claim_data["terms"] = {"late_penalty_rate": "12"}
    claim_data["evidence"] = [{"kind": "purchase_order", "title": "Bon de commande du 2 janvier 2025"}]
    a = run(claim_data, "2025-03-01")
    assert [p.rate for p in a.accounts[0].periods] == [Decimal("13.15")]  # ECB 3,15 % + 10 (L441-10 II)
    assert not [p for p in piece_list(a.claim) if "onditions générales" in p["title"]]
    page = html(a, library, "bordereau-pieces") + html(a, library, "requete-injonction-de-payer")
    assert "fixant le taux des pénalités" not in page
    assert any("n'est prouvé par aucune pièce" in n and "conditions générales" in n for n in a.notes)


@pytest.mark.parametrize("kind", ["general_terms", "contract", "signed_quote"])
def test_art_1353_rate_proven_by_terms_contract_or_signed_quote_is_claimed(claim_data, run, kind):
    """Art. 1353 C. civ.: a piece the debtor accepted proves the agreed rate (L441-10 II)."""
    claim_data["terms"] = {"late_penalty_rate": "12"}
    claim_data["evidence"] = [{"kind": kind, "title": "Pièce qui fixe le taux"}]
    a = run(claim_data, "2025-03-01")
    assert [p.rate for p in a.accounts[0].periods] == [Decimal("12")]
    assert not any("n'est prouvé par aucune pièce" in n for n in a.notes)


# --- 4 and 5. Art. L441-10 II C. com.: a clause below 3 × the legal rate ----------------


def below_floor(claim_data, reading=None, due="2024-01-31"):
    claim_data["terms"] = {"late_penalty_rate": "5", **({"below_floor": reading} if reading else {})}
    claim_data["evidence"] = [GENERAL_TERMS]
    claim_data["invoices"] = [{"number": "F-1", "issued": "2024-01-01", "due": due, "amount": "1000.00"}]
    return claim_data


def test_l441_10_clause_below_floor_claims_the_lower_reading_each_half_year(claim_data, run):
    """Art. L441-10 II C. com.: 2024 S1 floor 15,21 % > default 14,50 %; 2025 S1 floor 11,13 % <
    default 13,15 %. The reading the debtor can least contest is claimed: the lower each time."""
    a = run(below_floor(claim_data), "2025-03-31")
    rates = {p.start.isoformat()[:7]: p.rate for p in a.accounts[0].periods}
    assert rates["2024-02"] == Decimal("14.50") and rates["2024-07"] == Decimal("14.25")
    assert rates["2025-01"] == Decimal("11.13")
    note = next(n for n in a.notes if "Deux lectures" in n)
    assert "relevé à ce minimum" in note and "BCE + 10 points" in note and "terms.below_floor" in note


@pytest.mark.parametrize(
    ("reading", "s1_2024", "s1_2025"),
    [("raise_to_floor", "15.21", "11.13"), ("default_rate", "14.50", "13.15")],
)
def test_l441_10_user_may_choose_a_reading_knowingly(claim_data, run, reading, s1_2024, s1_2025):
    """Art. L441-10 II C. com.: either reading, when the user chooses it (terms.below_floor)."""
    a = run(below_floor(claim_data, reading), "2025-03-31")
    rates = {p.start.isoformat()[:7]: p.rate for p in a.accounts[0].periods}
    assert (rates["2024-02"], rates["2025-01"]) == (Decimal(s1_2024), Decimal(s1_2025))
    assert any("Vous avez choisi la lecture" in n for n in a.notes)


def test_l441_10_reading_field_refuses_unknown_values(claim_data):
    claim_data["terms"] = {"late_penalty_rate": "5", "below_floor": "higher"}
    with pytest.raises(ClaimError) as err:
        claim_from_data(claim_data)
    assert any(path == "terms.below_floor" for path, _ in err.value.problems)


def test_art_1407_petitum_and_statement_carry_no_doubt(claim_data, run, library):
    """Art. 1407 CPC: the requête states the amount and its basis; a doubt about the reading of
    L441-10 II belongs to the analysis, never to what is asked of the judge."""
    a = run(below_floor(claim_data), "2024-03-01")
    doubt = re.compile(r"point discuté|autre lecture|serait écartée|selon une", re.IGNORECASE)
    requete = html(a, library, "requete-injonction-de-payer")
    assert "jusqu'à parfait paiement" in petitum(requete)  # the running rate is in the petitum
    assert not doubt.search(petitum(requete))
    assert not doubt.search(html(a, library, "decompte"))
    assert any("Deux lectures" in n for n in a.notes)


# --- 6. Art. L441-10 II C. com. and D313-1-A CMF: a floor not yet published -----------


def test_l441_10_clause_valid_only_above_an_unpublished_floor_is_provisional(claim_data, run):
    """Art. L441-10 II C. com.: an 8 % clause holds only above 3 × the legal rate of the
    half-year (art. D313-1-A CMF), unpublished for 2026 S2: every amount after 30 June 2026
    is provisional."""
    claim_data["terms"] = {"late_penalty_rate": "8"}
    claim_data["evidence"] = [GENERAL_TERMS]
    claim_data["invoices"] = [{"number": "F-1", "issued": "2025-11-01", "due": "2025-12-01", "amount": "1000.00"}]
    a = run(claim_data, "2026-11-23")
    assert all(p.provisional for p in a.accounts[0].periods if p.end > date(2026, 6, 30))
    assert to_json(a)["amounts"]["provisional"] is True
    assert any(n.startswith("Montant provisoire") for n in a.notes)


@pytest.mark.parametrize(("rate", "provisional"), [("8.28", False), ("8.27", True), ("12", False)])
def test_l441_10_clause_above_every_recent_floor_stays_final(claim_data, run, rate, provisional):
    """Art. L441-10 II C. com.: past the last published legal rate, a clause at or above
    3 × the highest legal rate of the last published year (2,76 % → 8,28 %) is taken as
    valid; just below it, the unpublished floor may still raise it: provisional."""
    claim_data["terms"] = {"late_penalty_rate": rate}
    claim_data["evidence"] = [GENERAL_TERMS]
    claim_data["invoices"] = [{"number": "F-1", "issued": "2025-11-01", "due": "2025-12-01", "amount": "1000.00"}]
    assert run(claim_data, "2026-11-23").amounts.provisional is provisional


def test_l441_10_amount_on_published_rates_only_is_final(claim_data, run):
    """The same clause assessed on 30 June 2026 rests only on published rates: final."""
    claim_data["terms"] = {"late_penalty_rate": "8"}
    claim_data["evidence"] = [GENERAL_TERMS]
    claim_data["invoices"] = [{"number": "F-1", "issued": "2025-11-01", "due": "2025-12-01", "amount": "1000.00"}]
    assert run(claim_data, "2026-06-30").amounts.provisional is False


# --- 7. Art. L218-2 C. conso. and 2249 C. civ.: no reminder of a time-barred claim ------


def test_l218_2_relance_of_a_time_barred_claim_is_refused_with_the_reason(tmp_path, library):
    """Art. L218-2 C. conso. (2 years) and 2249 C. civ. (only a voluntary payment stays
    acquired): the relance is refused (exit 2, the reason), as the analysis says."""
    out = dument("render", EXAMPLES / "consumer-prescribed.yaml", "--document", "relance", "--out", tmp_path / "r.pdf")
    assert out.returncode == 2, out.stderr
    assert "prescrites" in out.stderr and "Traceback" not in out.stderr and not (tmp_path / "r.pdf").exists()
    a = assess(load_claim(EXAMPLES / "consumer-prescribed.yaml"), library, date(2026, 11, 23))
    assert a.route("relance").eligible is False
    with pytest.raises(DocumentUnavailable):
        check_available(a, library, "relance")


# --- 8. The claim-file contract: an exhibit that is not there is an invalid claim --------


def test_contract_missing_exhibit_exits_2_naming_the_file(tmp_path):
    """claim-format.md: exit 2 for an invalid claim, the message naming what is wrong."""
    shutil.copy(EXAMPLES / "b2b-acknowledged.yaml", tmp_path / "claim.yaml")
    out = dument("dossier", tmp_path / "claim.yaml", "--out", tmp_path / "d.pdf", "--on", "2026-11-23")
    assert out.returncode == 2, out.stderr
    assert "F-2025-031.pdf" in out.stderr and "introuvable" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "d.pdf").exists()


# --- Art. L313-2 and D313-1-A CMF: the legal rate since 2015; the ECB rate before 2016 ---


def test_l313_2_legal_rates_from_2015_carry_their_source_and_confidence(library):
    """Art. L313-2 CMF: two legal rates since 1 January 2015 (ordonnance 2014-947)."""
    legal = library.parameters["legal_interest_rate"]
    assert legal.at(date(2015, 3, 1)).value == {"particuliers": Decimal("4.06"), "autres_cas": Decimal("0.93")}
    assert legal.at(date(2015, 3, 1)).confidence == "single_source"
    assert legal.at(date(2017, 9, 1)).value["autres_cas"] == Decimal("0.90")
    assert legal.at(date(2019, 1, 1)).value == {"particuliers": Decimal("3.40"), "autres_cas": Decimal("0.86")}
    assert all(e.source for e in legal.entries)
    ecb = library.parameters["ecb_main_refinancing_rate"].at(date(2015, 6, 1))
    assert (ecb.value, ecb.confidence) == (Decimal("0.05"), "unverified")


def test_l441_10_claim_from_2016_acknowledged_later_is_assessed(claim_data, run):
    """Art. L441-10 II C. com.: ECB of 1 January 2016 (0,05 %) + 10, then 0,00 % + 10 from 2016 S2;
    an acknowledgment (art. 2240 C. civ.) keeps the claim alive. The unverified 0,05 % is said."""
    claim_data["invoices"] = [{"number": "F-1", "issued": "2016-01-15", "due": "2016-02-15", "amount": "1000.00"}]
    claim_data["history"] = {"acknowledgments": [{"date": "2019-06-01"}]}
    a = run(claim_data, "2020-06-30")
    rates = [p.rate for p in a.accounts[0].periods]
    assert rates[0] == Decimal("10.05") and Decimal("10.00") in rates
    assert any("non vérifiée" in n and "0.05" not in n for n in a.notes)


def test_l313_2_consumer_interest_in_2017_uses_that_year_s_legal_rate(claim_data, run):
    """Art. 1231-6 C. civ. and L313-2 CMF: 0,90 % (autres cas) in 2017."""
    claim_data["debtor"] = {"name": "Paul", "kind": "consumer", "address": LYON}
    claim_data["invoices"] = [{"number": "F-1", "issued": "2017-02-01", "due": "2017-03-01", "amount": "1000.00"}]
    claim_data["history"] = {"formal_notice": {"sent": "2017-03-10", "received": "2017-03-12"}}
    a = run(claim_data, "2017-12-31")
    assert {p.rate for p in a.accounts[0].periods} == {Decimal("0.90")}


# --- Art. 1406 CPC: the court when the commune is not a seat --------------------------


def test_art_1406_commune_not_a_seat_leaves_the_court_a_flagged_blank(claim_data, run, library):
    """Art. 1406 CPC: the court of the debtor's place; Villeurbanne is in the ressort of the
    Lyon TAE, not its seat: never a heading for the wrong court, a flagged blank instead."""
    claim_data["debtor"]["address"] = {"line1": "1 cours Émile-Zola", "postcode": "69100", "city": "Villeurbanne"}
    claim_data["evidence"] = [{"kind": "purchase_order", "title": "Bon de commande"}]
    a = run(claim_data, "2026-01-01")
    assert a.court.ressort_unknown == "Lyon" and "Lyon" in a.court.label and TAE in a.court.label
    reasons = " ".join(a.court.reasons)
    assert "n'est pas le siège" in reasons and "annuaires.justice.gouv.fr" in reasons
    head = html(a, library, "requete-injonction-de-payer").split("court-head", 1)[1].split("</div>", 1)[0]
    assert "Président du tribunal de commerce" not in head and "Président du tribunal des" not in head
    assert 'class="blank"' in head and "69100 Villeurbanne" in head


def test_art_1406_seat_city_still_names_its_court(claim_data, run, library):
    claim_data["debtor"]["address"] = LYON
    a = run(claim_data, "2026-01-01")
    assert a.court.kind == TAE and a.court.ressort_unknown is None


# --- Art. 1408 CPC: the optional request to send the case to the trial court -----------


@pytest.mark.parametrize("asked", [True, False])
def test_art_1408_request_only_when_asked(claim_data, run, library, asked):
    """Art. 1408 CPC: the creditor *may* ask, in the requête, that on opposition the case go
    at once to the court he thinks competent; off by default."""
    if asked:
        claim_data["filing"] = {"refer_on_opposition": True}
    page = html(run(claim_data, "2025-06-01"), library, "requete-injonction-de-payer")
    assert ("article 1408" in page) is asked
    if asked:
        assert "immédiatement renvoyée devant la" in petitum(page)


def test_art_1408_field_is_checked(claim_data):
    claim_data["filing"] = {"refer_on_opposition": "oui"}
    with pytest.raises(ClaimError) as err:
        claim_from_data(claim_data)
    assert any(path == "filing.refer_on_opposition" for path, _ in err.value.problems)


# --- Art. 1407 CPC: every example ships its pieces and builds its dossier ---------------


def example_names() -> list[str]:
    return sorted(p.name for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("name", example_names())
def test_art_1407_every_example_ships_its_pieces_and_builds_its_dossier(name, library, tmp_path):
    """Art. 1407 CPC (the requête with its bordereau and the documents joined): each example's
    named files exist, and its dossier builds — or is refused with the reason when the
    injonction de payer is closed to it."""
    from webapp.config import static_dir
    from webapp.documents.dossier import build_dossier

    path = EXAMPLES / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    named = [i["file"] for i in data["invoices"] if i.get("file")] + [
        e["file"] for e in data.get("evidence", []) if e.get("file")
    ]
    assert all((EXAMPLES / f).is_file() for f in named), named
    a = assess(load_claim(path), library, date(2026, 11, 23))
    if not a.route("injonction-de-payer").eligible:
        with pytest.raises(DocumentUnavailable):
            check_available(a, library, "requete-injonction-de-payer")
        return
    pdf = build_dossier(a, library, base_dir=EXAMPLES, templates_dir=templates_dir(), static_dir=static_dir())
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


# --- The other ways out -----------------------------------------------------------------


def test_other_ways_out_are_dated_sourced_and_fit_the_claim(library, claim_data, run):
    """Art. L124-1 and L111-8 CPCE, 2286 C. civ., 750-1 CPC…: guidance with its date, its
    official references and its confidence, shown only where it fits."""
    ids = {alt.id for alt in library.alternatives}
    assert ids == {"societe-de-recouvrement", "mediation", "droit-de-retention", "affacturage", "assurance-credit"}
    assert all(alt.checked and alt.references and alt.confidence for alt in library.alternatives)
    assert all(ref.url.startswith("https://") for alt in library.alternatives for ref in alt.references)
    recovery = next(alt for alt in library.alternatives if alt.id == "societe-de-recouvrement")
    assert "L111-8" in recovery.explanation and "R124-4" in recovery.explanation

    b2b = run(claim_data, "2025-06-01")
    assert {"societe-de-recouvrement", "mediation", "affacturage"} <= {alt.id for alt in b2b.alternatives}
    assert to_json(b2b)["alternatives"] == [alt.id for alt in b2b.alternatives]

    barred = assess(load_claim(EXAMPLES / "consumer-prescribed.yaml"), library, date(2026, 11, 23))
    assert barred.alternatives == ()
    public = assess(load_claim(EXAMPLES / "public-body.yaml"), library, date(2026, 11, 23))
    assert {"mediation", "societe-de-recouvrement"}.isdisjoint(alt.id for alt in public.alternatives)
    consumer = copy.deepcopy(claim_data)
    consumer["debtor"] = {"name": "Paul", "kind": "consumer", "address": LYON}
    assert "affacturage" not in {alt.id for alt in run(consumer, "2025-06-01").alternatives}


def test_other_ways_out_file_is_validated(tmp_path):
    """A broken guidance file stops the program naming the file and the field."""
    from webapp.config import procedures_dir
    from webapp.domain.procedures import load_library

    folder = tmp_path / "procedures"
    shutil.copytree(procedures_dir(), folder)
    data = yaml.safe_load((folder / "alternatives.yaml").read_text(encoding="utf-8"))
    del data[0]["checked"]
    (folder / "alternatives.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_library(folder)
    assert "alternatives.yaml" in str(err.value) and "checked" in str(err.value)


# --- Issue 11, item 3: the core owns the law; the documents' context arranges it ---------


def test_declaration_deadline_and_declared_invoices_come_from_the_assessment(library):
    """Art. R622-24 C. com.: two months from the BODACC publication of 2 November 2026."""
    a = assess(load_claim(EXAMPLES / "debtor-liquidation.yaml"), library, date(2026, 11, 23))
    assert a.declaration_deadline == date(2027, 1, 2)
    assert [acc.invoice.number for acc in a.declared] == ["IB-2026-210", "IB-2026-245"]
    context = build_context(a, library)
    assert context["proceedings"]["deadline"] == a.declaration_deadline
    assert "deux mois de la publication" in a.next_step.reasons[0]


def test_declaration_months_doubled_for_a_creditor_abroad_in_the_advice(library):
    """Art. R622-24 C. com.: the délai is doubled for a creditor outside metropolitan France;
    the advice takes the months from the parameter instead of writing « deux »."""
    data = yaml.safe_load((EXAMPLES / "debtor-liquidation.yaml").read_text(encoding="utf-8"))
    data["creditor"]["address"] = {"line1": "1 rue", "postcode": "97400", "city": "Saint-Denis"}
    a = assess(claim_from_data(data), library, date(2026, 11, 23))
    assert a.declaration_deadline == date(2027, 3, 2)
    assert "quatre mois de la publication" in a.next_step.reasons[0]


def test_documents_context_looks_up_no_legal_value():
    """The context arranges plain values: no parameter lookup, no dated computation there."""
    from webapp.documents import context

    text = Path(context.__file__).read_text(encoding="utf-8")
    assert "parameters.at(" not in text and "params.at(" not in text and "add_months" not in text


def test_court_form_and_name_come_from_the_assessment(claim_data, run):
    """Art. 1407 CPC: the Cerfa of the court's requête; before it existed (2022), none."""
    claim_data["debtor"]["address"] = LYON
    a = run(claim_data, "2026-01-01")
    assert (a.court.name, a.court.form) == ("tribunal des activités économiques de Lyon", "12946*02")
    assert run(claim_data, "2021-06-01").court.form is None
