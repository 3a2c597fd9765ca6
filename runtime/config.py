"""Configuration from environment variables and ``secrets.toml``, validated at start.

With no variables set the app runs on the embedded default: a SQLite file under
``data/`` and an in-process cache. ``docs/configuration.md`` lists every variable
with its default and meaning.

Values come from, in order of precedence:

1. the process environment;
2. root-level keys of Streamlit's ``secrets.toml`` with the same names
   (``DATABASE_URL = "..."``), and ``url`` under ``[connections.sql]`` for
   ``DATABASE_URL``;
3. the defaults below.

Every problem found is reported at once in one ``ConfigurationError`` whose lines
each name the variable, the expected shape and the fix. Messages never contain
the value of a secret, and URLs appear with their password masked.
"""

from __future__ import annotations

import base64
import binascii
import os
import tomllib
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

ENCRYPTION_KEY_BYTES = 32
MINIMUM_SIGNING_KEY_LENGTH = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("keyvalue", "json")

# Variables whose values are secrets: never shown in messages or logs.
SECRET_VARIABLES = frozenset(
    {"ENCRYPTION_KEY", "ENCRYPTION_KEY_PREVIOUS", "AUTH_SIGNING_KEY"}
)

# name -> (default as shown to operators, meaning). docs/configuration.md and
# the tests check that the two stay in step.
VARIABLES: dict[str, tuple[str, str]] = {
    "ICARA_ENV": ("development", "development or production"),
    "ICARA_DATA_DIR": ("data/", "folder for the SQLite file and generated key file"),
    "ICARA_SECRETS_FILE": ("(unset)", "path of a secrets.toml to read instead"),
    "DATABASE_URL": ("sqlite:///data/icara.db", "SQLAlchemy URL of the database"),
    "APP_DATABASE_URL": (
        "(unset: DATABASE_URL)",
        "URL of the application role that row-level security applies to",
    ),
    "REDIS_URL": ("(unset: in-process cache)", "Redis URL of the shared cache"),
    "ENCRYPTION_KEY": ("(unset)", "base64 of the 32-byte data encryption key"),
    "ENCRYPTION_KEY_PREVIOUS": (
        "(unset)",
        "comma-separated older keys still accepted while rotating",
    ),
    "AUTH_SIGNING_KEY": ("(unset)", "secret that signs session cookies"),
    "CACHE_TTL_SECONDS": ("3600", "lifetime of a cached result"),
    "AUDIT_RETENTION_YEARS": ("7", "years audit rows are kept"),
    "SESSION_IDLE_MINUTES": ("30", "idle time that ends a login session"),
    "SESSION_IDLE_SECONDS": ("(unset)", "idle time in seconds; overrides minutes"),
    "LOCKOUT_ATTEMPTS": ("5", "wrong passwords in a row that lock an account"),
    "LOCKOUT_MINUTES": ("15", "how long a locked account stays locked"),
    "EARLY_WARNING_RATIO": ("1.10", "own funds / threshold that raises the warning"),
    "RULES_VERSION": ("latest known", "Handbook version the calculators follow"),
    "LOG_LEVEL": ("INFO", "lowest level written to the log"),
    "LOG_FORMAT": ("keyvalue", "keyvalue or json, one line per event"),
    "HEALTH_CHECK_TIMEOUT_SECONDS": ("5", "time limit of each health check"),
}

# Inclusive bounds: (minimum, maximum, default).
CACHE_TTL_BOUNDS = (1, 7 * 24 * 3600, 3600)
# MiFID investment firms keep records for at least five years, so a shorter
# retention is rejected. NOTE: the rule reference behind the five years (SYSC 9
# and the MiFID Org Regulation) was not checked against the Handbook text here.
AUDIT_RETENTION_BOUNDS = (5, 100, 7)
SESSION_IDLE_BOUNDS = (1, 720, 30)
SESSION_IDLE_SECONDS_BOUNDS = (1, 720 * 60, 0)
LOCKOUT_ATTEMPTS_BOUNDS = (1, 100, 5)
LOCKOUT_MINUTES_BOUNDS = (1, 1440, 15)
HEALTH_TIMEOUT_BOUNDS = (1, 120, 5)
EARLY_WARNING_BOUNDS = (1.0, 3.0, 1.10)


class ConfigurationError(RuntimeError):
    """A configuration variable is missing or invalid; the message names it.

    ``problems`` contains one line per invalid variable, in the order checked.
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{len(self.problems)} configuration problems:\n" + "\n".join(
                f"- {problem}" for problem in self.problems
            )
        super().__init__(message)


@dataclass(frozen=True, repr=False)
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
    rules_version : str
        Full name of the Handbook version the calculators follow
        (``RULES_VERSION``); the calculators' own version when unset.
    log_format : str
        ``"keyvalue"`` or ``"json"`` (``LOG_FORMAT``).
    health_check_timeout_seconds : float
        Time limit of each health check (``HEALTH_CHECK_TIMEOUT_SECONDS``).
    app_database_url : str or None
        URL the app connects with on PostgreSQL (``APP_DATABASE_URL``): the
        application role that row-level security applies to, while
        ``database_url`` is the owner's URL used by migrations. ``None`` means
        the app uses ``database_url`` too.
    encryption_key_previous : tuple of str
        Older master keys (``ENCRYPTION_KEY_PREVIOUS``, comma-separated) that
        still unwrap data keys while ``python -m storage rotate-keys`` runs.
    session_idle_seconds : int or None
        Idle timeout in seconds (``SESSION_IDLE_SECONDS``); overrides
        ``session_idle_minutes`` when set, for timeouts under a minute.
    sources : Mapping
        Where each variable that was set came from: ``"environment"`` or the
        path of the ``secrets.toml`` file. Unset variables are absent.
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
    rules_version: str = ""
    log_format: str = "keyvalue"
    health_check_timeout_seconds: float = 5.0
    app_database_url: str | None = None
    encryption_key_previous: tuple[str, ...] = ()
    session_idle_seconds: int | None = None
    sources: Mapping[str, str] = field(
        default_factory=lambda: types.MappingProxyType({}), compare=False
    )

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def uses_embedded_cache(self) -> bool:
        return self.redis_url is None

    def __repr__(self) -> str:
        # Keys are shown only as set or unset, and URL passwords are masked,
        # so that a logged or displayed Settings object leaks no secret.
        shown = []
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name in {"encryption_key", "auth_signing_key"}:
                text = "'***'" if value else "None"
            elif item.name == "encryption_key_previous":
                text = repr(tuple("***" for _ in value))
            elif item.name in {"database_url", "app_database_url", "redis_url"} and (
                value
            ):
                text = repr(mask_url(value))
            elif item.name == "sources":
                text = repr(dict(value))
            else:
                text = repr(value)
            shown.append(f"{item.name}={text}")
        return f"Settings({', '.join(shown)})"

    def secret_values(self) -> list[str]:
        """Return the secret strings in these settings, for log redaction.

        These are the encryption and signing keys and the passwords inside
        ``database_url`` and ``redis_url``.
        """
        values = [self.encryption_key, self.auth_signing_key]
        values.extend(self.encryption_key_previous)
        values.append(url_password(self.database_url))
        if self.app_database_url:
            values.append(url_password(self.app_database_url))
        if self.redis_url:
            values.append(url_password(self.redis_url))
        return [value for value in values if value]


def url_password(url: str) -> str | None:
    """Return the password part of ``url``, or ``None`` when it has none."""
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def mask_url(url: str) -> str:
    """Return ``url`` with its password replaced by ``***``.

    A URL that cannot be parsed is reduced to its scheme, since the rest may
    hold a password in a shape the parser did not recognise.
    """
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url.split(":", 1)[0] + "://…"
    if not password:
        return url
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return parts._replace(netloc=f"{user}:***@{hostinfo}").geturl()


def default_secrets_files() -> list[Path]:
    """Return the ``secrets.toml`` paths Streamlit reads, lowest precedence first.

    Streamlit 1.67 reads ``~/.streamlit/secrets.toml`` and then
    ``.streamlit/secrets.toml`` in the working folder. The project's own
    ``.streamlit`` folder is added for commands run from another folder.
    """
    candidates = [
        Path.home() / ".streamlit" / "secrets.toml",
        PROJECT_ROOT / ".streamlit" / "secrets.toml",
        Path.cwd() / ".streamlit" / "secrets.toml",
    ]
    unique: list[Path] = []
    for path in candidates:
        if path.resolve() not in [seen.resolve() for seen in unique]:
            unique.append(path)
    return unique


def read_secrets_files(paths: Sequence[Path]) -> tuple[dict[str, str], dict[str, str]]:
    """Read the known variables from ``secrets.toml`` files.

    Returns the values and, for each, the file it came from. A later file wins
    over an earlier one. Files that do not exist are skipped. Keys other than
    the variables in ``VARIABLES`` are left for the app's own ``st.secrets``.
    """
    values: dict[str, str] = {}
    origins: dict[str, str] = {}
    for path in paths:
        if not path.is_file():
            continue
        try:
            with path.open("rb") as handle:
                document = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            # The decoder's message gives a line and column, never the text.
            raise ConfigurationError(
                f"{path} is not valid TOML ({error}); fix the file or remove it."
            ) from None
        except OSError as error:
            raise ConfigurationError(
                f"{path} cannot be read ({error.strerror}); check its permissions."
            ) from None

        found: dict[str, object] = {
            name: document[name] for name in VARIABLES if name in document
        }
        connections = document.get("connections")
        if isinstance(connections, dict) and "DATABASE_URL" not in found:
            sql = connections.get("sql")
            if isinstance(sql, dict) and "url" in sql:
                found["DATABASE_URL"] = sql["url"]

        for name, value in found.items():
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise ConfigurationError(
                    f"{name} in {path} must be a string or a number; "
                    'write it as NAME = "value" at the top of the file.'
                )
            values[name] = str(value)
            origins[name] = str(path)
    return values, origins


def _parse_integer(
    problems: list[str], env: Mapping[str, str], name: str, bounds: tuple[int, int, int]
) -> int:
    minimum, maximum, default = bounds
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems.append(
            f"{name} must be a whole number from {minimum} to {maximum}, "
            f"got {raw!r}; unset it to use {default}."
        )
        return default
    if not minimum <= value <= maximum:
        problems.append(
            f"{name} must be from {minimum} to {maximum}, got {value}; "
            f"unset it to use {default}."
        )
        return default
    return value


def _parse_database_url(problems: list[str], raw: str, data_dir: Path) -> str:
    if not raw:
        return f"sqlite:///{data_dir / 'icara.db'}"
    url = raw
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith("sqlite"):
        if not url.startswith("sqlite://"):
            problems.append(
                "DATABASE_URL for SQLite must look like sqlite:///path/to/file.db, "
                f"got {mask_url(url)!r}."
            )
        return url
    if not url.startswith("postgresql+psycopg://"):
        problems.append(
            "DATABASE_URL must be a PostgreSQL URL "
            "(postgresql+psycopg://user:password@host:5432/database) or a SQLite "
            f"URL; got a URL starting {url.split(':', 1)[0]!r}."
        )
        return url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        problems.append(
            "DATABASE_URL has an invalid host or port; expected "
            "postgresql+psycopg://user:password@host:5432/database."
        )
        return url
    database = parts.path.lstrip("/")
    if not parts.hostname and "host=" not in parts.query:
        problems.append(
            f"DATABASE_URL {mask_url(url)!r} names no host; expected "
            "postgresql+psycopg://user:password@host:5432/database."
        )
    if not database:
        problems.append(
            f"DATABASE_URL {mask_url(url)!r} names no database; add /DATABASE "
            "after the host and port."
        )
    if port == 0:
        problems.append(f"DATABASE_URL {mask_url(url)!r} has port 0.")
    return url


def _parse_app_database_url(
    problems: list[str], raw: str, database_url: str
) -> str | None:
    if not raw:
        return None
    found: list[str] = []
    url = _parse_database_url(found, raw, DEFAULT_DATA_DIR)
    problems.extend(
        problem.replace("DATABASE_URL", "APP_DATABASE_URL", 1) for problem in found
    )
    if url.startswith("sqlite") or not database_url.startswith("postgresql"):
        problems.append(
            "APP_DATABASE_URL is for PostgreSQL with row-level security and needs "
            "a PostgreSQL DATABASE_URL too; unset it when using SQLite."
        )
    return url


def _parse_redis_url(problems: list[str], raw: str) -> str | None:
    if not raw:
        return None
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        problems.append(
            "REDIS_URL must start with redis://, rediss:// or unix:// "
            "(redis://host:6379/0); unset it to use the in-process cache."
        )
        return raw
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        problems.append(
            f"REDIS_URL {mask_url(raw)!r} has an invalid port; "
            "expected redis://host:6379/0."
        )
        return raw
    if parts.scheme == "unix":
        if not parts.path:
            problems.append(
                "REDIS_URL with unix:// must give the socket path, "
                "e.g. unix:///run/redis.sock?db=0."
            )
        return raw
    if not parts.hostname:
        problems.append(
            f"REDIS_URL {mask_url(raw)!r} names no host; expected redis://host:6379/0."
        )
    database = parts.path.lstrip("/")
    if database and not database.isdigit():
        problems.append(
            f"REDIS_URL {mask_url(raw)!r} must end with a database number "
            "such as /0, or with no path."
        )
    return raw


def decode_encryption_key(value: str) -> bytes:
    """Decode ``ENCRYPTION_KEY`` (standard or URL-safe base64) into 32 bytes.

    Raises ``ConfigurationError`` without quoting the value.
    """
    text = value.strip().replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    generate = (
        'generate one with: python -c "import base64, os; '
        'print(base64.b64encode(os.urandom(32)).decode())"'
    )
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(
            "ENCRYPTION_KEY is not valid base64; expected 44 characters of "
            f"base64 encoding {ENCRYPTION_KEY_BYTES} random bytes; {generate}."
        ) from None
    if len(key) != ENCRYPTION_KEY_BYTES:
        raise ConfigurationError(
            f"ENCRYPTION_KEY decodes to {len(key)} bytes, expected "
            f"{ENCRYPTION_KEY_BYTES}; {generate}."
        )
    return key


def known_rules_versions() -> dict[str, str]:
    """Return the accepted ``RULES_VERSION`` values mapped to their full names.

    Both the Handbook date (``2026-04-06``) and the full name are accepted.
    """
    from calc import rules

    versions: dict[str, str] = {}
    listed = getattr(rules, "KNOWN_RULES_VERSIONS", None)
    if isinstance(listed, Mapping):
        for short_name, full_name in listed.items():
            versions[str(short_name)] = str(full_name)
            versions[str(full_name)] = str(full_name)
    versions[rules.HANDBOOK_DATE] = rules.RULES_VERSION
    versions[rules.RULES_VERSION] = rules.RULES_VERSION
    return versions


def _parse_early_warning(problems: list[str], raw: str) -> float:
    minimum, maximum, default = EARLY_WARNING_BOUNDS
    if not raw:
        return default
    text = raw.rstrip("%").strip()
    try:
        ratio = float(text)
    except ValueError:
        problems.append(
            "EARLY_WARNING_RATIO must be a ratio such as 1.10 or a percentage "
            f"such as 110%, got {raw!r}."
        )
        return default
    if raw.endswith("%"):
        ratio /= 100
    if not minimum <= ratio <= maximum:
        problems.append(
            f"EARLY_WARNING_RATIO must be between {minimum} and {maximum} "
            f"(1.10 means 110% of the threshold), got {ratio:g}."
        )
        return default
    return ratio


def _merge_sources(
    environ: Mapping[str, str], secrets: Mapping[str, str], origins: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    env = dict(secrets)
    sources = {name: origins[name] for name in secrets}
    for name, value in environ.items():
        if name in VARIABLES and value.strip() == "" and name in secrets:
            # An empty environment variable does not hide a secrets.toml value.
            continue
        env[name] = value
        if name in VARIABLES and value.strip():
            sources[name] = "environment"
    return env, sources


def _gather_variables(
    environ: Mapping[str, str] | None, secrets_files: Sequence[Path] | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Merge the environment over the secrets files; return values and sources."""
    base = dict(os.environ if environ is None else environ)
    if secrets_files is None:
        chosen = base.get("ICARA_SECRETS_FILE", "").strip()
        if chosen:
            if not Path(chosen).is_file():
                raise ConfigurationError(
                    f"ICARA_SECRETS_FILE names {chosen!r}, which does not exist; "
                    "fix the path or unset the variable."
                )
            secrets_files = [Path(chosen)]
        elif environ is None:
            secrets_files = default_secrets_files()
        else:
            secrets_files = []
    secrets, origins = read_secrets_files(secrets_files)
    return _merge_sources(base, secrets, origins)


def _parse_keys(
    problems: list[str], env: Mapping[str, str]
) -> tuple[str | None, tuple[str, ...], str | None]:
    """Validate the encryption keys and the signing key without quoting them."""
    encryption_key = env.get("ENCRYPTION_KEY", "").strip() or None
    if encryption_key is not None:
        try:
            decode_encryption_key(encryption_key)
        except ConfigurationError as error:
            problems.extend(error.problems)

    previous_keys = tuple(
        part.strip()
        for part in env.get("ENCRYPTION_KEY_PREVIOUS", "").split(",")
        if part.strip()
    )
    for position, previous_key in enumerate(previous_keys, start=1):
        try:
            decode_encryption_key(previous_key)
        except ConfigurationError as error:
            problems.extend(
                problem.replace(
                    "ENCRYPTION_KEY", f"ENCRYPTION_KEY_PREVIOUS (key {position})", 1
                )
                for problem in error.problems
            )

    auth_signing_key = env.get("AUTH_SIGNING_KEY", "").strip() or None
    if auth_signing_key is not None and (
        len(auth_signing_key) < MINIMUM_SIGNING_KEY_LENGTH
    ):
        problems.append(
            f"AUTH_SIGNING_KEY must be at least {MINIMUM_SIGNING_KEY_LENGTH} "
            'characters; generate one with: python -c "import secrets; '
            'print(secrets.token_urlsafe(48))"'
        )
    return encryption_key, previous_keys, auth_signing_key


def _parse_logging(problems: list[str], env: Mapping[str, str]) -> tuple[str, str]:
    log_level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if log_level not in LOG_LEVELS:
        problems.append(
            f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}."
        )
        log_level = "INFO"

    log_format = env.get("LOG_FORMAT", "").strip().lower() or "keyvalue"
    if log_format not in LOG_FORMATS:
        problems.append(f"LOG_FORMAT must be keyvalue or json, got {log_format!r}.")
        log_format = "keyvalue"
    return log_level, log_format


def load_settings(
    environ: Mapping[str, str] | None = None,
    secrets_files: Sequence[Path] | None = None,
) -> Settings:
    """Read and validate the configuration.

    Parameters
    ----------
    environ : Mapping, optional
        Variables to read; ``os.environ`` when omitted.
    secrets_files : sequence of Path, optional
        ``secrets.toml`` files to read under the environment. When omitted they
        are ``ICARA_SECRETS_FILE`` if set, else Streamlit's usual paths, but
        only when ``environ`` is also omitted, so a test that passes its own
        variables is not affected by a developer's secrets file.

    Raises
    ------
    ConfigurationError
        Listing every invalid variable with the expected shape and the fix.
    """
    env, sources = _gather_variables(environ, secrets_files)
    problems: list[str] = []

    environment = env.get("ICARA_ENV", "").strip().lower() or "development"
    if environment not in {"development", "production"}:
        problems.append(
            f"ICARA_ENV must be 'development' or 'production', got {environment!r}."
        )

    data_dir = Path(env.get("ICARA_DATA_DIR", "").strip() or DEFAULT_DATA_DIR)
    if data_dir.exists() and not data_dir.is_dir():
        problems.append(
            f"ICARA_DATA_DIR {str(data_dir)!r} exists but is not a folder; "
            "point it at a folder or a path that does not exist yet."
        )

    database_url = _parse_database_url(
        problems, env.get("DATABASE_URL", "").strip(), data_dir
    )
    app_database_url = _parse_app_database_url(
        problems, env.get("APP_DATABASE_URL", "").strip(), database_url
    )
    redis_url = _parse_redis_url(problems, env.get("REDIS_URL", "").strip())

    encryption_key, previous_keys, auth_signing_key = _parse_keys(problems, env)

    early_warning_ratio = _parse_early_warning(
        problems, env.get("EARLY_WARNING_RATIO", "").strip()
    )

    log_level, log_format = _parse_logging(problems, env)
    rules_version = _parse_rules_version(problems, env.get("RULES_VERSION", ""))

    settings = Settings(
        database_url=database_url,
        redis_url=redis_url,
        encryption_key=encryption_key,
        auth_signing_key=auth_signing_key,
        environment=environment,
        data_dir=data_dir,
        cache_ttl_seconds=_parse_integer(
            problems, env, "CACHE_TTL_SECONDS", CACHE_TTL_BOUNDS
        ),
        audit_retention_years=_parse_integer(
            problems, env, "AUDIT_RETENTION_YEARS", AUDIT_RETENTION_BOUNDS
        ),
        session_idle_minutes=_parse_integer(
            problems, env, "SESSION_IDLE_MINUTES", SESSION_IDLE_BOUNDS
        ),
        lockout_attempts=_parse_integer(
            problems, env, "LOCKOUT_ATTEMPTS", LOCKOUT_ATTEMPTS_BOUNDS
        ),
        lockout_minutes=_parse_integer(
            problems, env, "LOCKOUT_MINUTES", LOCKOUT_MINUTES_BOUNDS
        ),
        early_warning_ratio=early_warning_ratio,
        log_level=log_level,
        rules_version=rules_version,
        log_format=log_format,
        health_check_timeout_seconds=float(
            _parse_integer(
                problems, env, "HEALTH_CHECK_TIMEOUT_SECONDS", HEALTH_TIMEOUT_BOUNDS
            )
        ),
        app_database_url=app_database_url,
        encryption_key_previous=previous_keys,
        session_idle_seconds=(
            _parse_integer(
                problems, env, "SESSION_IDLE_SECONDS", SESSION_IDLE_SECONDS_BOUNDS
            )
            or None
        ),
        sources=types.MappingProxyType(sources),
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
            problems.append(
                f"ICARA_ENV=production requires {' and '.join(missing)}; "
                "set the missing values from your secret store "
                "(see docs/configuration.md)."
            )

    if problems:
        raise ConfigurationError(problems)
    return settings


def _parse_rules_version(problems: list[str], raw: str) -> str:
    from calc.rules import RULES_VERSION as latest

    known = known_rules_versions()
    requested = raw.strip()
    if not requested:
        return latest
    if requested not in known:
        short_names = sorted(name for name in known if name not in known.values())
        problems.append(
            f"RULES_VERSION {requested!r} is not a known version; use one of "
            f"{', '.join(short_names)} or unset it to use the latest."
        )
        return latest
    return known[requested]
