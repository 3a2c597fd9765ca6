"""Basic liquid assets requirement and core liquid assets, MIFIDPRU 6.

The requirement (6.2.1R) is one third of the fixed overheads requirement plus
1.6% of the total guarantees provided to clients. It must be met with core liquid
assets (6.3.1R). Trade receivables count only under the conditions of 6.3.3R and
only towards the fixed overheads element.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from calc.errors import CalculationInputError
from calc.own_funds import (
    prefix_field,
    read_amount,
    read_amounts_by_name,
    read_count,
    read_flag,
    read_list,
    read_ratio,
)
from calc.result import CalculationResult, Reading, Step
from calc.rules import (
    BASIC_LIQUID_ASSETS_FOR_SHARE,
    BASIC_LIQUID_ASSETS_GUARANTEES_SHARE,
    TRADE_RECEIVABLES_CAP_SHARE,
    TRADE_RECEIVABLES_MAXIMUM_DAYS,
    TRADE_RECEIVABLES_MINIMUM_HAIRCUT,
)

RULE = "MIFIDPRU 6.2.1R"

# MIFIDPRU 6.3.1R(1) to (5), in pound sterling. Trade receivables, 6.3.1R(6), are
# entered separately because 6.3.3R limits them.
CORE_LIQUID_ASSET_TYPES = (
    "coins_and_banknotes",
    "short_term_deposits_uk_credit_institution",
    "uk_government_or_bank_of_england_claims",
    "short_term_money_market_fund_units",
    "comparable_third_country_fund_units",
)

RECEIVABLES_CAP_READING = Reading(
    "MIFIDPRU 6.3.3R(3)",
    "Trade receivables may account for no more than one third of the 6.2.1R(1) "
    "element (one third of the FOR), so they count up to FOR / 9, measured after "
    "the haircut.",
)


@dataclass(frozen=True)
class TradeReceivable:
    """One trade receivable: amount in GBP, days until due, haircut as a ratio."""

    amount_gbp: float
    days_to_due: int
    haircut: float


def basic_liquid_assets_requirement(
    fixed_overheads_requirement_gbp: float, client_guarantees_gbp: float
) -> tuple[float, float]:
    """Return the two elements of MIFIDPRU 6.2.1R in GBP.

    The first is one third of the fixed overheads requirement, the second 1.6%
    of the total guarantees provided to clients; their sum is the requirement.
    """
    fixed_overheads_element = BASIC_LIQUID_ASSETS_FOR_SHARE.value * (
        fixed_overheads_requirement_gbp
    )
    # 0.016 x 1,000,175 is 16,002.800000000001 in floating point, which would
    # show a holding of exactly 16,002.80 as short. Reading the share as the
    # decimal 16/1000 and rounding the exact product once gives 16,002.80.
    guarantees_element = float(
        Fraction(repr(BASIC_LIQUID_ASSETS_GUARANTEES_SHARE.value))
        * Fraction(client_guarantees_gbp)
    )
    return fixed_overheads_element, guarantees_element


def liquidity_position(
    fixed_overheads_requirement_gbp: float,
    client_guarantees_gbp: float = 0.0,
    core_liquid_assets_gbp: Mapping[str, float] | None = None,
    trade_receivables: list[TradeReceivable] | None = None,
    receivables_allowed: bool = True,
) -> CalculationResult:
    """Compute the basic liquid assets requirement and the surplus or shortfall.

    Parameters
    ----------
    fixed_overheads_requirement_gbp : float
        The MIFIDPRU 4.5 requirement, GBP.
    client_guarantees_gbp : float
        Total guarantees provided to clients (6.2.2R: end-of-day or average), GBP.
    core_liquid_assets_gbp : mapping of str to float
        Core liquid assets by 6.3.1R type (``CORE_LIQUID_ASSET_TYPES``), GBP.
    trade_receivables : list of TradeReceivable
        Receivables offered under 6.3.3R.
    receivables_allowed : bool
        True for an SNI firm or a firm without permission to deal on own account
        or to underwrite or place on a firm commitment basis (6.3.3R(1)).

    Returns
    -------
    CalculationResult
        ``value`` is the basic liquid assets requirement in GBP; figures hold the
        assets counted, the surplus (negative when short) and the shortfall.

    Notes
    -----
    Receivables due after 30 days are left out. Each counts at its amount less a
    haircut of at least 50%; the total counted is capped at FOR / 9 and is applied
    only to the fixed overheads element, never to the guarantees element.
    """
    assets = dict(core_liquid_assets_gbp or {})
    receivables = list(trade_receivables or [])
    fixed_element, guarantees_element = basic_liquid_assets_requirement(
        fixed_overheads_requirement_gbp, client_guarantees_gbp
    )
    requirement = fixed_element + guarantees_element
    steps = [
        Step(
            "One third of the fixed overheads requirement",
            fixed_element,
            "GBP",
            "MIFIDPRU 6.2.1R(1)",
        ),
        Step(
            "1.6% of guarantees provided to clients",
            guarantees_element,
            "GBP",
            "MIFIDPRU 6.2.1R(2)",
        ),
        Step("Basic liquid assets requirement", requirement, "GBP", RULE),
    ]

    for asset_type, amount in assets.items():
        steps.append(
            Step(f"Core liquid asset: {asset_type}", amount, "GBP", "MIFIDPRU 6.3.1R")
        )
    other_assets = sum(assets.values())

    eligible_after_haircut = 0.0
    excluded = 0.0
    warnings: list[str] = []
    for receivable in receivables:
        if (
            not receivables_allowed
            or receivable.days_to_due > TRADE_RECEIVABLES_MAXIMUM_DAYS.value
        ):
            excluded += receivable.amount_gbp
        else:
            eligible_after_haircut += receivable.amount_gbp * (1 - receivable.haircut)
    cap = TRADE_RECEIVABLES_CAP_SHARE.value * fixed_element
    receivables_counted = min(eligible_after_haircut, cap)
    if receivables:
        if not receivables_allowed:
            warnings.append(
                "Trade receivables are not core liquid assets for a firm with "
                "permission to deal on own account or to underwrite "
                "(MIFIDPRU 6.3.3R(1))."
            )
        steps.append(
            Step(
                "Trade receivables left out (firm not eligible, or due after 30 days)",
                excluded,
                "GBP",
                "MIFIDPRU 6.3.3R(1), (2)",
            )
        )
        steps.append(
            Step(
                "Eligible receivables after haircut",
                eligible_after_haircut,
                "GBP",
                "MIFIDPRU 6.3.3R(5)",
            )
        )
        steps.append(
            Step("Cap on receivables = FOR / 9", cap, "GBP", "MIFIDPRU 6.3.3R(3)")
        )
        steps.append(
            Step(
                "Trade receivables counted",
                receivables_counted,
                "GBP",
                "MIFIDPRU 6.3.3R(3), (4)",
            )
        )

    # Receivables go to the fixed overheads element only (6.3.3R(4)); the rest
    # of both elements must come from the other core liquid assets.
    needed_from_other_assets = fixed_element - receivables_counted + guarantees_element
    surplus = other_assets - needed_from_other_assets
    shortfall = max(0.0, -surplus)
    steps.append(
        Step(
            "Requirement left for other core liquid assets",
            needed_from_other_assets,
            "GBP",
            "MIFIDPRU 6.3.3R(4)",
        )
    )
    steps.append(Step("Surplus (negative: shortfall)", surplus, "GBP", RULE))
    if shortfall > 0:
        warnings.append(
            f"Core liquid assets are GBP {shortfall:,.2f} short of the basic liquid "
            f"assets requirement ({RULE})."
        )
    return CalculationResult(
        calculator="liquidity",
        title="Basic liquid assets requirement",
        value=requirement,
        rule=RULE,
        inputs={
            "fixed_overheads_requirement_gbp": fixed_overheads_requirement_gbp,
            "client_guarantees_gbp": client_guarantees_gbp,
            "core_liquid_assets_gbp": assets,
            "trade_receivables": receivables,
            "receivables_allowed": receivables_allowed,
        },
        figures={
            "basic_liquid_assets_requirement_gbp": requirement,
            "fixed_overheads_element_gbp": fixed_element,
            "guarantees_element_gbp": guarantees_element,
            "core_liquid_assets_excluding_receivables_gbp": other_assets,
            "trade_receivables_after_haircut_gbp": eligible_after_haircut,
            "trade_receivables_cap_gbp": cap,
            "trade_receivables_counted_gbp": receivables_counted,
            "core_liquid_assets_gbp": other_assets + receivables_counted,
            "surplus_gbp": surplus,
            "shortfall_gbp": shortfall,
        },
        steps=tuple(steps),
        readings=(RECEIVABLES_CAP_READING,) if receivables else (),
        warnings=tuple(warnings),
    )


def _read_receivables(inputs: Mapping[str, Any]) -> list[TradeReceivable]:
    receivables = []
    for index, entry in enumerate(read_list(inputs, "trade_receivables")):
        prefix = f"trade_receivables.{index}"
        if not isinstance(entry, Mapping):
            raise CalculationInputError(
                prefix,
                entry,
                "is not a JSON object",
                "Enter amount_gbp and days_to_due.",
            )
        try:
            receivables.append(
                TradeReceivable(
                    amount_gbp=read_amount(entry, "amount_gbp"),
                    days_to_due=read_count(entry, "days_to_due"),
                    haircut=read_ratio(
                        entry,
                        "haircut",
                        TRADE_RECEIVABLES_MINIMUM_HAIRCUT.value,
                        minimum=TRADE_RECEIVABLES_MINIMUM_HAIRCUT.value,
                        maximum=1.0,
                    ),
                )
            )
        except CalculationInputError as error:
            raise prefix_field(error, prefix) from error
    return receivables


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the liquidity calculator from a JSON-style mapping.

    Fields: ``fixed_overheads_requirement_gbp``; optional
    ``client_guarantees_gbp`` (default 0), ``core_liquid_assets_gbp`` (object by
    type), ``trade_receivables`` (array of ``amount_gbp``, ``days_to_due``,
    ``haircut`` at least 0.5), ``is_sni`` and
    ``deals_on_own_account_or_underwrites`` (both default false).
    """
    is_sni = read_flag(inputs, "is_sni", False)
    deals = read_flag(inputs, "deals_on_own_account_or_underwrites", False)
    return liquidity_position(
        fixed_overheads_requirement_gbp=read_amount(
            inputs, "fixed_overheads_requirement_gbp"
        ),
        client_guarantees_gbp=read_amount(inputs, "client_guarantees_gbp", 0.0),
        core_liquid_assets_gbp=read_amounts_by_name(
            inputs, "core_liquid_assets_gbp", CORE_LIQUID_ASSET_TYPES
        ),
        trade_receivables=_read_receivables(inputs),
        receivables_allowed=is_sni or not deals,
    )
