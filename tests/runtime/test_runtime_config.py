"""Configuration loading: defaults, secrets.toml, validation messages, no leaks."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from runtime_helpers import new_key

from calc.rules import HANDBOOK_DATE, RULES_VERSION
from runtime.config import (
    VARIABLES,
    ConfigurationError,
    Settings,
    load_settings,
    mask_url,
)

ROOT = Path(__file__).resolve().parents[2]


def problems_of(environ: dict[str, str], **kwargs) -> list[str]:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(environ, **kwargs)
    return caught.value.problems


def test_defaults_without_variables(tmp_path):
    settings = load_settings({"ICARA_DATA_DIR": str(tmp_path)})

    assert settings.database_url == f"sqlite:///{tmp_path / 'icara.db'}"
    assert settings.uses_embedded_database
    assert settings.uses_embedded_cache
    assert settings.environment == "development"
    assert settings.cache_ttl_seconds == 3600
    assert settings.audit_retention_years == 7
    assert settings.session_idle_minutes == 30
    assert settings.session_idle_seconds is None
    assert settings.early_warning_ratio == pytest.approx(1.10)
    assert settings.log_level == "INFO"
    assert settings.log_format == "keyvalue"
    assert settings.rules_version == RULES_VERSION
    assert settings.encryption_key_previous == ()
    assert settings.app_database_url is None
    assert dict(settings.sources) == {"ICARA_DATA_DIR": "environment"}


def test_postgres_scheme_rewritten_to_psycopg():
    settings = load_settings({"DATABASE_URL": "postgres://app@db.internal:5432/icara"})

    assert settings.database_url == "postgresql+psycopg://app@db.internal:5432/icara"
    assert not settings.uses_embedded_database


def test_valid_values_accepted():
    key = new_key()
    previous = new_key()
    settings = load_settings(
        {
            "ICARA_ENV": "production",
            "DATABASE_URL": "postgresql+psycopg://owner:pw@db:5432/icara",
            "APP_DATABASE_URL": "postgresql://app:pw2@db:5432/icara",
            "REDIS_URL": "rediss://:pw3@cache:6380/2",
            "ENCRYPTION_KEY": key,
            "ENCRYPTION_KEY_PREVIOUS": f" {previous} ",
            "AUTH_SIGNING_KEY": "s" * 40,
            "CACHE_TTL_SECONDS": "600",
            "AUDIT_RETENTION_YEARS": "10",
            "SESSION_IDLE_MINUTES": "15",
            "SESSION_IDLE_SECONDS": "5",
            "EARLY_WARNING_RATIO": "125%",
            "RULES_VERSION": HANDBOOK_DATE,
            "LOG_LEVEL": "debug",
            "LOG_FORMAT": "JSON",
            "HEALTH_CHECK_TIMEOUT_SECONDS": "2",
        }
    )

    assert settings.is_production
    assert settings.app_database_url == "postgresql+psycopg://app:pw2@db:5432/icara"
    assert settings.redis_url == "rediss://:pw3@cache:6380/2"
    assert settings.encryption_key_previous == (previous,)
    assert settings.cache_ttl_seconds == 600
    assert settings.audit_retention_years == 10
    assert settings.session_idle_seconds == 5
    assert settings.early_warning_ratio == pytest.approx(1.25)
    assert settings.rules_version == RULES_VERSION
    assert settings.log_level == "DEBUG"
    assert settings.log_format == "json"
    assert settings.health_check_timeout_seconds == 2.0


def test_url_safe_key_accepted():
    # These bytes encode to "-" and "_", the two URL-safe base64 characters.
    key = base64.urlsafe_b64encode(b"\xfb\xff\xbf" * 10 + b"\xfb\xff").decode()

    settings = load_settings({"ENCRYPTION_KEY": key.rstrip("=")})

    assert "-" in key
    assert "_" in key
    assert settings.encryption_key == key.rstrip("=")


INVALID_CASES = [
    ("ICARA_ENV", "staging", "'development' or 'production'"),
    ("DATABASE_URL", "mysql://u@h/db", "PostgreSQL URL"),
    ("DATABASE_URL", "postgresql://u@db:5432", "names no database"),
    ("DATABASE_URL", "postgresql://u@:5432/icara", "names no host"),
    ("DATABASE_URL", "postgresql://u@db:notaport/icara", "invalid host or port"),
    ("REDIS_URL", "http://cache:6379", "redis://, rediss:// or unix://"),
    ("REDIS_URL", "redis://cache:6379/zero", "database number"),
    ("REDIS_URL", "redis://:6379/0", "names no host"),
    ("REDIS_URL", "redis://cache:port/0", "invalid port"),
    ("CACHE_TTL_SECONDS", "0", "from 1 to 604800"),
    ("CACHE_TTL_SECONDS", "an hour", "whole number"),
    ("AUDIT_RETENTION_YEARS", "3", "from 5 to 100"),
    ("SESSION_IDLE_MINUTES", "0", "from 1 to 720"),
    ("SESSION_IDLE_MINUTES", "1000", "from 1 to 720"),
    ("LOCKOUT_ATTEMPTS", "-1", "from 1 to 100"),
    ("LOCKOUT_MINUTES", "x", "whole number"),
    ("EARLY_WARNING_RATIO", "0.9", "between 1.0 and 3.0"),
    ("EARLY_WARNING_RATIO", "lots", "ratio such as 1.10"),
    ("RULES_VERSION", "2019-01-01", "not a known version"),
    ("LOG_LEVEL", "LOUD", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("LOG_FORMAT", "xml", "keyvalue or json"),
    ("HEALTH_CHECK_TIMEOUT_SECONDS", "0", "from 1 to 120"),
]


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    INVALID_CASES,
    ids=[f"{name}={value}" for name, value, _ in INVALID_CASES],
)
def test_invalid_value_names_variable(name, value, fragment):
    problems = problems_of({name: value})

    assert len(problems) == 1
    assert problems[0].startswith(name)
    assert fragment in problems[0]


def test_rules_version_message_lists_known_versions():
    problems = problems_of({"RULES_VERSION": "2019-01-01"})

    assert HANDBOOK_DATE in problems[0]


def test_every_problem_reported_at_once():
    with pytest.raises(ConfigurationError) as caught:
        load_settings(
            {
                "LOG_LEVEL": "LOUD",
                "CACHE_TTL_SECONDS": "0",
                "REDIS_URL": "http://cache",
            }
        )

    assert len(caught.value.problems) == 3
    message = str(caught.value)
    assert message.startswith("3 configuration problems")
    for variable in ("LOG_LEVEL", "CACHE_TTL_SECONDS", "REDIS_URL"):
        assert variable in message


SECRET = "Sup3r-Secret-Value-Do-Not-Print"


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({"ENCRYPTION_KEY": SECRET}, "ENCRYPTION_KEY"),
        ({"ENCRYPTION_KEY": "QUJD" + SECRET.replace("-", "")}, "ENCRYPTION_KEY"),
        (
            {"ENCRYPTION_KEY_PREVIOUS": f"{new_key()},{SECRET}"},
            "ENCRYPTION_KEY_PREVIOUS",
        ),
        ({"AUTH_SIGNING_KEY": SECRET[:20]}, "AUTH_SIGNING_KEY"),
        ({"DATABASE_URL": f"postgresql://app:{SECRET}@db:5432"}, "DATABASE_URL"),
        ({"DATABASE_URL": f"postgresql://app:{SECRET}@db:x/icara"}, "DATABASE_URL"),
        ({"REDIS_URL": f"redis://:{SECRET}@cache:6379/zero"}, "REDIS_URL"),
        ({"REDIS_URL": f"redis://:{SECRET}@cache:bad/0"}, "REDIS_URL"),
    ],
    ids=[
        "key-not-base64",
        "key-wrong-length",
        "previous-key",
        "signing-key-short",
        "database-password",
        "database-bad-port",
        "redis-password",
        "redis-bad-port",
    ],
)
def test_message_never_echoes_secret(environ, variable):
    problems = problems_of(environ)
    message = "\n".join(problems)

    assert variable in message
    assert SECRET not in message
    assert SECRET[:20] not in message
    assert SECRET.replace("-", "")[:12] not in message


def test_key_message_gives_fix():
    problems = problems_of({"ENCRYPTION_KEY": "QUJD"})

    assert "decodes to 3 bytes, expected 32" in problems[0]
    assert "os.urandom(32)" in problems[0]


def test_production_requires_keys():
    problems = problems_of({"ICARA_ENV": "production"})

    assert len(problems) == 1
    assert "ENCRYPTION_KEY and AUTH_SIGNING_KEY" in problems[0]


def test_app_database_url_needs_postgres():
    problems = problems_of({"APP_DATABASE_URL": "postgresql://app@db:5432/icara"})

    assert problems[0].startswith("APP_DATABASE_URL")
    assert "PostgreSQL DATABASE_URL" in problems[0]


def test_repr_hides_secrets():
    key = new_key()
    previous = new_key()
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql://owner:db-pass-123@db:5432/icara",
            "APP_DATABASE_URL": "postgresql://app:app-pass-456@db:5432/icara",
            "REDIS_URL": "redis://:redis-pass-789@cache:6379/0",
            "ENCRYPTION_KEY": key,
            "ENCRYPTION_KEY_PREVIOUS": previous,
            "AUTH_SIGNING_KEY": "signing-" + "x" * 30,
        }
    )
    text = repr(settings)

    for secret in (
        "db-pass-123",
        "app-pass-456",
        "redis-pass-789",
        key,
        previous,
        "signing-",
    ):
        assert secret not in text
    assert "owner:***@db:5432/icara" in text
    assert sorted(settings.secret_values()) == sorted(
        [
            key,
            previous,
            "signing-" + "x" * 30,
            "db-pass-123",
            "app-pass-456",
            "redis-pass-789",
        ]
    )


def test_mask_url_keeps_user_and_host():
    assert mask_url("postgresql://u:p@h:1/d") == "postgresql://u:***@h:1/d"
    assert mask_url("redis://cache:6379/0") == "redis://cache:6379/0"


def write_secrets(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_secrets_file_values_read(tmp_path):
    key = new_key()
    secrets = write_secrets(
        tmp_path / "secrets.toml",
        f'ENCRYPTION_KEY = "{key}"\nCACHE_TTL_SECONDS = 120\n'
        '[connections.sql]\nurl = "postgresql://app@db:5432/icara"\n'
        '[other]\nENCRYPTION_KEY = "ignored: not at the root"\n',
    )

    settings = load_settings({}, secrets_files=[secrets])

    assert settings.encryption_key == key
    assert settings.cache_ttl_seconds == 120
    assert settings.database_url == "postgresql+psycopg://app@db:5432/icara"
    assert settings.sources["ENCRYPTION_KEY"] == str(secrets)


def test_environment_wins_over_secrets_file(tmp_path):
    secrets = write_secrets(
        tmp_path / "secrets.toml", 'LOG_LEVEL = "DEBUG"\nLOG_FORMAT = "json"\n'
    )

    settings = load_settings(
        {"LOG_LEVEL": "WARNING", "LOG_FORMAT": ""}, secrets_files=[secrets]
    )

    assert settings.log_level == "WARNING"
    assert settings.sources["LOG_LEVEL"] == "environment"
    # An empty environment variable leaves the file's value in place.
    assert settings.log_format == "json"


def test_later_secrets_file_wins(tmp_path):
    first = write_secrets(tmp_path / "a" / "secrets.toml", 'LOG_LEVEL = "DEBUG"\n')
    second = write_secrets(tmp_path / "b" / "secrets.toml", 'LOG_LEVEL = "ERROR"\n')

    settings = load_settings({}, secrets_files=[first, second])

    assert settings.log_level == "ERROR"


def test_secrets_file_chosen_by_variable(tmp_path):
    secrets = write_secrets(tmp_path / "s.toml", "SESSION_IDLE_MINUTES = 45\n")

    settings = load_settings({"ICARA_SECRETS_FILE": str(secrets)})

    assert settings.session_idle_minutes == 45


def test_missing_secrets_file_named(tmp_path):
    missing = tmp_path / "nowhere.toml"

    problems = problems_of({"ICARA_SECRETS_FILE": str(missing)})

    assert problems[0].startswith("ICARA_SECRETS_FILE")
    assert str(missing) in problems[0]


def test_invalid_toml_names_file_not_content(tmp_path):
    secrets = write_secrets(
        tmp_path / "secrets.toml", f'AUTH_SIGNING_KEY = "{SECRET}\nbroken = \n'
    )

    problems = problems_of({}, secrets_files=[secrets])

    assert str(secrets) in problems[0]
    assert "not valid TOML" in problems[0]
    assert SECRET not in problems[0]


def test_secrets_file_table_value_rejected(tmp_path):
    secrets = write_secrets(tmp_path / "secrets.toml", "[REDIS_URL]\nhost = 'x'\n")

    problems = problems_of({}, secrets_files=[secrets])

    assert problems[0].startswith("REDIS_URL")


def test_invalid_secrets_file_value_names_variable(tmp_path):
    secrets = write_secrets(tmp_path / "secrets.toml", f'ENCRYPTION_KEY = "{SECRET}"\n')

    problems = problems_of({}, secrets_files=[secrets])

    assert problems[0].startswith("ENCRYPTION_KEY")
    assert SECRET not in problems[0]


def test_explicit_environ_skips_default_secrets_files(tmp_path, monkeypatch):
    home = tmp_path / "home"
    write_secrets(home / ".streamlit" / "secrets.toml", 'LOG_LEVEL = "ERROR"\n')
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)

    assert load_settings({}).log_level == "INFO"


def test_example_secrets_file_rejected_until_filled():
    example = ROOT / ".streamlit" / "secrets.toml.example"

    problems = problems_of({}, secrets_files=[example])

    joined = "\n".join(problems)
    assert "ENCRYPTION_KEY" in joined
    assert "AUTH_SIGNING_KEY" in joined
    assert "CHANGE-ME" not in joined


def test_settings_still_constructible_with_original_fields(tmp_path):
    settings = Settings(
        database_url="sqlite://",
        redis_url=None,
        encryption_key=None,
        auth_signing_key=None,
        environment="development",
        data_dir=tmp_path,
        cache_ttl_seconds=1,
        audit_retention_years=7,
        session_idle_minutes=30,
        lockout_attempts=5,
        lockout_minutes=15,
        early_warning_ratio=1.1,
        log_level="INFO",
    )

    assert settings.log_format == "keyvalue"
    assert settings.encryption_key_previous == ()


def test_configuration_doc_lists_every_variable():
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", text, flags=re.MULTILINE))

    assert documented == set(VARIABLES)
