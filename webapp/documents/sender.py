"""The creditor's name as the documents print it as sender and signer.

An entrepreneur individuel must put « EI » or « entrepreneur individuel » right after his
name on his professional documents (art. L526-22 and R526-26 C. com.); the mention is a
dated parameter (``sole_trader_name_mention``), added unless the name already carries it.
"""

from __future__ import annotations

import re
from datetime import date

from ..domain.claim import Party
from ..domain.parameters import Parameters

_CARRIES = re.compile(r"(?<!\w)(EI|E\.I\.)(?!\w)|entrepreneur individuel", re.IGNORECASE)


def sender_name(p: Party, params: Parameters, on: date) -> str:
    """``p.name``, followed by the sole trader's mention in force on ``on`` when it lacks one."""
    if p.kind != "sole_trader" or _CARRIES.search(p.name):
        return p.name
    mention = params.at("sole_trader_name_mention", on).value
    return f"{p.name} {mention}" if mention else p.name
