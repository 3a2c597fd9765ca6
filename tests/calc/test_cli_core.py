"""``python -m calc`` on a core calculator: JSON out, exit status 2 on bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "fixtures" / "examples"


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "calc", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_k_aum_prints_result_json() -> None:
    # MIFIDPRU 4.7.5R example: the mean of 12 month-ends x 0.02%.
    completed = _run("k_aum", str(EXAMPLES / "k_aum.json"))
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["calculator"] == "k_aum"
    assert result["rule"] == "MIFIDPRU 4.7.5R"
    assert result["value"] == pytest.approx(130_000.0)
    assert result["rules_version"].startswith("FCA Handbook MIFIDPRU")


def test_cli_bad_input_exits_2_naming_field() -> None:
    bad = {"calculation_date": "2026-12-01", "month_end_aum_gbp": {"2026-01": -1}}
    completed = _run("k_aum", "-", stdin=json.dumps(bad))
    assert completed.returncode == 2
    assert "month_end_aum_gbp.2026-01" in completed.stderr
    assert completed.stdout == ""


@pytest.mark.parametrize(
    "name",
    [
        "pmr",
        "fixed_overheads",
        "k_aum",
        "k_cmh",
        "k_asa",
        "k_coh",
        "k_dtf",
        "k_npr",
        "k_cmg",
        "k_factor_requirement",
        "sni",
    ],
)
def test_cli_examples_run(name: str) -> None:
    from calc.registry import get_calculator

    inputs = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    result = get_calculator(name)(inputs)
    assert result.calculator == name
    assert result.to_dict()["inputs"]
