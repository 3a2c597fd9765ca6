"""Golden worked cases for the core calculators, run through each ``run()``.

The cases in tests/fixtures/mifidpru.json were derived by hand from the rule each
one cites; money is compared to 0.01 GBP.
"""

import json
from pathlib import Path

import pytest

from calc.errors import CalculationInputError
from calc.registry import get_calculator

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mifidpru.json"
CALCULATORS = {"pmr", "fixed_overheads", "k_aum", "k_cmh", "k_coh", "k_cmg", "sni"}
CASES = [
    case
    for case in json.loads(FIXTURE.read_text("utf-8"))["cases"]
    if case["calculator"] in CALCULATORS
]


def test_golden_cases_cover_every_calculator() -> None:
    assert {case["calculator"] for case in CASES} == CALCULATORS


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_golden_case(case: dict) -> None:
    calculator = get_calculator(case["calculator"])
    expected = case["expected"]
    if "error" in expected:
        with pytest.raises(CalculationInputError):
            calculator(case["inputs"])
        return
    result = calculator(case["inputs"])
    chapter = ".".join(case["rule"].split()[1].split(".")[:2])
    assert result.rule.startswith(f"MIFIDPRU {chapter}"), case["rule"]
    for name, value in expected.items():
        actual = result.figures.get(name)
        if isinstance(value, bool | list | str):
            assert actual == value, f"{case['id']} {name} ({case['rule']})"
        else:
            assert actual == pytest.approx(value, abs=0.01), (
                f"{case['id']} {name} ({case['rule']})"
            )
