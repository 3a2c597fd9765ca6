"""Total K-factor requirement (KFR), MIFIDPRU 4.6, and its disclosure grouping.

The KFR is the sum of the K-factor requirements that apply to the firm
(MIFIDPRU 4.6). For public disclosure (MIFIDPRU 8.5) the K-factors are shown in
three groups: K-AUM + K-CMH + K-ASA; K-COH + K-DTF; K-NPR + K-CMG + K-TCD + K-CON.
K-CMG and K-NPR may both appear because K-CMG replaces K-NPR only for the
portfolios covered by a K-CMG permission.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from calc.errors import CalculationInputError, DuplicatePeriodError, UnknownChoiceError
from calc.result import CalculationResult, Step
from calc.time_series import parse_amount

RULE = "MIFIDPRU 4.6"


class KFactor(StrEnum):
    """A K-factor requirement, by its calculator name."""

    K_AUM = "k_aum"
    K_CMH = "k_cmh"
    K_ASA = "k_asa"
    K_COH = "k_coh"
    K_DTF = "k_dtf"
    K_NPR = "k_npr"
    K_CMG = "k_cmg"
    K_TCD = "k_tcd"
    K_CON = "k_con"


DISCLOSURE_GROUPS: dict[str, tuple[KFactor, ...]] = {
    "k_aum_k_cmh_k_asa": (KFactor.K_AUM, KFactor.K_CMH, KFactor.K_ASA),
    "k_coh_k_dtf": (KFactor.K_COH, KFactor.K_DTF),
    "k_npr_k_cmg_k_tcd_k_con": (
        KFactor.K_NPR,
        KFactor.K_CMG,
        KFactor.K_TCD,
        KFactor.K_CON,
    ),
}


def calculate_k_factor_requirement(
    parts_gbp: Mapping[KFactor, float],
) -> CalculationResult:
    """Sum the K-factor requirements into the KFR and the MIFIDPRU 8.5 groups, GBP.

    K-factors not given count as zero and are listed in ``figures["not_given"]``.
    """
    for factor, amount in parts_gbp.items():
        parse_amount(f"k_factors_gbp.{factor.value}", amount)
    total = math.fsum(parts_gbp.values())
    groups = {
        name: math.fsum(parts_gbp.get(factor, 0.0) for factor in members)
        for name, members in DISCLOSURE_GROUPS.items()
    }
    steps = [
        Step(f"{factor.value} requirement", parts_gbp[factor], "GBP", RULE)
        for factor in KFactor
        if factor in parts_gbp
    ]
    steps.extend(
        Step(f"Disclosure group {name}", amount, "GBP", "MIFIDPRU 8.5")
        for name, amount in groups.items()
    )
    steps.append(Step("K-factor requirement: sum of the parts", total, "GBP", RULE))
    return CalculationResult(
        calculator="k_factor_requirement",
        title="K-factor requirement",
        value=total,
        rule=RULE,
        inputs={"k_factors_gbp": {f.value: v for f, v in parts_gbp.items()}},
        figures={
            "k_factor_requirement_gbp": total,
            "disclosure_groups_gbp": groups,
            "by_k_factor_gbp": {f.value: parts_gbp.get(f, 0.0) for f in KFactor},
            "not_given": [f.value for f in KFactor if f not in parts_gbp],
        },
        steps=tuple(steps),
    )


def calculate_from_results(results: Iterable[CalculationResult]) -> CalculationResult:
    """Sum the KFR from K-factor calculator results, one per K-factor at most.

    Raises
    ------
    UnknownChoiceError
        A result is not from a K-factor calculator.
    DuplicatePeriodError
        Two results are from the same K-factor.
    """
    parts: dict[KFactor, float] = {}
    for result in results:
        try:
            factor = KFactor(result.calculator)
        except ValueError:
            raise UnknownChoiceError(
                "results",
                result.calculator,
                "is not a K-factor calculator",
                f"Pass results of: {', '.join(f.value for f in KFactor)}.",
            ) from None
        if factor in parts:
            raise DuplicatePeriodError(
                "results",
                factor.value,
                "appears twice",
                "Pass one result per K-factor.",
            )
        parts[factor] = result.value
    return calculate_k_factor_requirement(parts)


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the KFR calculator on a JSON-style mapping (see docs/calculators.md)."""
    raw = inputs.get("k_factors_gbp")
    if not isinstance(raw, Mapping):
        raise CalculationInputError(
            "k_factors_gbp",
            raw,
            "is not an object of K-factor amounts",
            'Give {"k_aum": 130000.0, "k_coh": 20000.0, ...}.',
        )
    if not raw:
        # An empty object would give a K-factor requirement of 0 with no warning.
        raise CalculationInputError(
            "k_factors_gbp",
            {},
            "lists no K-factor",
            "Enter the amount of each K-factor that applies, and 0 for the others.",
        )
    parts: dict[KFactor, float] = {}
    for name, amount in raw.items():
        try:
            factor = KFactor(name)
        except ValueError:
            raise UnknownChoiceError(
                f"k_factors_gbp.{name}",
                name,
                "is not a K-factor",
                f"Use one of: {', '.join(f.value for f in KFactor)}.",
            ) from None
        parts[factor] = parse_amount(f"k_factors_gbp.{name}", amount)
    return calculate_k_factor_requirement(parts)
