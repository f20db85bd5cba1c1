"""Which passwords to refuse: too short, too common or too trivial (NIST SP 800-63B, 5.1.1.2).

No composition rules (they make passwords harder to remember, not to guess): a length,
then zxcvbn's estimate of how many guesses the password would take, which knows the
common passwords, dictionary words, keyboard walks, repeats and sequences.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_SCORE = 3  # zxcvbn: 3 is "safely unguessable" (about 10^8 guesses and more)
# zxcvbn's lists are English: the French passwords found most often in published leaks, and
# the words of this very site, are added as if the person had typed them.
_FRENCH = [
    "motdepasse",
    "azerty",
    "azertyuiop",
    "soleil",
    "bonjour",
    "doudou",
    "chouchou",
    "marseille",
    "loulou",
    "nicolas",
    "julien",
    "amour",
    "jetaime",
    "chocolat",
    "princesse",
    "coucou",
    "bienvenue",
    "liberte",
    "france",
    "vacances",
    "camille",
    "loveyou",
    "dument",
    "facture",
    "factures",
    "impaye",
    "impayes",
    "recouvrement",
    "creance",
    "tribunal",
    "injonction",
]
_CHECKED = 100  # zxcvbn's cost grows with the length; the start of the password is what matters


def problem(password: str, *context: str) -> str | None:
    """Why this password is refused, in French, or None when it is acceptable.

    ``context``: the person's name and e-mail address, which a password must not be built on.
    """
    if len(password) < MIN_LENGTH:
        return f"Choisissez un mot de passe d'au moins {MIN_LENGTH} caractères."
    if len(password) > MAX_LENGTH:
        return f"Choisissez un mot de passe de {MAX_LENGTH} caractères au plus."
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in password):
        return "Un mot de passe ne contient pas de caractère de contrôle."
    words = [w for text in context for w in text.replace("@", " ").replace(".", " ").split() if len(w) > 2]
    if zxcvbn(password[:_CHECKED], user_inputs=words + _FRENCH)["score"] < MIN_SCORE:
        return (
            "Ce mot de passe est trop facile à deviner (mot courant, suite, répétition ou votre nom) : "
            "choisissez par exemple quatre mots sans rapport entre eux."
        )
    return None
