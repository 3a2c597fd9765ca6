"""Own funds by tier and the composition tests, MIFIDPRU 3.

Own funds are common equity tier 1 (CET1), additional tier 1 (AT1) and tier 2
(T2) capital (MIFIDPRU 3.2A.2R). From 1 April 2026 MIFIDPRU 3.2A.4R and 3.2A.5R
require, at all times:

* CET1 of at least 56% of the own funds requirement;
* CET1 + AT1 of at least 75%;
* CET1 + AT1 + T2 of at least 100%.

Each test is separate: surplus T2 does not cure a tier 1 shortfall.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calc.errors import InconsistentInputError
from calc.own_funds import read_amount, read_amounts_by_name, read_number
from calc.result import CalculationResult, Reading, Step
from calc.rules import (
    CET1_MINIMUM_SHARE,
    REQUIREMENT_COMPARISON_TOLERANCE,
    TIER1_MINIMUM_SHARE,
    TOTAL_OWN_FUNDS_MINIMUM_SHARE,
)

RULE = "MIFIDPRU 3.2A.4R, 3.2A.5R"

CET1_ITEMS = (
    "common_equity_tier1_instruments",
    "share_premium",
    "retained_earnings",
    "interim_or_year_end_profits",
    "accumulated_other_comprehensive_income",
    "other_reserves",
)
# NOTE: the items up to own_cet1_holdings are rows (7) to (11) of the MIFIDPRU
# 3.3A table. The copy of the table read stopped at row (11), so the rest follow
# IFR Art 9 and UK CRR Art 36.
CET1_DEDUCTIONS = (
    "current_year_losses",
    "intangible_assets",
    "deferred_tax_assets_relying_on_future_profitability",
    "defined_benefit_pension_fund_assets",
    "own_cet1_holdings",
    "financial_sector_cet1_holdings",
    "qualifying_holdings_outside_financial_sector",
    "foreseeable_tax_charges",
    "other_deductions",
)
AT1_ITEMS = ("additional_tier1_instruments", "share_premium")
AT1_DEDUCTIONS = (
    "own_at1_holdings",
    "financial_sector_at1_holdings",
    "other_deductions",
)
T2_ITEMS = ("tier2_instruments", "share_premium")
T2_DEDUCTIONS = ("own_t2_holdings", "financial_sector_t2_holdings", "other_deductions")

CASCADE_READING = Reading(
    "MIFIDPRU 3.3A, 3.4A, 3.5A (UK CRR Art 36(1)(j), 56(e))",
    "Tier 2 deductions above tier 2 items are taken from AT1, and AT1 deductions "
    "above AT1 items from CET1, as in the UK CRR the MIFIDPRU 3 tables follow.",
)


@dataclass(frozen=True)
class OwnFundsTiers:
    """Capital of each tier after deductions, in GBP."""

    common_equity_tier1_gbp: float
    additional_tier1_gbp: float
    tier2_gbp: float

    @property
    def tier1_gbp(self) -> float:
        """Tier 1 capital: CET1 plus AT1."""
        return self.common_equity_tier1_gbp + self.additional_tier1_gbp

    @property
    def own_funds_gbp(self) -> float:
        """Own funds: tier 1 plus tier 2."""
        return self.tier1_gbp + self.tier2_gbp


def own_funds_tiers(
    cet1_items: Mapping[str, float],
    cet1_deductions: Mapping[str, float],
    at1_items: Mapping[str, float],
    at1_deductions: Mapping[str, float],
    t2_items: Mapping[str, float],
    t2_deductions: Mapping[str, float],
) -> tuple[OwnFundsTiers, list[Step]]:
    """Build each tier from its items and deductions (GBP), with the working.

    Deductions larger than a tier's items are carried down a tier (T2 to AT1, AT1
    to CET1), so CET1 can become negative.
    """
    steps: list[Step] = []
    t2_gross = sum(t2_items.values())
    t2_deducted = sum(t2_deductions.values())
    t2 = max(0.0, t2_gross - t2_deducted)
    t2_excess = max(0.0, t2_deducted - t2_gross)
    at1_gross = sum(at1_items.values())
    at1_deducted = sum(at1_deductions.values()) + t2_excess
    at1 = max(0.0, at1_gross - at1_deducted)
    at1_excess = max(0.0, at1_deducted - at1_gross)
    cet1_gross = sum(cet1_items.values())
    cet1 = cet1_gross - sum(cet1_deductions.values()) - at1_excess

    steps.append(Step("CET1 items", cet1_gross, "GBP", "MIFIDPRU 3.3A"))
    for name, amount in cet1_deductions.items():
        steps.append(
            Step(f"less CET1 deduction: {name}", -amount, "GBP", "MIFIDPRU 3.3A")
        )
    if at1_excess:
        steps.append(
            Step(
                "less AT1 deductions above AT1 items",
                -at1_excess,
                "GBP",
                "MIFIDPRU 3.3A",
            )
        )
    steps.append(Step("Common equity tier 1 capital", cet1, "GBP", "MIFIDPRU 3.3A"))
    steps.append(Step("Additional tier 1 capital", at1, "GBP", "MIFIDPRU 3.4A"))
    steps.append(Step("Tier 2 capital", t2, "GBP", "MIFIDPRU 3.5A"))
    return OwnFundsTiers(cet1, at1, t2), steps


def own_funds_composition(
    tiers: OwnFundsTiers, own_funds_requirement_gbp: float
) -> CalculationResult:
    """Test own funds by tier against the own funds requirement.

    Parameters
    ----------
    tiers : OwnFundsTiers
        CET1, AT1 and T2 capital after deductions, GBP.
    own_funds_requirement_gbp : float
        The MIFIDPRU 4.3 requirement, GBP.

    Returns
    -------
    CalculationResult
        ``value`` is total own funds in GBP. Figures hold each test's required
        amount, pass flag and shortfall (GBP, 0 when passed), the surplus
        (own funds minus the requirement, negative when short), the coverage ratio
        and the largest requirement the capital mix could meet.

    Notes
    -----
    A requirement of 0 gives no coverage ratio (``None``) and a warning.
    """
    requirement = own_funds_requirement_gbp
    tests = (
        ("cet1", "CET1", tiers.common_equity_tier1_gbp, CET1_MINIMUM_SHARE),
        ("cet1_plus_at1", "CET1 + AT1", tiers.tier1_gbp, TIER1_MINIMUM_SHARE),
        (
            "total",
            "CET1 + AT1 + T2",
            tiers.own_funds_gbp,
            TOTAL_OWN_FUNDS_MINIMUM_SHARE,
        ),
    )
    figures: dict[str, Any] = {
        "common_equity_tier1_gbp": tiers.common_equity_tier1_gbp,
        "additional_tier1_gbp": tiers.additional_tier1_gbp,
        "tier2_gbp": tiers.tier2_gbp,
        "tier1_gbp": tiers.tier1_gbp,
        "own_funds_gbp": tiers.own_funds_gbp,
        "own_funds_requirement_gbp": requirement,
    }
    steps: list[Step] = []
    warnings: list[str] = []
    supported: list[float] = []

    for key, label, capital, share in tests:
        required = share.value * requirement
        # Compare capital / requirement with the share, as the ICARA early
        # warning does: 0.56 x 775,000 is 434,000.00000000006 in binary floating
        # point, so capital >= required would fail CET1 of exactly 434,000. The
        # tolerance absorbs a requirement that is itself one step too high.
        if requirement > 0:
            floor = share.value * (1.0 - REQUIREMENT_COMPARISON_TOLERANCE.value)
            passed = capital / requirement >= floor
        else:
            passed = capital >= required
        shortfall = 0.0 if passed else max(0.0, required - capital)
        figures[f"{key}_required_gbp"] = required
        figures[f"{key}_test_passed"] = passed
        figures[f"{key}_shortfall_gbp"] = shortfall
        figures[f"{key}_surplus_gbp"] = capital - required
        supported.append(capital / share.value)
        steps.append(
            Step(
                f"{label} required = {share.value:.0%} x own funds requirement",
                required,
                "GBP",
                share.rule,
            )
        )
        steps.append(
            Step(
                f"{label} held {'meets' if passed else 'falls short of'} it",
                shortfall,
                "GBP",
                share.rule,
                "shortfall shown; 0 means the test is passed",
            )
        )
        if not passed:
            warnings.append(
                f"{label} is short of {share.value:.0%} of the own funds "
                f"requirement by GBP {shortfall:,.2f} ({share.rule})."
            )

    surplus = tiers.own_funds_gbp - requirement
    coverage = tiers.own_funds_gbp / requirement if requirement > 0 else None
    if coverage is None:
        warnings.append(
            "The own funds requirement is 0, so there is no coverage ratio."
        )
    figures["surplus_gbp"] = surplus
    figures["coverage_ratio"] = coverage
    figures["all_tests_passed"] = all(
        figures[f"{key}_test_passed"] for key, *_ in tests
    )
    figures["maximum_supported_requirement_gbp"] = max(0.0, min(supported))
    figures["composition_headroom_gbp"] = min(supported) - requirement
    steps.append(
        Step(
            "Surplus = own funds - own funds requirement",
            surplus,
            "GBP",
            "MIFIDPRU 4.3.1R",
        )
    )
    steps.append(
        Step(
            "Coverage = own funds / own funds requirement",
            coverage,
            "ratio",
            "MIFIDPRU 4.3.1R",
        )
    )
    steps.append(
        Step(
            "Largest requirement the capital mix meets in all three tests",
            figures["maximum_supported_requirement_gbp"],
            "GBP",
            RULE,
            "min(CET1 / 56%, (CET1 + AT1) / 75%, own funds / 100%)",
        )
    )
    return CalculationResult(
        calculator="own_funds_composition",
        title="Own funds composition",
        value=tiers.own_funds_gbp,
        rule=RULE,
        inputs={
            "own_funds_requirement_gbp": requirement,
            "cet1_gbp": tiers.common_equity_tier1_gbp,
            "at1_gbp": tiers.additional_tier1_gbp,
            "t2_gbp": tiers.tier2_gbp,
        },
        figures=figures,
        steps=tuple(steps),
        readings=(
            Reading(
                RULE,
                "The 56%, 75% and 100% shares are images in the Handbook copy "
                "read; the values are those of IFR Art 9(1), not verified.",
            ),
        ),
        warnings=tuple(warnings),
    )


def _read_tier(
    inputs: Mapping[str, Any],
    tier: str,
    items: tuple[str, ...],
    deductions: tuple[str, ...],
) -> tuple[dict[str, float], dict[str, float]]:
    total_field = f"{tier}_gbp"
    has_total = inputs.get(total_field) is not None
    has_parts = f"{tier}_items_gbp" in inputs or f"{tier}_deductions_gbp" in inputs
    if has_total and has_parts:
        raise InconsistentInputError(
            total_field,
            inputs[total_field],
            f"is given together with {tier}_items_gbp or {tier}_deductions_gbp",
            "Enter either the tier total or its items and deductions, not both.",
        )
    if has_total and tier == "cet1":
        # CET1 after deductions can be below zero because deductions above the
        # other tiers are carried down to it. The figure is kept and fails.
        return {"total": read_number(inputs, total_field)}, {}
    if has_total:
        return {"total": read_amount(inputs, total_field)}, {}
    return (
        read_amounts_by_name(inputs, f"{tier}_items_gbp", items),
        read_amounts_by_name(inputs, f"{tier}_deductions_gbp", deductions),
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the composition tests from a JSON-style mapping.

    Fields: ``own_funds_requirement_gbp``; for each tier (``cet1``, ``at1``,
    ``t2``) either ``<tier>_gbp`` (after deductions) or ``<tier>_items_gbp`` and
    ``<tier>_deductions_gbp`` objects of named GBP amounts. A tier left out is 0.
    """
    requirement = read_amount(inputs, "own_funds_requirement_gbp")
    cet1_items, cet1_deductions = _read_tier(
        inputs, "cet1", CET1_ITEMS, CET1_DEDUCTIONS
    )
    at1_items, at1_deductions = _read_tier(inputs, "at1", AT1_ITEMS, AT1_DEDUCTIONS)
    t2_items, t2_deductions = _read_tier(inputs, "t2", T2_ITEMS, T2_DEDUCTIONS)
    tiers, tier_steps = own_funds_tiers(
        cet1_items, cet1_deductions, at1_items, at1_deductions, t2_items, t2_deductions
    )
    result = own_funds_composition(tiers, requirement)
    uses_parts = any((cet1_deductions, at1_deductions, t2_deductions)) or any(
        part and "total" not in part for part in (cet1_items, at1_items, t2_items)
    )
    readings = (CASCADE_READING, *result.readings) if uses_parts else result.readings
    return CalculationResult(
        calculator=result.calculator,
        title=result.title,
        value=result.value,
        rule=result.rule,
        inputs={
            **result.inputs,
            "cet1_items_gbp": cet1_items,
            "cet1_deductions_gbp": cet1_deductions,
            "at1_items_gbp": at1_items,
            "at1_deductions_gbp": at1_deductions,
            "t2_items_gbp": t2_items,
            "t2_deductions_gbp": t2_deductions,
        },
        figures=result.figures,
        steps=(*tier_steps, *result.steps),
        readings=readings,
        warnings=result.warnings,
    )
