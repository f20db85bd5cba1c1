"""Access control on every dossier route and download: only who may open a dossier gets it.

Every URL rule that takes a dossier's link (``<token>``) is found in the application's own
URL map, so a route added later is covered without editing this file. For each one, and
each method it accepts, another account, a member of another team and an anonymous
visitor holding the exact link get the same 404 as for a link that does not exist — and
the dossier's rightful users get the page (the control that makes the 404s meaningful).
"""

from __future__ import annotations

import io
import re
import zipfile

import pikepdf
import pytest

from tests.conftest import BASE_CLAIM
from webapp.store import accounts, dossiers
from webapp.store.models import Invitation
from webapp.web import db
from webapp.web.common import STEPS

PASSWORD = "un mot de passe assez long"


def _one_page_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


PDF = _one_page_pdf()
CLAIM = {**BASE_CLAIM, "invoices": [{**BASE_CLAIM["invoices"][0], "file": "factures/F-1.pdf"}]}

# A value for every argument a dossier route takes besides the token; a new argument fails loudly.
SAMPLE_ARGS = {
    "index": [0],
    "doc_id": ["mise-en-demeure"],
    "path": ["factures/F-1.pdf"],
    "kind": ["relance"],
    "row_id": [1],
    "key": ["facture-0"],
}
SAMPLE_ARGS["slug"] = [s.slug for s in STEPS]


def sign_in(client, email: str) -> None:
    page = client.get("/compte/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/compte/connexion", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def csrf_token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def world(app):
    """Alice's own dossier, a team's dossier, an anonymous one, and people who must not see them."""
    with app.app_context():
        session = db.session()
        people = {
            name: accounts.create_account(session, f"{name}@example.org", name.title(), PASSWORD)
            for name in ("alice", "sophie", "karim", "eve", "mallory")
        }
        team = accounts.create_organisation(session, people["sophie"], "Permanence juridique")
        accounts.add_member(session, team, people["karim"], accounts.VOLUNTEER)
        other_team = accounts.create_organisation(session, people["mallory"], "Autre association")
        session.commit()
        owned = {
            "own": dossiers.create(session, CLAIM, owner_id=people["alice"].id),
            "team": dossiers.create(session, CLAIM, owner_id=people["karim"].id, organisation_id=team.id),
            "anonymous": dossiers.create(session, CLAIM),
        }
        for dossier in owned.values():
            dossiers.put_file(session, dossier, "factures/F-1.pdf", "F-1.pdf", "application/pdf", PDF)
        session.commit()
        return {
            "tokens": {kind: d.token for kind, d in owned.items()},
            "team_id": team.id,
            "other_team_id": other_team.id,
        }


def visitor(app, email: str | None):
    client = app.test_client()
    if email:
        sign_in(client, email)
    return client


def dossier_urls(app, token: str) -> list[tuple[str, str, str]]:
    """(endpoint, method, URL) for every route of the URL map that opens a dossier."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "token" not in rule.arguments:
                continue
            others = sorted(rule.arguments - {"token"})
            missing = [a for a in others if a not in SAMPLE_ARGS]
            assert not missing, f"{rule.endpoint}: give SAMPLE_ARGS a value for {missing}"
            combos = [{}]
            for name in others:
                combos = [{**c, name: value} for c in combos for value in SAMPLE_ARGS[name]]
            for values in combos:
                path = rule.build({"token": token, **values}, append_unknown=False)[1]
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    found.append((rule.endpoint, method, path))
    return found


def request(client, method: str, url: str, version: int = 1):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(client), "version": str(version)})


OUTSIDERS = {"another account": "eve@example.org", "another team": "mallory@example.org", "anonymous": None}


@pytest.mark.parametrize("kind", ["own", "team"])
@pytest.mark.parametrize("who", list(OUTSIDERS))
def test_every_dossier_route_is_a_404_for_whoever_may_not_open_it(app, world, kind, who):
    client = visitor(app, OUTSIDERS[who])
    urls = dossier_urls(app, world["tokens"][kind])
    endpoints = {endpoint for endpoint, _, _ in urls}
    # The sweep covers the pages, every download, the evidence files and every change.
    assert {"wizard.step", "results.document_pdf", "results.dossier_pdf", "results.all_documents"} <= endpoints
    assert {"results.export", "results.evidence_file", "wizard.delete_dossier", "ownership.verify"} <= endpoints
    assert len(urls) > 25
    for endpoint, method, url in urls:
        response = request(client, method, url)
        assert response.status_code == 404, f"{who} {method} {url} ({endpoint}) → {response.status_code}"
        assert b"Boulangerie" not in response.data and b"%PDF" not in response.data
    with app.app_context():
        assert dossiers.by_token(db.session(), world["tokens"][kind]).claim == CLAIM  # nothing changed


@pytest.mark.parametrize(
    ("kind", "email"),
    [("own", "alice@example.org"), ("team", "karim@example.org"), ("team", "sophie@example.org"), ("anonymous", None)],
)
def test_whoever_may_open_the_dossier_gets_every_page_and_download(app, world, kind, email):
    client = visitor(app, email)
    for endpoint, method, url in dossier_urls(app, world["tokens"][kind]):
        if method != "GET" or (endpoint == "wizard.delete_dossier" and kind == "team" and email.startswith("karim")):
            continue
        response = client.get(url)
        assert response.status_code in (200, 302), f"{email} GET {url} ({endpoint}) → {response.status_code}"
    evidence = client.get(f"/dossier/{world['tokens'][kind]}/fichiers/factures/F-1.pdf")
    assert evidence.data == PDF
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/dossier/{world['tokens'][kind]}/export.zip").data))
    assert "factures/F-1.pdf" in archive.namelist()


def test_a_volunteer_may_not_verify_close_or_delete_the_teams_dossier(app, world):
    karim = visitor(app, "karim@example.org")
    token = world["tokens"]["team"]
    assert request(karim, "POST", f"/dossier/{token}/verifier").status_code == 404
    assert request(karim, "POST", f"/dossier/{token}/supprimer").status_code == 403
    request(karim, "POST", f"/dossier/{token}/clore")
    with app.app_context():
        dossier = dossiers.by_token(db.session(), token)
        assert dossier is not None and not dossier.verified and dossier.closed_at is None


@pytest.mark.parametrize("who", ["karim@example.org", "eve@example.org", "mallory@example.org"])
def test_team_pages_are_a_404_for_non_members_and_changes_for_non_supervisors(app, world, who):
    client = visitor(app, who)
    team = f"/equipes/{world['team_id']}"
    member = who.startswith("karim")
    assert client.get(team).status_code == (200 if member else 404)
    add = {"csrf_token": csrf_token(client), "email": "eve@example.org", "role": accounts.SUPERVISOR}
    assert client.post(team, data=add).status_code == 404
    assert client.post(f"{team}/membres/1/retirer", data={"csrf_token": csrf_token(client)}).status_code == 404
    with app.app_context():
        session = db.session()
        sophie = accounts.by_email(session, "sophie@example.org")
        team_row = sophie.memberships[0].organisation
        accounts.invite(session, team_row, "someone@example.org", accounts.VOLUNTEER, sophie)
        session.commit()
        invitation = session.query(Invitation).filter_by(email="someone@example.org").one().id
    cancel = client.post(f"{team}/invitations/{invitation}/annuler", data={"csrf_token": csrf_token(client)})
    assert cancel.status_code == 404
    with app.app_context():
        assert db.session().get(Invitation, invitation) is not None
    with app.app_context():
        assert accounts.role_in(accounts.by_email(db.session(), who), world["team_id"]) == (
            accounts.VOLUNTEER if member else None
        )


def test_account_pages_send_anonymous_visitors_to_sign_in(app, world):
    client = app.test_client()
    for url in ("/compte", "/compte/mes-donnees.zip", "/compte/supprimer", f"/equipes/{world['team_id']}"):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]
