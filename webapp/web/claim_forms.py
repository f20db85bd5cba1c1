"""Between a wizard form and its section of the claim, by field name.

A form field named like a claim field carries it: dates and amounts in the claim format
(``2026-11-23``, ``1234.56``), the address fields grouped under ``address``, empty values
left out. So a new claim field is the form field, the claim model and one template line:
the steps copy nothing by hand.
"""

from __future__ import annotations

from typing import Any

from wtforms import Form
from wtforms.fields import Field

from .fields import FrenchAmountField, FrenchDateField
from .forms import PERSON_KINDS

ADDRESS = ("line1", "line2", "postcode", "city", "country")
NOT_IN_CLAIM = frozenset({"csrf_token", "file", "submit", "action"})


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: the claim format treats absent and empty alike."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def fill(form: Form, data: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
    """Show a claim section in its form: every field named like one of its keys."""
    address = data.get("address") or {}
    for field in _claim_fields(form, skip):
        value = (address if field.short_name in ADDRESS else data).get(field.short_name)
        if value is None:
            continue
        if isinstance(field, FrenchDateField):
            field.set_iso(value)
        elif isinstance(field, FrenchAmountField):
            field.set_claim(value)
        else:
            field.data = value


def section(form: Form, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The claim section a validated form gives, in the claim format."""
    data: dict[str, Any] = {}
    address: dict[str, Any] = {}
    for field in _claim_fields(form, skip):
        (address if field.short_name in ADDRESS else data)[field.short_name] = _claim_value(field)
    if address:
        data["address"] = clean(address)
    return clean(data)


def creditor(form: Form) -> dict[str, Any]:
    """The claim's ``creditor`` from its form (the wizard's first step, the creditor profile):
    a person's first and last name kept, and their name when no trade name is given."""
    data = section(form)
    if data.get("kind") in PERSON_KINDS:
        data.setdefault("name", f"{data.get('first_name', '')} {data.get('last_name', '').upper()}".strip())
    else:
        data.pop("first_name", None), data.pop("last_name", None)
    return data


def _claim_fields(form: Form, skip: tuple[str, ...]) -> list[Field]:
    return [field for field in form if field.short_name not in NOT_IN_CLAIM and field.short_name not in skip]


def _claim_value(field: Field) -> Any:
    if isinstance(field, FrenchDateField):
        return field.data_iso
    if isinstance(field, FrenchAmountField):
        return field.data_claim
    return field.data.strip() if isinstance(field.data, str) else field.data
