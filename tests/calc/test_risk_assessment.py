"""Risk register, heat map and harm capital aggregation, MIFIDPRU 7.4 and 7.6.2R."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    InvalidCorrelationMatrixError,
    UnknownChoiceError,
)
from calc.risk_assessment import (
    aggregate_harm_capital,
    run,
    validate_correlation_matrix,
)

RISKS = [
    {
        "id": "R1",
        "title": "Key person loss",
        "category": "operational",
        "likelihood": 4,
        "impact": 5,
        "velocity": "fast",
        "control_effectiveness": "strong",
        "harm_capital_gbp": 300,
    },
    {
        "id": "R2",
        "title": "Client complaint redress",
        "category": "harm_to_clients",
        "likelihood": 3,
        "impact": 2,
        "velocity": "slow",
        "control_effectiveness": "moderate",
        "harm_capital_gbp": 400,
    },
    {
        "id": "R3",
        "title": "Cyber attack",
        "category": "operational",
        "likelihood": 5,
        "impact": 5,
        "control_effectiveness": "very_strong",
    },
]


def _matrix(rho: float) -> dict:
    return {"risk_ids": ["R1", "R2"], "matrix": [[1, rho], [rho, 1]]}


def test_gross_and_residual_scores_7_4_13r():
    register = {row["id"]: row for row in run({"risks": RISKS}).figures["register"]}
    assert register["R1"]["gross_score"] == 20
    assert register["R1"]["gross_rating"] == "critical"
    # 4 x (1 - 0.6) = 1.6 rounds to 2; residual 2 x 5.
    assert register["R1"]["residual_score"] == 10
    assert register["R1"]["residual_rating"] == "high"
    assert register["R2"]["residual_likelihood"] == 2
    assert register["R2"]["residual_rating"] == "low"
    assert register["R3"]["residual_likelihood"] == 1


def test_heat_map_counts_and_ids_7_4_13r():
    figures = run({"risks": RISKS}).figures
    gross = figures["gross_heat_map"]
    assert len(gross) == 5
    assert all(len(row) == 5 for row in gross)
    assert gross[4][3]["risk_ids"] == ["R1"]
    assert gross[4][4]["count"] == 1
    residual = figures["residual_heat_map"]
    assert residual[4][1]["risk_ids"] == ["R1"]
    assert residual[4][0]["risk_ids"] == ["R3"]
    assert sum(cell["count"] for row in residual for cell in row) == 3


def test_no_matrix_means_plain_sum_7_6_2r():
    result = run({"risks": RISKS})
    assert result.value == pytest.approx(700)
    assert len(result.readings) == 2


def test_zero_correlation_root_sum_squares_7_6_2r():
    result = run({"risks": RISKS, "correlation": _matrix(0)})
    assert result.value == pytest.approx(500)
    assert result.figures["diversification_benefit_gbp"] == pytest.approx(200)


def test_full_double_sum_not_half_7_6_2r():
    result = run({"risks": RISKS, "correlation": _matrix(0.5)})
    full = math.sqrt(300**2 + 400**2 + 2 * 0.5 * 300 * 400)
    half = math.sqrt(300**2 + 400**2 + 0.5 * 300 * 400)
    assert result.value == pytest.approx(full)
    assert result.value != pytest.approx(half)
    assert result.value == pytest.approx(math.sqrt(370_000))


def test_double_sum_matches_quadratic_form_7_6_2r():
    capital = [100.0, 250.0, 75.0]
    rho = np.array([[1, 0.3, -0.2], [0.3, 1, 0.4], [-0.2, 0.4, 1]])
    expected = math.sqrt(np.array(capital) @ rho @ np.array(capital))
    assert aggregate_harm_capital(capital, rho) == pytest.approx(expected)


capitals = st.lists(
    st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=8
)


@given(capitals)
def test_correlation_one_gives_sum_7_6_2r(capital):
    ones = np.ones((len(capital), len(capital)))
    assert aggregate_harm_capital(capital, ones) == pytest.approx(
        sum(capital), rel=1e-9, abs=1e-6
    )


@given(capitals)
def test_correlation_zero_root_sum_squares_7_6_2r(capital):
    identity = np.eye(len(capital))
    expected = math.sqrt(sum(value**2 for value in capital))
    assert aggregate_harm_capital(capital, identity) == pytest.approx(
        expected, rel=1e-9, abs=1e-6
    )


@pytest.mark.parametrize(
    ("matrix", "problem"),
    [
        ([[1, 0.2]], "square"),
        ([[1, 0.2], [0.3, 1]], "symmetric"),
        ([[0.9, 0.2], [0.2, 1]], "diagonal"),
        ([[1, 1.5], [1.5, 1]], "outside"),
        ([[1, math.nan], [math.nan, 1]], "NaN"),
        ([[1, "a"], ["a", 1]], "numbers"),
    ],
)
def test_invalid_matrix_rejected_7_6_2r(matrix, problem):
    with pytest.raises(InvalidCorrelationMatrixError) as error:
        run(
            {
                "risks": RISKS,
                "correlation": {"risk_ids": ["R1", "R2"], "matrix": matrix},
            }
        )
    assert error.value.field == "correlation.matrix"
    assert problem in error.value.problem


def test_not_positive_semidefinite_rejected_7_6_2r():
    matrix = [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]
    with pytest.raises(InvalidCorrelationMatrixError) as error:
        validate_correlation_matrix(matrix, 3)
    assert "positive semidefinite" in error.value.problem


def test_matrix_ids_match_capital_7_6_2r():
    correlation = {"risk_ids": ["R1", "R3"], "matrix": [[1, 0], [0, 1]]}
    with pytest.raises(InconsistentInputError) as error:
        run({"risks": RISKS, "correlation": correlation})
    assert error.value.field == "correlation.risk_ids"


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("likelihood", 6, CalculationInputError),
        ("impact", 0, CalculationInputError),
        ("category", "weather", UnknownChoiceError),
        ("velocity", "instant", UnknownChoiceError),
        ("control_effectiveness", "excellent", UnknownChoiceError),
        ("harm_capital_gbp", -5, CalculationInputError),
        ("harm_capital_gbp", math.inf, CalculationInputError),
    ],
)
def test_invalid_risk_field_rejected_7_4_13r(field, value, error_type):
    risks = [dict(RISKS[0], **{field: value})]
    with pytest.raises(error_type) as error:
        run({"risks": risks})
    assert error.value.field == f"risks.0.{field}"


def test_duplicate_risk_ids_rejected_7_4_13r():
    with pytest.raises(InconsistentInputError):
        run({"risks": [RISKS[0], RISKS[0]]})
