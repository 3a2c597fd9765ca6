"""Password rules, hashing and verification with bcrypt.

Hashes come from streamlit-authenticator's ``Hasher`` (bcrypt with a random salt
and the default cost of 12 rounds). Verification is done here because the
library's login trims the password and returns early for an unknown username.

Notes
-----
bcrypt reads at most 72 bytes of a password, and bcrypt 5.0 raises ``ValueError``
for a longer one. A new password longer than 72 bytes in UTF-8 is rejected with
a message. At login a longer password is treated as wrong, after the same bcrypt
work as any other attempt.
"""

from __future__ import annotations

import logging
import secrets
import unicodedata

import bcrypt
from streamlit_authenticator.utilities import Hasher

logger = logging.getLogger(__name__)

MAX_PASSWORD_BYTES = 72
MIN_PASSWORD_CHARACTERS = 12

# A hash of a random, discarded password. Checking a password against it
# costs the same bcrypt work as checking a real user's hash, so an unknown
# username takes as long to reject as a wrong password.
_DUMMY_HASH = Hasher.hash(secrets.token_urlsafe(32))


def _normalise(password: str) -> bytes:
    """Return the UTF-8 bytes of ``password`` in Unicode NFC form, untrimmed.

    NFC makes a character typed as one code point or as a letter plus a combining
    accent hash the same way on every keyboard.
    """
    return unicodedata.normalize("NFC", password).encode("utf-8")


class PasswordPolicyError(ValueError):
    """A new password breaks a rule; ``problems`` lists every broken rule."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def password_rules_text() -> str:
    """Return the password rules as one sentence for help text."""
    return (
        f"At least {MIN_PASSWORD_CHARACTERS} characters and at most "
        f"{MAX_PASSWORD_BYTES} bytes (UTF-8), with at least one letter and at least "
        "one digit or symbol, and not containing the username. Spaces count and "
        "are kept."
    )


def password_problems(password: str, username: str = "") -> list[str]:
    """Return the rules that ``password`` breaks, or an empty list.

    The password is checked exactly as typed: leading and trailing spaces are
    part of it.
    """
    problems: list[str] = []
    byte_length = len(_normalise(password))
    if len(password) < MIN_PASSWORD_CHARACTERS:
        problems.append(
            f"The password has {len(password)} characters; "
            f"use at least {MIN_PASSWORD_CHARACTERS}."
        )
    if byte_length > MAX_PASSWORD_BYTES:
        problems.append(
            f"The password is {byte_length} bytes long in UTF-8; bcrypt uses at most "
            f"{MAX_PASSWORD_BYTES} bytes, so use a shorter password (non-ASCII "
            "characters take 2 to 4 bytes each)."
        )
    has_letter = any(character.isalpha() for character in password)
    has_other = any(
        not character.isalpha() and not character.isspace() for character in password
    )
    if not has_letter or not has_other:
        problems.append(
            "The password needs at least one letter and at least one digit or symbol."
        )
    normalised_username = username.strip().casefold()
    if normalised_username and normalised_username in password.casefold():
        problems.append("The password must not contain the username.")
    return problems


def check_new_password(password: str, repeated: str, username: str = "") -> None:
    """Raise ``PasswordPolicyError`` unless ``password`` may be set for ``username``.

    ``repeated`` is the second entry of the password; the two must be identical,
    character for character.
    """
    problems = password_problems(password, username)
    if password != repeated:
        problems.append("The two passwords are not the same.")
    if problems:
        raise PasswordPolicyError(problems)


def hash_password(password: str, username: str = "") -> str:
    """Return the bcrypt hash of a new ``password`` after checking the rules.

    Raises ``PasswordPolicyError`` when a rule is broken, before any hashing.
    """
    problems = password_problems(password, username)
    if problems:
        raise PasswordPolicyError(problems)
    return Hasher.hash(unicodedata.normalize("NFC", password))


def verify_password(password: str, password_hash: str | None) -> bool:
    """Return whether ``password`` matches ``password_hash``.

    With ``password_hash`` of ``None`` (unknown user, or no password set) the
    password is checked against a dummy hash and the result is ``False``. A
    password longer than 72 bytes is checked the same way and is never accepted.
    Either way the call costs one bcrypt verification.
    """
    encoded = _normalise(password)
    too_long = len(encoded) > MAX_PASSWORD_BYTES
    if password_hash is None or too_long:
        bcrypt.checkpw(b"not-the-password", _DUMMY_HASH.encode())
        return False
    try:
        return bcrypt.checkpw(encoded, password_hash.encode())
    except ValueError:
        logger.error("stored password hash is not a valid bcrypt hash")
        return False
