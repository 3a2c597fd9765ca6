"""K-NPR requirement, MIFIDPRU 4.11 and 4.12.

K-NPR is the own funds requirement for market risk on trading book positions
(and on positions that give rise to foreign-exchange or commodity risk outside
it), by one of the UK CRR approaches named in MIFIDPRU 4.12. This calculator does
not re-implement those approaches in full. It supports:

* ``"entered"``: the K-NPR figure from the firm's own market-risk calculation,
  with the name of its source;
* ``"components"``: the own funds requirement for each risk class, entered with a
  source and summed. The foreign-exchange part may instead be calculated here from
  net currency positions by the standardised approach (UK CRR Art 351 and 352).
  It is 8% x (the greater of the sum of net long and the sum of net short
  positions, plus the absolute net gold position), and zero when that total does
  not exceed 2% of total own funds.

Interest rate, equity, commodity and CIU position risk are not calculated here
and must be entered. Portfolios under a K-CMG permission are excluded from K-NPR
(MIFIDPRU 4.13.1R) and must be left out of the figures entered.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    UnknownChoiceError,
)
from calc.result import CalculationResult, Reading, Step
from calc.rules import K_NPR_FX_CAPITAL_RATIO, K_NPR_FX_DE_MINIMIS_RATIO
from calc.time_series import GBP, parse_amount

RULE = "MIFIDPRU 4.12"


class RiskClass(StrEnum):
    """A market-risk class whose own funds requirement is part of K-NPR."""

    INTEREST_RATE_POSITION_RISK = "interest_rate_position_risk"
    EQUITY_POSITION_RISK = "equity_position_risk"
    FOREIGN_EXCHANGE_RISK = "foreign_exchange_risk"
    COMMODITY_RISK = "commodity_risk"
    CIU_POSITION_RISK = "ciu_position_risk"
    OPTIONS_AND_OTHER = "options_and_other"


class NprMethod(StrEnum):
    """Source of the K-NPR figure."""

    ENTERED = "entered"
    COMPONENTS = "components"


def _parse_source(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CalculationInputError(
            field,
            value,
            "is missing",
            "Name the calculation or report the figure comes from, e.g. "
            '"MIF001 market risk schedule, 2026-11-30".',
        )
    return value.strip()


def foreign_exchange_requirement(
    net_positions_gbp: Mapping[str, float],
    net_gold_position_gbp: float,
    total_own_funds_gbp: float,
) -> tuple[float, list[Step]]:
    """Calculate the standardised foreign-exchange risk requirement, GBP.

    Parameters
    ----------
    net_positions_gbp : mapping of currency code to float
        Net position in each currency other than GBP, converted to GBP at the spot
        rate. A long position is positive and a short one negative.
    net_gold_position_gbp : float
        Net gold position in GBP, either sign.
    total_own_funds_gbp : float
        Total own funds, for the 2% de minimis test.

    Returns
    -------
    tuple
        (requirement in GBP, the steps of the working).
    """
    longs = math.fsum(v for v in net_positions_gbp.values() if v > 0)
    shorts = math.fsum(-v for v in net_positions_gbp.values() if v < 0)
    overall = max(longs, shorts)
    gold = abs(net_gold_position_gbp)
    total = overall + gold
    threshold = K_NPR_FX_DE_MINIMIS_RATIO.value * total_own_funds_gbp
    ratio = K_NPR_FX_CAPITAL_RATIO.value
    requirement = ratio * total if total > threshold else 0.0
    steps = [
        Step("Sum of net long currency positions", longs, "GBP", "UK CRR Art 352"),
        Step("Sum of net short currency positions", shorts, "GBP", "UK CRR Art 352"),
        Step(
            "Overall net foreign-exchange position: the greater of the two",
            overall,
            "GBP",
            "UK CRR Art 352",
        ),
        Step("Net gold position, absolute", gold, "GBP", "UK CRR Art 352"),
        Step(
            f"De minimis: {K_NPR_FX_DE_MINIMIS_RATIO.value:.0%} of total own funds",
            threshold,
            "GBP",
            K_NPR_FX_DE_MINIMIS_RATIO.rule,
            note="exceeded" if total > threshold else "not exceeded: requirement 0",
        ),
        Step(
            f"Foreign-exchange risk requirement: {ratio:.0%} x (overall + gold)"
            if total > threshold
            else "Foreign-exchange risk requirement: below de minimis",
            requirement,
            "GBP",
            K_NPR_FX_CAPITAL_RATIO.rule,
        ),
    ]
    return requirement, steps


def calculate_k_npr_entered(k_npr_gbp: float, source: str) -> CalculationResult:
    """Return K-NPR as entered from the firm's own market-risk calculation, GBP."""
    parse_amount("k_npr_gbp", k_npr_gbp)
    return CalculationResult(
        calculator="k_npr",
        title="K-NPR requirement",
        value=k_npr_gbp,
        rule=RULE,
        inputs={
            "method": NprMethod.ENTERED.value,
            "k_npr_gbp": k_npr_gbp,
            "source": source,
        },
        figures={"k_npr_gbp": k_npr_gbp, "source": source},
        steps=(Step(f"K-NPR as entered, from {source}", k_npr_gbp, "GBP", RULE),),
        warnings=(
            "K-NPR was entered, not calculated here; its accuracy rests on the "
            "named source.",
        ),
    )


def calculate_k_npr_components(
    components_gbp: Mapping[RiskClass, float],
    source: str,
    foreign_exchange: tuple[Mapping[str, float], float, float] | None = None,
) -> CalculationResult:
    """Sum the market-risk own funds requirements by risk class into K-NPR, GBP.

    ``foreign_exchange`` is (net positions by currency, net gold position, total
    own funds), all GBP; when given, the foreign-exchange requirement is
    calculated by ``foreign_exchange_requirement`` and must not also be entered.
    """
    steps: list[Step] = []
    parts: dict[str, float] = {}
    for risk_class, amount in components_gbp.items():
        parts[risk_class.value] = amount
        steps.append(
            Step(f"{risk_class.value}, entered from {source}", amount, "GBP", RULE)
        )
    readings: list[Reading] = []
    if foreign_exchange is not None:
        if RiskClass.FOREIGN_EXCHANGE_RISK in components_gbp:
            raise InconsistentInputError(
                "components_gbp.foreign_exchange_risk",
                components_gbp[RiskClass.FOREIGN_EXCHANGE_RISK],
                "is entered and also calculated from foreign_exchange_positions_gbp",
                "Give either the entered figure or the positions, not both.",
            )
        requirement, fx_steps = foreign_exchange_requirement(*foreign_exchange)
        parts[RiskClass.FOREIGN_EXCHANGE_RISK.value] = requirement
        steps.extend(fx_steps)
        readings.append(
            Reading(
                "UK CRR Art 351, 352",
                "The foreign-exchange requirement uses the standardised approach "
                "(8%, 2% de minimis) from memory of the CRR; the UK CRR text was "
                "not confirmed.",
            )
        )
    total = math.fsum(parts.values())
    steps.append(Step("K-NPR: sum of the risk classes", total, "GBP", RULE))
    inputs: dict[str, Any] = {
        "method": NprMethod.COMPONENTS.value,
        "components_gbp": {k.value: v for k, v in components_gbp.items()},
        "source": source,
    }
    if foreign_exchange is not None:
        inputs["foreign_exchange_positions_gbp"] = dict(foreign_exchange[0])
        inputs["net_gold_position_gbp"] = foreign_exchange[1]
        inputs["total_own_funds_gbp"] = foreign_exchange[2]
    return CalculationResult(
        calculator="k_npr",
        title="K-NPR requirement",
        value=total,
        rule=RULE,
        inputs=inputs,
        figures={"k_npr_gbp": total, "requirement_by_risk_class_gbp": parts},
        steps=tuple(steps),
        readings=tuple(readings),
    )


def _parse_fx(inputs: Mapping[str, Any]) -> tuple[dict[str, float], float, float]:
    raw = inputs["foreign_exchange_positions_gbp"]
    field = "foreign_exchange_positions_gbp"
    if not isinstance(raw, Mapping):
        raise CalculationInputError(
            field, raw, "is not an object", 'Give {"USD": 1000000.0, "EUR": -5.0}.'
        )
    positions: dict[str, float] = {}
    for currency, amount in raw.items():
        if str(currency).upper() == GBP:
            raise InconsistentInputError(
                f"{field}.{currency}",
                amount,
                "is a position in the reporting currency",
                "Leave GBP out; only positions in other currencies carry FX risk.",
            )
        positions[str(currency).upper()] = parse_amount(
            f"{field}.{currency}", amount, allow_negative=True
        )
    gold = parse_amount(
        "net_gold_position_gbp",
        inputs.get("net_gold_position_gbp", 0.0),
        allow_negative=True,
    )
    own_funds = parse_amount("total_own_funds_gbp", inputs.get("total_own_funds_gbp"))
    return positions, gold, own_funds


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the K-NPR calculator on a JSON-style mapping (see docs/calculators.md)."""
    method_name = inputs.get("method", NprMethod.ENTERED.value)
    try:
        method = NprMethod(method_name)
    except ValueError:
        raise UnknownChoiceError(
            "method",
            method_name,
            "is not a supported K-NPR method",
            f"Use one of: {', '.join(m.value for m in NprMethod)}.",
        ) from None
    source = _parse_source("source", inputs.get("source"))
    if method == NprMethod.ENTERED:
        return calculate_k_npr_entered(
            parse_amount("k_npr_gbp", inputs.get("k_npr_gbp")), source
        )
    raw = inputs.get("components_gbp", {})
    if not isinstance(raw, Mapping):
        raise CalculationInputError(
            "components_gbp",
            raw,
            "is not an object",
            'Give {"equity_position_risk": 12000.0, ...}.',
        )
    components: dict[RiskClass, float] = {}
    for name, amount in raw.items():
        try:
            risk_class = RiskClass(name)
        except ValueError:
            raise UnknownChoiceError(
                f"components_gbp.{name}",
                name,
                "is not a market-risk class",
                f"Use one of: {', '.join(r.value for r in RiskClass)}.",
            ) from None
        components[risk_class] = parse_amount(f"components_gbp.{name}", amount)
    fx = _parse_fx(inputs) if "foreign_exchange_positions_gbp" in inputs else None
    return calculate_k_npr_components(components, source, fx)
