"""The authentication signing key: no default, generated only in development."""

from __future__ import annotations

import dataclasses
import logging
import stat

import pytest

from auth.signing_key import SIGNING_KEY_FILE_NAME, load_signing_key
from runtime.config import ConfigurationError, load_settings


def test_production_without_key_fails_at_settings(tmp_path):
    environ = {
        "ICARA_ENV": "production",
        "ICARA_DATA_DIR": str(tmp_path),
        "ENCRYPTION_KEY": "x" * 44,
    }
    with pytest.raises(ConfigurationError, match="AUTH_SIGNING_KEY"):
        load_settings(environ)


def test_production_without_key_fails_at_load(tmp_path):
    settings = load_settings({"ICARA_DATA_DIR": str(tmp_path)})
    production = dataclasses.replace(settings, environment="production")
    with pytest.raises(ConfigurationError, match="AUTH_SIGNING_KEY"):
        load_signing_key(production)
    assert not (tmp_path / SIGNING_KEY_FILE_NAME).exists()


def test_configured_key_used(tmp_path):
    key = "k" * 40
    settings = load_settings({"ICARA_DATA_DIR": str(tmp_path), "AUTH_SIGNING_KEY": key})
    assert load_signing_key(settings) == key
    assert not (tmp_path / SIGNING_KEY_FILE_NAME).exists()


def test_short_configured_key_rejected(tmp_path):
    settings = load_settings({"ICARA_DATA_DIR": str(tmp_path)})
    short = dataclasses.replace(settings, auth_signing_key="secret")
    with pytest.raises(ConfigurationError, match="at least 32"):
        load_signing_key(short)


def test_development_key_generated_with_warning(tmp_path, caplog):
    settings = load_settings({"ICARA_DATA_DIR": str(tmp_path / "data")})
    with caplog.at_level(logging.WARNING, logger="auth.signing_key"):
        first = load_signing_key(settings)
    key_file = tmp_path / "data" / SIGNING_KEY_FILE_NAME
    assert key_file.read_text() == first
    assert len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "generated a random development key" in caplog.text
    assert first not in caplog.text


def test_development_key_stable_across_loads(tmp_path):
    settings = load_settings({"ICARA_DATA_DIR": str(tmp_path)})
    assert load_signing_key(settings) == load_signing_key(settings)


def test_development_keys_differ_between_installs(tmp_path):
    first = load_signing_key(load_settings({"ICARA_DATA_DIR": str(tmp_path / "a")}))
    second = load_signing_key(load_settings({"ICARA_DATA_DIR": str(tmp_path / "b")}))
    assert first != second
