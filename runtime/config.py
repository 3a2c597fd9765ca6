"""Configuration from environment variables, validated once at start.

With no variables set the app runs on the embedded default: a SQLite file under
``data/`` and an in-process cache. Every variable is listed in the README.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


class ConfigurationError(RuntimeError):
    """A configuration variable is missing or invalid; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Validated configuration.

    Attributes
    ----------
    database_url : str
        SQLAlchemy URL; ``sqlite:///data/icara.db`` when ``DATABASE_URL`` is unset.
    redis_url : str or None
        Redis URL, or ``None`` for the in-process cache.
    encryption_key : str or None
        Base64 of the 32-byte master key (``ENCRYPTION_KEY``); ``None`` lets the
        embedded default generate a key file, and stops a production start.
    auth_signing_key : str or None
        Secret that signs session cookies (``AUTH_SIGNING_KEY``).
    environment : str
        ``"development"`` or ``"production"`` (``ICARA_ENV``).
    data_dir : Path
        Folder for the SQLite file and the generated key file (``ICARA_DATA_DIR``).
    cache_ttl_seconds : int
        Lifetime of a cached result in Redis (``CACHE_TTL_SECONDS``).
    audit_retention_years : int
        How long audit rows are kept before the purge command may remove them.
    session_idle_minutes : int
        Idle time after which a login session ends (``SESSION_IDLE_MINUTES``).
    lockout_attempts : int
        Wrong passwords in a row that lock an account (``LOCKOUT_ATTEMPTS``).
    lockout_minutes : int
        How long a locked account stays locked (``LOCKOUT_MINUTES``).
    early_warning_ratio : float
        Own funds as a share of the own funds threshold requirement below which
        the early warning shows (``EARLY_WARNING_RATIO``, 1.10 for 110%).
    log_level : str
        Standard logging level name (``LOG_LEVEL``).
    """

    database_url: str
    redis_url: str | None
    encryption_key: str | None
    auth_signing_key: str | None
    environment: str
    data_dir: Path
    cache_ttl_seconds: int
    audit_retention_years: int
    session_idle_minutes: int
    lockout_attempts: int
    lockout_minutes: int
    early_warning_ratio: float
    log_level: str

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def uses_embedded_cache(self) -> bool:
        return self.redis_url is None


def _integer(environ: dict[str, str], name: str, default: int, minimum: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(
            f"{name} must be a whole number, got {raw!r}; unset it to use {default}."
        ) from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {value}.")
    return value


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read and validate the configuration from ``environ`` (default ``os.environ``).

    Raises ``ConfigurationError`` naming the variable and the fix.
    """
    env = dict(os.environ if environ is None else environ)

    environment = env.get("ICARA_ENV", "development").strip().lower() or "development"
    if environment not in {"development", "production"}:
        raise ConfigurationError(
            f"ICARA_ENV must be 'development' or 'production', got {environment!r}."
        )

    data_dir = Path(env.get("ICARA_DATA_DIR", "") or DEFAULT_DATA_DIR)
    database_url = env.get("DATABASE_URL", "").strip()
    if not database_url:
        database_url = f"sqlite:///{data_dir / 'icara.db'}"
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    elif database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    if not database_url.startswith(("sqlite", "postgresql+psycopg://")):
        raise ConfigurationError(
            "DATABASE_URL must be a PostgreSQL URL "
            "(postgresql+psycopg://user@host:5432/db) or a SQLite URL; "
            f"got a URL starting {database_url.split(':', 1)[0]!r}."
        )

    redis_url = env.get("REDIS_URL", "").strip() or None
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError(
            "REDIS_URL must start with redis://, rediss:// or unix://; "
            "unset it to use the in-process cache."
        )

    raw_ratio = env.get("EARLY_WARNING_RATIO", "").strip()
    try:
        early_warning_ratio = float(raw_ratio) if raw_ratio else 1.10
    except ValueError:
        raise ConfigurationError(
            f"EARLY_WARNING_RATIO must be a number such as 1.10, got {raw_ratio!r}."
        ) from None
    if not 1.0 <= early_warning_ratio <= 3.0:
        raise ConfigurationError(
            "EARLY_WARNING_RATIO must be between 1.0 and 3.0 "
            f"(1.10 means 110% of the threshold), got {early_warning_ratio}."
        )

    log_level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ConfigurationError(
            "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, "
            f"got {log_level!r}."
        )

    settings = Settings(
        database_url=database_url,
        redis_url=redis_url,
        encryption_key=env.get("ENCRYPTION_KEY", "").strip() or None,
        auth_signing_key=env.get("AUTH_SIGNING_KEY", "").strip() or None,
        environment=environment,
        data_dir=data_dir,
        cache_ttl_seconds=_integer(env, "CACHE_TTL_SECONDS", 3600, 1),
        audit_retention_years=_integer(env, "AUDIT_RETENTION_YEARS", 7, 1),
        session_idle_minutes=_integer(env, "SESSION_IDLE_MINUTES", 30, 1),
        lockout_attempts=_integer(env, "LOCKOUT_ATTEMPTS", 5, 1),
        lockout_minutes=_integer(env, "LOCKOUT_MINUTES", 15, 1),
        early_warning_ratio=early_warning_ratio,
        log_level=log_level,
    )
    if settings.is_production:
        missing = [
            name
            for name, value in (
                ("ENCRYPTION_KEY", settings.encryption_key),
                ("AUTH_SIGNING_KEY", settings.auth_signing_key),
            )
            if not value
        ]
        if missing:
            raise ConfigurationError(
                f"ICARA_ENV=production requires {' and '.join(missing)}; "
                "set them from your secret store (see README)."
            )
    return settings
