"""Risk register, heat map and harm capital, MIFIDPRU 7.4 and 7.6.2R.

Scoring (house methodology, ``calc.rules``): likelihood and impact are whole
numbers from 1 to 5. Gross score = likelihood x impact (1 to 25). Controls reduce
the likelihood: residual likelihood = max(1, round-half-up(likelihood x (1 -
reduction))), where the reduction comes from the control effectiveness (none 0,
weak 0.2, moderate 0.4, strong 0.6, very strong 0.8). Residual score = residual
likelihood x impact. Velocity is recorded and shown but does not change a score.

Harm capital: each risk may carry the own funds the firm estimates for it, in
GBP. The aggregate uses the full double sum sqrt(sum_i sum_j rho_ij c_i c_j) over
a validated correlation matrix. Without a matrix every correlation is taken as 1,
which gives the plain sum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    InvalidCorrelationMatrixError,
)
from calc.own_funds import (
    prefix_field,
    read_amount,
    read_choice,
    read_count,
    read_list,
    read_mapping,
)
from calc.result import CalculationResult, Reading, Step
from calc.rules import (
    CONTROL_EFFECTIVENESS_REDUCTION,
    CORRELATION_TOLERANCE,
    RISK_RATING_BANDS,
    RISK_SCORE_SCALE_MAXIMUM,
)

RULE = "MIFIDPRU 7.4.13R, 7.6.2R"
CATEGORIES = (
    "harm_to_clients",
    "harm_to_markets",
    "harm_to_firm",
    "operational",
    "credit",
    "market",
    "liquidity",
    "concentration",
    "business_model",
    "conduct",
    "regulatory",
    "group",
    "other",
)
VELOCITIES = ("slow", "moderate", "fast", "very_fast")
CONTROL_LEVELS = tuple(CONTROL_EFFECTIVENESS_REDUCTION.value)


@dataclass(frozen=True)
class Risk:
    """One entry of the risk register; ``harm_capital_gbp`` is own funds, GBP."""

    risk_id: str
    title: str
    category: str
    likelihood: int
    impact: int
    velocity: str
    control_effectiveness: str
    harm_capital_gbp: float = 0.0

    @property
    def gross_score(self) -> int:
        """Likelihood x impact before controls, 1 to 25."""
        return self.likelihood * self.impact

    @property
    def residual_likelihood(self) -> int:
        """Likelihood after controls, at least 1."""
        reduction = CONTROL_EFFECTIVENESS_REDUCTION.value[self.control_effectiveness]
        reduced = Decimal(self.likelihood) * (Decimal(1) - Decimal(str(reduction)))
        return max(1, int(reduced.quantize(Decimal(1), rounding=ROUND_HALF_UP)))

    @property
    def residual_score(self) -> int:
        """Residual likelihood x impact, 1 to 25."""
        return self.residual_likelihood * self.impact


def rating(score: int) -> str:
    """Return the band name (low, medium, high, critical) of a 1-25 score."""
    for upper, name in RISK_RATING_BANDS.value:
        if score <= upper:
            return name
    raise ValueError(f"score {score} is above the scale")


def heat_map(risks: list[Risk], residual: bool) -> list[list[dict[str, Any]]]:
    """Return the 5 x 5 heat map: ``cells[impact - 1][likelihood - 1]``.

    Each cell contains ``likelihood``, ``impact``, ``score``, ``count`` and
    ``risk_ids`` (register order).
    """
    size = RISK_SCORE_SCALE_MAXIMUM.value
    cells = [
        [
            {
                "likelihood": likelihood,
                "impact": impact,
                "score": likelihood * impact,
                "count": 0,
                "risk_ids": [],
            }
            for likelihood in range(1, size + 1)
        ]
        for impact in range(1, size + 1)
    ]
    for risk in risks:
        likelihood = risk.residual_likelihood if residual else risk.likelihood
        cell = cells[risk.impact - 1][likelihood - 1]
        cell["count"] += 1
        cell["risk_ids"].append(risk.risk_id)
    return cells


def validate_correlation_matrix(
    matrix: Any, size: int, field: str = "correlation.matrix"
) -> np.ndarray:
    """Check a correlation matrix and return it as a float array.

    Raises
    ------
    InvalidCorrelationMatrixError
        Unless the matrix is ``size`` x ``size``, finite, symmetric, has a unit
        diagonal, entries in [-1, 1] and no eigenvalue below ``-tolerance``
        (positive semidefinite).
    """
    tolerance = CORRELATION_TOLERANCE.value
    fix = (
        "Enter a symmetric matrix of correlations with 1 on the diagonal, "
        "one row per risk with harm capital."
    )
    if isinstance(matrix, list | tuple) and any(
        isinstance(entry, bool)
        for row in matrix
        for entry in (row if isinstance(row, list | tuple) else [row])
    ):
        raise InvalidCorrelationMatrixError(
            field, matrix, "contains true or false where a number is needed", fix
        )
    try:
        array = np.array(matrix, dtype=float)
    except (TypeError, ValueError, OverflowError) as error:
        raise InvalidCorrelationMatrixError(
            field, matrix, f"is not a matrix of numbers ({error})", fix
        ) from error
    if array.ndim != 2 or array.shape != (size, size):
        raise InvalidCorrelationMatrixError(
            field, matrix, f"is not square of size {size}", fix
        )
    if not np.all(np.isfinite(array)):
        raise InvalidCorrelationMatrixError(
            field, matrix, "contains NaN or infinite values", fix
        )
    if np.any(np.abs(array) > 1 + tolerance):
        raise InvalidCorrelationMatrixError(
            field, matrix, "has entries outside [-1, 1]", fix
        )
    if not np.allclose(np.diag(array), 1.0, rtol=0, atol=tolerance):
        raise InvalidCorrelationMatrixError(
            field, matrix, "does not have 1 on every diagonal entry", fix
        )
    if not np.allclose(array, array.T, rtol=0, atol=tolerance):
        raise InvalidCorrelationMatrixError(field, matrix, "is not symmetric", fix)
    smallest = float(np.linalg.eigvalsh(array).min()) if size else 0.0
    if smallest < -tolerance:
        raise InvalidCorrelationMatrixError(
            field,
            matrix,
            f"is not positive semidefinite (smallest eigenvalue {smallest:.3g})",
            fix,
        )
    return array


def aggregate_harm_capital(capital_gbp: list[float], correlation: np.ndarray) -> float:
    """Return sqrt(sum_i sum_j rho_ij c_i c_j) in GBP over every ordered pair.

    The double sum runs over all i and j, so each off-diagonal pair counts twice
    (rho_ij c_i c_j and rho_ji c_j c_i), as the quadratic form c' rho c does.
    """
    vector = np.array(capital_gbp, dtype=float)
    total = 0.0
    for i in range(len(vector)):
        for j in range(len(vector)):
            total += correlation[i, j] * vector[i] * vector[j]
    return math.sqrt(max(0.0, total))


def risk_assessment(
    risks: list[Risk],
    correlation: np.ndarray | None = None,
    correlation_ids: list[str] | None = None,
) -> CalculationResult:
    """Score the register, build the heat maps and aggregate the harm capital.

    Parameters
    ----------
    risks : list of Risk
        The register.
    correlation : ndarray of shape (n, n), optional
        Correlations between the n risks with harm capital above 0, validated.
    correlation_ids : list of str, optional
        The risk id of each row of ``correlation``; default the register order.

    Returns
    -------
    CalculationResult
        ``value`` is the aggregated harm capital in GBP.
    """
    with_capital = [risk for risk in risks if risk.harm_capital_gbp > 0]
    ids = correlation_ids or [risk.risk_id for risk in with_capital]
    by_id = {risk.risk_id: risk for risk in with_capital}
    capital = [by_id[risk_id].harm_capital_gbp for risk_id in ids]
    readings = []
    if correlation is None:
        correlation = np.ones((len(capital), len(capital)))
        readings.append(
            Reading(
                RULE,
                "No correlation matrix was given, so every correlation is taken "
                "as 1 (plain sum).",
            )
        )
    aggregated = aggregate_harm_capital(capital, correlation)
    plain_sum = sum(capital)

    register = [
        {
            "id": risk.risk_id,
            "title": risk.title,
            "category": risk.category,
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "velocity": risk.velocity,
            "control_effectiveness": risk.control_effectiveness,
            "gross_score": risk.gross_score,
            "gross_rating": rating(risk.gross_score),
            "residual_likelihood": risk.residual_likelihood,
            "residual_score": risk.residual_score,
            "residual_rating": rating(risk.residual_score),
            "harm_capital_gbp": risk.harm_capital_gbp,
        }
        for risk in risks
    ]
    steps = [
        Step(
            f"Harm capital: {risk_id}",
            by_id[risk_id].harm_capital_gbp,
            "GBP",
            "MIFIDPRU 7.6.2R",
        )
        for risk_id in ids
    ]
    steps += [
        Step("Sum of harm capital", plain_sum, "GBP", "MIFIDPRU 7.6.2R"),
        Step(
            "Aggregated = sqrt(sum_i sum_j rho_ij c_i c_j)",
            aggregated,
            "GBP",
            "MIFIDPRU 7.6.2R",
        ),
        Step(
            "Diversification benefit", plain_sum - aggregated, "GBP", "MIFIDPRU 7.6.2R"
        ),
    ]
    return CalculationResult(
        calculator="risk_assessment",
        title="Risk register and harm capital",
        value=aggregated,
        rule=RULE,
        inputs={
            "risks": risks,
            "correlation_ids": ids,
            "correlation": correlation.tolist(),
        },
        figures={
            "register": register,
            "gross_heat_map": heat_map(risks, residual=False),
            "residual_heat_map": heat_map(risks, residual=True),
            "harm_capital_by_risk_gbp": dict(zip(ids, capital, strict=True)),
            "harm_capital_sum_gbp": plain_sum,
            "aggregated_harm_capital_gbp": aggregated,
            "diversification_benefit_gbp": plain_sum - aggregated,
        },
        steps=tuple(steps),
        readings=(
            Reading(
                "MIFIDPRU 7.4.13R",
                "Scores use the house scale: likelihood and impact 1-5, controls "
                "reduce likelihood only, velocity is shown but not scored.",
            ),
            *readings,
        ),
    )


def _read_risk(entry: Mapping[str, Any]) -> Risk:
    maximum = RISK_SCORE_SCALE_MAXIMUM.value
    scores = {}
    for name in ("likelihood", "impact"):
        score = read_count(entry, name, minimum=1)
        if score > maximum:
            raise CalculationInputError(
                name,
                score,
                f"is above {maximum}",
                f"Enter a score from 1 to {maximum}.",
            )
        scores[name] = score
    risk_id = entry.get("id")
    if not isinstance(risk_id, str) or not risk_id:
        raise CalculationInputError(
            "id", risk_id, "is missing or not text", "Give every risk a text id."
        )
    return Risk(
        risk_id=risk_id,
        title=str(entry.get("title", "")),
        category=read_choice(entry, "category", CATEGORIES),
        likelihood=scores["likelihood"],
        impact=scores["impact"],
        velocity=read_choice(entry, "velocity", VELOCITIES, "moderate"),
        control_effectiveness=read_choice(
            entry, "control_effectiveness", CONTROL_LEVELS, "none"
        ),
        harm_capital_gbp=read_amount(entry, "harm_capital_gbp", 0.0),
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the risk assessment from a JSON-style mapping.

    Fields: ``risks``, an array of ``id``, ``title``, ``category``,
    ``likelihood``, ``impact``, ``velocity``, ``control_effectiveness`` and
    ``harm_capital_gbp``. The optional ``correlation`` gives ``risk_ids`` (the
    risks with harm capital, in row order) and ``matrix``.
    """
    risks = []
    for index, entry in enumerate(read_list(inputs, "risks", required=True)):
        if not isinstance(entry, Mapping):
            raise CalculationInputError(
                f"risks.{index}",
                entry,
                "is not a JSON object",
                "Enter each risk as an object.",
            )
        try:
            risks.append(_read_risk(entry))
        except CalculationInputError as error:
            raise prefix_field(error, f"risks.{index}") from error
    ids = [risk.risk_id for risk in risks]
    if len(set(ids)) != len(ids):
        raise InconsistentInputError(
            "risks", ids, "repeat a risk id", "Give every risk its own id."
        )

    correlation_input = read_mapping(inputs, "correlation")
    if not correlation_input:
        return risk_assessment(risks)
    with_capital = {risk.risk_id for risk in risks if risk.harm_capital_gbp > 0}
    row_ids = read_list(correlation_input, "risk_ids", required=True)
    listed_ids = [risk_id if isinstance(risk_id, str) else None for risk_id in row_ids]
    if len(set(listed_ids)) != len(row_ids) or set(listed_ids) != with_capital:
        raise InconsistentInputError(
            "correlation.risk_ids",
            row_ids,
            f"do not list exactly the risks with harm capital ({sorted(with_capital)})",
            "List each risk with harm capital above 0 once, in matrix row order.",
        )
    matrix = validate_correlation_matrix(correlation_input.get("matrix"), len(row_ids))
    return risk_assessment(risks, matrix, list(row_ids))
