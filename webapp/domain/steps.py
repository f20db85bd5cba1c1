"""The advice's result: which route to take, why, and from when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class NextStep:
    """The route to take (None: none), the reasons, and the first day it may be taken (None: now).

    ``wait`` is what the step waits for, in French, while ``timing`` has not yet written it
    into the first reason.
    """

    route_id: str | None
    reasons: tuple[str, ...]
    not_before: date | None = None
    wait: str | None = None
