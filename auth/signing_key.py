"""The secret that signs authentication data, with no built-in default.

A production start without ``AUTH_SIGNING_KEY`` stops with a configuration error.
In development a random key is generated once into the data folder, with a
warning, so that no two installations share a key.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from runtime.config import ConfigurationError, Settings

logger = logging.getLogger(__name__)

SIGNING_KEY_FILE_NAME = "auth_signing_key"
MIN_SIGNING_KEY_CHARACTERS = 32


def signing_key_path(settings: Settings) -> Path:
    """Return where a development signing key is kept (inside ``data_dir``)."""
    return settings.data_dir / SIGNING_KEY_FILE_NAME


def load_signing_key(settings: Settings) -> str:
    """Return the signing key from ``AUTH_SIGNING_KEY`` or the development key file.

    Raises ``ConfigurationError`` in production when ``AUTH_SIGNING_KEY`` is unset,
    and whenever the key is shorter than 32 characters.
    """
    key = settings.auth_signing_key
    if key:
        _check_length(key, "AUTH_SIGNING_KEY")
        return key
    if settings.is_production:
        raise ConfigurationError(
            "AUTH_SIGNING_KEY is not set; ICARA_ENV=production requires it. Set it "
            "from your secret store, for example to the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    return _development_key(signing_key_path(settings))


def _check_length(key: str, source: str) -> None:
    if len(key) < MIN_SIGNING_KEY_CHARACTERS:
        raise ConfigurationError(
            f"{source} has {len(key)} characters; use a random value of at least "
            f"{MIN_SIGNING_KEY_CHARACTERS} characters."
        )


def _development_key(path: Path) -> str:
    """Read the development key at ``path``, creating it on first use."""
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        _check_length(key, str(path))
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as key_file:
        key_file.write(key)
    # os.link fails when the key file exists, so two processes starting at the
    # same moment both end up with the key written by whichever linked first.
    try:
        os.link(temporary, path)
    except FileExistsError:
        return _development_key(path)
    finally:
        temporary.unlink()
    logger.warning(
        "AUTH_SIGNING_KEY is not set; generated a random development key in %s. "
        "Set AUTH_SIGNING_KEY before running with ICARA_ENV=production.",
        path,
    )
    return key
