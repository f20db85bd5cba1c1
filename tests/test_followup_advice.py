"""Time-aware advice: the délai of the mise en demeure, the reminder plan, promises, payment plans.

Issue 13 item 2: no court route is advised, and no requête says "restée sans effet",
before the délai the mise en demeure gave has run, counted from receipt or from a
prudent estimate that the analysis states.
"""

from __future__ import annotations

from datetime import date

import pytest

from webapp.config import procedures_dir, templates_dir
from webapp.documents.context import build_context
from webapp.documents.render import render_html
from webapp.domain.claim_file import claim_from_data
from webapp.domain.errors import ClaimError
from webapp.domain.procedures import load_library
from webapp.domain.report import to_json, to_text

COURT_ROUTES = {"injonction-de-payer", "procedure-simplifiee", "assignation-au-fond", "refere-provision"}


def contract_claim(claim_data, **notice):
    """The claim-format example: due 2 November 2026, a reminder, a mise en demeure received 30 November."""
    claim_data["invoices"][0].update(issued="2026-10-01", due="2026-11-02")
    claim_data["evidence"] = [{"kind": "purchase_order", "title": "Bon de commande"}]
    claim_data["history"] = {
        "reminders": [{"date": "2026-11-05", "channel": "email"}],
        "formal_notice": {"sent": "2026-11-27", "registered": True, "received": "2026-11-30", **notice},
    }
    return claim_data


def test_contract_example_waits_until_the_day_after_the_eight_days(claim_data, run):
    data = to_json(run(contract_claim(claim_data, deadline_days=8), "2026-12-01"))
    assert data["next_step"] == "injonction-de-payer"
    assert data["next_step_from"] == "2026-12-09"
    assert data["next_step_reasons"][0].startswith("Attendez le 9 décembre 2026 : la mise en demeure")
    expiry = data["deadlines"][0]
    assert (expiry["id"], expiry["date"], expiry["passed"]) == ("formal_notice_expiry", "2026-12-08", False)
    assert data["reminders"] == {
        "plan": [
            {"step": 1, "date": "2026-11-05", "channel": "email", "status": "done"},
            {"step": 2, "date": "2026-11-12", "channel": "email", "status": "cancelled"},
            {"step": 3, "date": "2026-11-23", "channel": "email", "status": "cancelled"},
        ],
        "stopped": "formal_notice",
    }


@pytest.mark.parametrize(("on", "waits"), [("2026-11-30", True), ("2026-12-08", True), ("2026-12-09", False)])
def test_no_court_route_before_the_delai_has_run(claim_data, run, on, waits):
    a = run(contract_claim(claim_data), on)
    assert a.next_step.route_id in COURT_ROUTES
    assert (a.next_step_from == date(2026, 12, 9)) is waits
    assert (a.next_step_from is None) is not waits
    assert any("restée sans effet" in r for r in a.next_step.reasons) is not waits


def test_the_delai_written_in_the_letter_counts(claim_data, run):
    a = run(contract_claim(claim_data, deadline_days=15), "2026-12-09")
    assert a.next_step_from == date(2026, 12, 16)


def test_unknown_receipt_is_estimated_prudently_and_the_analysis_says_so(claim_data, run):
    claim_data = contract_claim(claim_data)
    del claim_data["history"]["formal_notice"]["received"]
    a = run(claim_data, "2026-12-09")
    (expiry,) = [d for d in a.deadlines if d.id == "formal_notice_expiry"]
    # sent 27 November + 18 days = 15 December (estimated receipt) + 8 days = 23 December
    assert expiry.date == date(2026, 12, 23)
    assert "estimée au 15 décembre 2026" in expiry.basis and "par prudence" in expiry.basis
    assert a.next_step_from == date(2026, 12, 24)
    assert "réception estimée au 15 décembre 2026" in a.next_step.reasons[0]


def test_a_delai_ending_on_11_november_runs_to_the_next_working_day(claim_data, run):
    claim_data = contract_claim(claim_data)
    claim_data["history"]["formal_notice"].update(sent="2026-11-02", received="2026-11-03")
    a = run(claim_data, "2026-11-11")
    assert a.next_step_from == date(2026, 11, 13)
    (expiry,) = [d for d in a.deadlines if d.id == "formal_notice_expiry"]
    assert "Armistice" in expiry.basis and "642" in expiry.basis


def test_alsace_moselle_debtor_gets_26_december(claim_data, run):
    claim_data = contract_claim(claim_data)
    claim_data["history"]["formal_notice"].update(sent="2025-12-15", received="2025-12-18")
    claim_data["invoices"][0].update(issued="2025-10-01", due="2025-11-02")
    claim_data["history"]["reminders"] = []
    paris = run(claim_data, "2025-12-20")
    assert paris.next_step_from == date(2025, 12, 27)  # 26 December 2025, a Friday, is a working day in Paris
    claim_data["debtor"]["address"] = {"line1": "1 rue", "postcode": "57000", "city": "Metz"}
    metz = run(claim_data, "2025-12-20")
    assert metz.next_step_from == date(2025, 12, 30)  # Saint-Étienne, then the weekend: Monday 29 is the last day


def test_the_requete_says_restee_sans_effet_only_once_the_delai_has_run(claim_data, run):
    library = load_library(procedures_dir())
    claim_data = contract_claim(claim_data)
    for on, said in (("2026-12-01", False), ("2026-12-09", True)):
        requete = library.documents["requete-injonction-de-payer"]
        html = render_html(requete, build_context(run(claim_data, on), library), templates_dir())
        assert "mis en demeure de payer" in html
        assert ("restée sans effet" in html) is said


def test_prescription_ending_inside_the_delai_is_not_waited_for(claim_data, run):
    claim_data = contract_claim(claim_data)
    claim_data["invoices"][0].update(issued="2021-12-01", due="2021-12-02")
    claim_data["history"]["reminders"] = []
    a = run(claim_data, "2026-11-30")  # 5 years from 1 December 2021: 1 December 2026
    assert a.next_step.route_id == "injonction-de-payer" and a.next_step_from is None
    assert any("avant la fin du délai de la mise en demeure" in r for r in a.next_step.reasons)
    assert not any("restée sans effet :" in r for r in a.next_step.reasons)


# --- the reminder plan ---------------------------------------------------------------


def reminded(claim_data, *dates, due="2026-11-02"):
    claim_data["invoices"][0].update(issued="2026-10-01", due=due)
    claim_data["history"] = {"reminders": [{"date": d, "channel": "email"} for d in dates]}
    return claim_data


def statuses(a):
    return [(s.date.isoformat(), s.status) for s in a.reminders.steps]


def test_a_reminder_is_followed_by_the_plan_not_by_a_mise_en_demeure_the_next_day(claim_data, run):
    a = run(reminded(claim_data, "2026-11-05"), "2026-11-06")
    assert a.next_step.route_id == "relance" and a.next_step_from == date(2026, 11, 12)
    assert a.next_step.reasons[0].startswith("Attendez le 12 novembre 2026 : la deuxième relance")
    assert statuses(a) == [("2026-11-05", "done"), ("2026-11-12", "planned"), ("2026-11-23", "planned")]


def test_a_late_start_catches_up_one_step_at_a_time(claim_data, run):
    a = run(reminded(claim_data), "2027-01-15")
    assert statuses(a) == [("2026-11-05", "due"), ("2026-11-12", "planned"), ("2026-11-23", "planned")]
    assert a.next_step.route_id == "relance" and a.next_step_from is None


def test_plan_steps_fall_on_working_days(claim_data, run):
    # Due Friday 30 October 2026: +3 = Monday 2 November; +10 = 9 November; +20 = 19 November.
    a = run(reminded(claim_data, due="2026-10-30"), "2026-10-31")
    assert [s.date for s in a.reminders.steps] == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 19)]
    # Due 1 November 2026 (Sunday, Toussaint): +10 = Wednesday 11 November, Armistice: Thursday 12.
    b = run(reminded(claim_data, due="2026-11-01"), "2026-11-02")
    assert b.reminders.steps[1].date == date(2026, 11, 12)


def test_after_the_plan_the_mise_en_demeure_leaves_a_week_after_the_last_reminder(claim_data, run):
    claim_data = reminded(claim_data, "2026-11-05", "2026-11-12", "2026-11-23")
    a = run(claim_data, "2026-11-24")
    assert a.next_step.route_id == "mise-en-demeure" and a.next_step_from == date(2026, 11, 30)
    assert a.reminders.stopped is None and {s.status for s in a.reminders.steps} == {"done"}
    assert run(claim_data, "2026-11-30").next_step_from is None


def test_a_plan_of_the_claim_replaces_the_default_one(claim_data, run):
    claim_data = reminded(claim_data)
    claim_data["follow_up"] = {"plan": [{"days": 7, "channel": "letter"}, {"days": 15}]}
    a = run(claim_data, "2026-11-03")
    assert [(s.date, s.channel) for s in a.reminders.steps] == [
        (date(2026, 11, 9), "letter"),
        (date(2026, 11, 17), "email"),
    ]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"follow_up": {"paused": True}}, "paused"),
        ({"dispute": {"contested": True}}, "contested"),
        ({"payments": [{"date": "2026-11-02", "amount": "1000.00"}]}, "paid"),
    ],
)
def test_stop_reasons(claim_data, run, change, reason):
    claim_data = reminded(claim_data, "2026-11-05")
    claim_data.update(change)
    a = run(claim_data, "2026-11-13")
    assert a.reminders.stopped == reason
    assert [s.status for s in a.reminders.steps][1:] == ["cancelled", "cancelled"]


def test_prescribed_claim_stops_the_reminders(claim_data, run):
    claim_data = reminded(claim_data, due="2020-01-31")
    claim_data["invoices"][0]["issued"] = "2020-01-01"
    a = run(claim_data, "2026-11-13")
    assert a.reminders.stopped == "prescribed"


# --- promises ------------------------------------------------------------------------


def promised(claim_data, amount=None, payments=()):
    claim_data = reminded(claim_data, "2026-11-05", "2026-11-12", "2026-11-23")
    promise = {"made": "2026-11-25", "pay_by": "2026-12-10"}
    if amount:
        promise["amount"] = amount
    claim_data["history"]["promises"] = [promise]
    claim_data["payments"] = list(payments)
    return claim_data


def test_a_pending_promise_stops_reminders_and_delays_the_next_step(claim_data, run):
    a = run(promised(claim_data, "500.00"), "2026-12-01")
    assert a.reminders.stopped == "promise"
    assert a.next_step.route_id == "mise-en-demeure" and a.next_step_from == date(2026, 12, 11)
    assert "a promis le 25 novembre 2026 de payer 500,00" in a.next_step.reasons[0].replace("\u202f", " ")
    (deadline,) = [d for d in a.deadlines if d.id == "promise"]
    assert deadline.date == date(2026, 12, 10) and not deadline.passed


def test_a_broken_promise_lets_the_creditor_act_and_says_so(claim_data, run):
    a = run(promised(claim_data, "500.00", [{"date": "2026-12-05", "amount": "100.00"}]), "2026-12-11")
    assert a.next_step_from is None and a.next_step.route_id == "mise-en-demeure"
    assert any("n'a pas tenu sa promesse" in r for r in a.next_step.reasons)
    assert a.reminders.stopped is None
    (deadline,) = [d for d in a.deadlines if d.id == "promise"]
    assert deadline.passed and "non tenue" in deadline.label


def test_a_kept_promise_is_no_longer_a_deadline(claim_data, run):
    a = run(promised(claim_data, "500.00", [{"date": "2026-12-05", "amount": "500.00"}]), "2026-12-06")
    assert not [d for d in a.deadlines if d.id == "promise"] and a.reminders.stopped != "promise"


# --- payment plans -------------------------------------------------------------------


def planned(claim_data, payments=(), signed=True):
    claim_data["invoices"] = [{"number": "F-2022-004", "issued": "2022-01-10", "due": "2022-02-10", "amount": "900.00"}]
    claim_data["terms"] = {"recovery_indemnity": False, "late_penalty_rate": "0"}
    claim_data["history"] = {
        "formal_notice": {"sent": "2026-04-01", "received": "2026-04-03"},
        "payment_plan": {
            "agreed": "2026-06-01",
            "signed_by_debtor": signed,
            "invoices": ["F-2022-004"],
            "instalments": [
                {"due": "2026-07-10", "amount": "300.00"},
                {"due": "2026-08-10", "amount": "300.00"},
                {"due": "2026-09-10", "amount": "300.00"},
            ],
        },
    }
    claim_data["payments"] = [{"date": d, "amount": "300.00", "invoice": "F-2022-004"} for d in payments]
    return claim_data


def test_a_signed_plan_restarts_prescription_for_the_invoices_it_covers(claim_data, run):
    a = run(planned(claim_data), "2026-06-15")
    assert a.prescriptions["F-2022-004"].limit == date(2031, 6, 1)
    assert "échéancier signé" in a.prescriptions["F-2022-004"].basis
    b = run(planned(claim_data, signed=False), "2026-06-15")
    assert b.prescriptions["F-2022-004"].limit == date(2027, 1, 10)


def test_a_plan_kept_waits_for_the_next_instalment(claim_data, run):
    a = run(planned(claim_data, ["2026-07-09"]), "2026-07-20")
    assert a.reminders.stopped == "payment_plan"
    assert a.next_step_from == date(2026, 8, 11)
    assert "prochaine échéance" in a.next_step.reasons[0]
    assert [d.date for d in a.deadlines if d.id == "instalment"] == [date(2026, 8, 10), date(2026, 9, 10)]


def test_a_missed_instalment_turns_the_plan_off_with_a_mise_en_demeure_next(claim_data, run):
    a = run(planned(claim_data, ["2026-07-09"]), "2026-08-11")
    assert a.reminders.stopped == "formal_notice"  # the plan no longer stops them; the old notice does
    assert a.next_step.route_id == "mise-en-demeure" and a.next_step_from is None
    assert "n'a pas été payée" in a.next_step.reasons[0] and "déchéance du terme" in a.next_step.reasons[0]
    missed = [d for d in a.deadlines if d.id == "instalment" and d.passed]
    assert missed and "rompu" in missed[0].label


def test_a_new_mise_en_demeure_after_the_missed_instalment_is_then_waited_for(claim_data, run):
    claim_data = planned(claim_data, ["2026-07-09"])
    claim_data["history"]["formal_notice"] = {"sent": "2026-08-12", "received": "2026-08-14"}
    a = run(claim_data, "2026-08-17")
    assert a.next_step.route_id == "injonction-de-payer" and a.next_step_from == date(2026, 8, 25)


def test_a_plan_completed_leaves_nothing_to_do(claim_data, run):
    claim_data = planned(claim_data, ["2026-07-09", "2026-08-10", "2026-09-09"])
    # A consumer not put on notice owes no interest: the three instalments pay everything.
    claim_data["debtor"] = {"name": "Paul Durand", "kind": "consumer", "address": claim_data["debtor"]["address"]}
    claim_data["invoices"][0].update(issued="2026-03-01", due="2026-04-01")
    claim_data["evidence"] = [{"kind": "signed_quote", "title": "Devis signé"}]
    del claim_data["history"]["formal_notice"]
    assert run(claim_data, "2026-08-20").reminders.stopped == "payment_plan"
    a = run(claim_data, "2026-09-20")
    assert a.amounts.total == 0
    assert a.next_step.route_id is None and a.reminders.stopped == "paid"
    assert not [d for d in a.deadlines if d.id == "instalment"]


# --- the claim as known on a date ----------------------------------------------------


def test_as_known_on_leaves_out_later_promises_plans_and_order_steps(claim_data):
    claim_data = planned(claim_data)
    claim_data["history"]["promises"] = [{"made": "2026-05-20", "pay_by": "2026-05-30"}]
    claim_data["history"]["order"] = {
        "filed": "2026-05-10",
        "rendered": "2026-05-25",
        "outcome": "granted",
        "served": "2026-06-05",
        "served_in_person": True,
    }
    claim = claim_from_data(claim_data)
    before = claim.as_known_on(date(2026, 5, 15)).history
    assert before.promises == () and before.payment_plan is None
    assert before.order.filed == date(2026, 5, 10) and before.order.rendered is None
    mid = claim.as_known_on(date(2026, 6, 1)).history
    assert mid.order.rendered == date(2026, 5, 25) and mid.order.served is None and mid.promises
    assert claim.as_known_on(date(2026, 5, 9)).history.order is None
    assert claim.as_known_on(date(2026, 6, 5)) is claim


# --- validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "path", "words"),
    [
        (
            {"formal_notice": {"sent": "2026-01-01", "deadline_days": "huit"}},
            "history.formal_notice.deadline_days",
            "entier",
        ),
        ({"promises": [{"made": "2026-02-01", "pay_by": "2026-01-01"}]}, "history.promises[0].pay_by", "précéder"),
        ({"promises": [{"made": "2026-02-01"}]}, "history.promises[0].pay_by", "obligatoire"),
        ({"payment_plan": {"agreed": "2026-01-01", "instalments": []}}, "history.payment_plan.instalments", "au moins"),
        (
            {
                "payment_plan": {
                    "agreed": "2026-01-01",
                    "invoices": ["X"],
                    "instalments": [{"due": "2026-02-01", "amount": "1"}],
                }
            },
            "history.payment_plan.invoices[0]",
            "aucune facture",
        ),
        (
            {
                "payment_plan": {
                    "agreed": "2026-01-01",
                    "instalments": [{"due": "2026-03-01", "amount": "1"}, {"due": "2026-02-01", "amount": "1"}],
                }
            },
            "history.payment_plan.instalments[1].due",
            "ordre",
        ),
        ({"order": {"filed": "2026-01-10", "rendered": "2026-01-05"}}, "history.order.rendered", "précéder"),
        ({"order": {"filed": "2026-01-10", "served": "2026-01-20"}}, "history.order.served", "rendue"),
        ({"order": {"filed": "2026-01-10", "outcome": "maybe"}}, "history.order.outcome", "inconnue"),
        ({"order": {"filed": "2026-01-10", "rendered": "2026-02-30"}}, "history.order.rendered", "n'existe pas"),
    ],
)
def test_follow_up_fields_are_validated_with_their_path(claim_data, history, path, words):
    claim_data["history"] = history
    with pytest.raises(ClaimError) as error:
        claim_from_data(claim_data)
    assert any(p == path and words in m for p, m in error.value.problems), error.value.problems


@pytest.mark.parametrize(
    ("follow_up", "path"),
    [
        ({"plan": [{"days": 10}, {"days": 3}]}, "follow_up.plan[1].days"),
        ({"plan": [{"days": -1}]}, "follow_up.plan[0].days"),
        ({"plan": [{"days": 3, "channel": "pigeon"}]}, "follow_up.plan[0].channel"),
        ({"paused": "oui"}, "follow_up.paused"),
        ({"pause": True}, "follow_up.pause"),
    ],
)
def test_the_reminder_plan_is_validated(claim_data, follow_up, path):
    claim_data["follow_up"] = follow_up
    with pytest.raises(ClaimError) as error:
        claim_from_data(claim_data)
    assert path in [p for p, _ in error.value.problems]


def test_text_report_shows_the_deadlines_and_the_plan_in_french(claim_data, run):
    text = to_text(run(contract_claim(claim_data), "2026-12-01"))
    assert "Prochaine étape : Injonction de payer, à partir du 9 décembre 2026" in text
    assert "8 décembre 2026 (dans 7 j) : Fin du délai de paiement laissé par la mise en demeure" in text
    assert "Relance 2, par e-mail : annulée (elle était prévue le 12 novembre 2026)" in text


# --- the command line --------------------------------------------------------------------


def test_dument_assess_json_has_the_follow_up_keys(claim_data, tmp_path):
    import json

    import yaml

    from tests.conftest import dument

    path = tmp_path / "creance.yaml"
    path.write_text(yaml.safe_dump(contract_claim(claim_data, deadline_days=8)), encoding="utf-8")
    out = dument("assess", path, "--on", "2026-12-01", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["next_step_from"] == "2026-12-09"
    assert data["deadlines"][0]["id"] == "formal_notice_expiry" and data["deadlines"][0]["basis"]
    assert data["reminders"]["stopped"] == "formal_notice"
    assert {"step", "date", "channel", "status"} == set(data["reminders"]["plan"][0])


def test_dument_assess_names_an_invalid_follow_up_field_and_exits_2(claim_data, tmp_path):
    import yaml

    from tests.conftest import dument

    claim_data["history"] = {"promises": [{"made": "2026-02-01", "pay_by": "2026-02-30"}]}
    path = tmp_path / "creance.yaml"
    path.write_text(yaml.safe_dump(claim_data), encoding="utf-8")
    out = dument("assess", path, "--json")
    assert out.returncode == 2
    assert "history.promises[0].pay_by" in out.stderr and "n'existe pas" in out.stderr


def test_the_payment_plan_example_waits_for_the_next_instalment(library):
    from tests.conftest import EXAMPLES
    from webapp.domain.assessment import assess
    from webapp.domain.claim_file import load_claim

    a = assess(load_claim(EXAMPLES / "b2b-payment-plan.yaml"), library, date(2026, 11, 23))
    assert (a.next_step.route_id, a.next_step_from) == ("injonction-de-payer", date(2026, 12, 16))
    assert a.reminders.stopped == "payment_plan"
    assert a.prescriptions["MK-2026-044"].limit == date(2031, 10, 1)  # the signed plan of 1 October 2026
