"""Helpers shared by the storage tests."""

from __future__ import annotations

from runtime.config import load_settings
from storage.actor import Actor


def settings_for(data_dir, database_url: str | None, key: str | None, **extra: str):
    """Build settings from explicit variables only (no secrets files)."""
    env = {"ICARA_DATA_DIR": str(data_dir)}
    if database_url:
        env["DATABASE_URL"] = database_url
    if key:
        env["ENCRYPTION_KEY"] = key
    env.update(extra)
    return load_settings(env)


def analyst(firm_ids, username: str = "analyst") -> Actor:
    return Actor(7, username, frozenset({"analyst"}), frozenset(firm_ids))


def viewer(firm_ids, username: str = "viewer") -> Actor:
    return Actor(8, username, frozenset({"viewer"}), frozenset(firm_ids))


def sample_result(value: float) -> dict:
    return {
        "calculator": "k_aum",
        "value": value,
        "unit": "GBP",
        "rules_version": "FCA Handbook MIFIDPRU as in force on 2026-04-06",
        "calculator_version": "1.0.0",
        "figures": {"average_aum_gbp": value * 50},
    }
