"""Password rules, hashing and verification."""

from __future__ import annotations

import statistics
import time

import pytest

from auth import passwords
from auth.passwords import (
    MAX_PASSWORD_BYTES,
    PasswordPolicyError,
    check_new_password,
    hash_password,
    password_problems,
    verify_password,
)

GOOD_PASSWORD = "correct horse 42 battery"


def test_good_password_has_no_problems():
    assert password_problems(GOOD_PASSWORD, "alice") == []


def test_short_password_rejected():
    problems = password_problems("Ab1!", "alice")
    assert len(problems) == 1
    assert "at least 12" in problems[0]


def test_letters_only_password_rejected():
    problems = password_problems("onlylettershere", "alice")
    assert problems == [
        "The password needs at least one letter and at least one digit or symbol."
    ]


def test_password_containing_username_rejected():
    problems = password_problems("xx-Alice-2026-xx", "alice")
    assert problems == ["The password must not contain the username."]


def test_password_at_byte_limit_accepted():
    password = "a1" * (MAX_PASSWORD_BYTES // 2)
    assert len(password.encode()) == MAX_PASSWORD_BYTES
    assert password_problems(password) == []
    assert verify_password(password, hash_password(password))


def test_password_over_byte_limit_rejected_with_message():
    password = "a1" * (MAX_PASSWORD_BYTES // 2) + "x"
    with pytest.raises(PasswordPolicyError) as raised:
        hash_password(password)
    message = str(raised.value)
    assert "73 bytes" in message
    assert "at most 72 bytes" in message


def test_multibyte_password_counted_in_bytes():
    # 26 characters, but "€" is 3 bytes in UTF-8, so 76 bytes in all.
    password = "€" * 25 + "1"
    assert len(password) == 26
    problems = password_problems(password)
    assert any("76 bytes" in problem for problem in problems)


def test_over_long_login_password_is_wrong():
    stored = hash_password(GOOD_PASSWORD)
    assert verify_password(GOOD_PASSWORD + "x" * 80, stored) is False


def test_password_not_trimmed():
    padded = "  " + GOOD_PASSWORD + " "
    stored = hash_password(padded)
    assert verify_password(padded, stored)
    assert not verify_password(GOOD_PASSWORD, stored)
    assert not verify_password(padded.strip(), stored)


def test_trailing_space_is_a_different_password():
    stored = hash_password(GOOD_PASSWORD)
    assert not verify_password(GOOD_PASSWORD + " ", stored)


def test_hash_is_bcrypt_with_salt():
    first = hash_password(GOOD_PASSWORD)
    second = hash_password(GOOD_PASSWORD)
    assert first.startswith("$2b$12$")
    assert first != second


def test_composed_and_decomposed_accent_match():
    composed = "caf\u00e9-password-1"
    decomposed = "cafe\u0301-password-1"
    stored = hash_password(composed)
    assert verify_password(decomposed, stored)


def test_repeated_password_must_match():
    with pytest.raises(PasswordPolicyError) as raised:
        check_new_password(GOOD_PASSWORD, GOOD_PASSWORD + " ", "alice")
    assert raised.value.problems == ["The two passwords are not the same."]


def test_unknown_user_verification_costs_one_bcrypt():
    stored = hash_password(GOOD_PASSWORD)
    known, unknown = [], []
    for _ in range(5):
        started = time.perf_counter()
        verify_password("wrong password 1", stored)
        known.append(time.perf_counter() - started)
        started = time.perf_counter()
        verify_password("wrong password 1", None)
        unknown.append(time.perf_counter() - started)
    known_median = statistics.median(known)
    unknown_median = statistics.median(unknown)
    # Both run one bcrypt check at cost 12, about 0.25 s on one core. A skipped
    # check would take microseconds, so a 30% band separates the two clearly.
    assert unknown_median > 0.7 * known_median
    assert unknown_median < 1.3 * known_median


def test_invalid_stored_hash_is_wrong_password():
    assert verify_password(GOOD_PASSWORD, "not-a-bcrypt-hash") is False


def test_dummy_hash_rejects_its_placeholder():
    assert verify_password("not-the-password", None) is False
    assert passwords._DUMMY_HASH.startswith("$2b$12$")
