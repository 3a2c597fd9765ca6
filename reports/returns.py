"""MIF001 (capital) and MIF002 (liquidity) layouts, filled from calculation results.

Each layout is a list of ``ReturnRow`` in the order of the FCA return, with the
row named as the return names it. Amounts are GBP and unrounded; rounding to
the penny happens on export.

NOTE: the row labels follow the items the MIF001 and MIF002 returns ask for,
but the ``reference`` codes are this project's own numbering, not the FCA
template's cell references, which were not available to check against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from calc.liquidity import CORE_LIQUID_ASSET_TYPES
from calc.rules import BASIC_LIQUID_ASSETS_GUARANTEES_SHARE
from reports.results import ResultsView
from reports.safe_csv import export_value

K_FACTOR_ROWS = (
    ("k_aum", "K-AUM (assets under management)", "MIFIDPRU 4.7"),
    ("k_cmh", "K-CMH (client money held)", "MIFIDPRU 4.8"),
    ("k_asa", "K-ASA (assets safeguarded and administered)", "MIFIDPRU 4.9"),
    ("k_coh", "K-COH (client orders handled)", "MIFIDPRU 4.10"),
    ("k_npr", "K-NPR (net position risk)", "MIFIDPRU 4.11"),
    ("k_cmg", "K-CMG (clearing margin given)", "MIFIDPRU 4.13"),
    ("k_tcd", "K-TCD (trading counterparty default)", "MIFIDPRU 4.14"),
    ("k_dtf", "K-DTF (daily trading flow)", "MIFIDPRU 4.15"),
    ("k_con", "K-CON (concentration risk)", "MIFIDPRU 5"),
)


@dataclass(frozen=True)
class ReturnRow:
    """One row of a return layout.

    ``unit`` is ``"GBP"``, ``"ratio"`` (3.5 for 350%), ``"months"`` or
    ``"yes/no"``; ``value`` is None where the firm has no figure for the row.
    """

    section: str
    reference: str
    label: str
    value: Any
    unit: str
    rule: str


def _rows(section: str, prefix: str, items: list[tuple]) -> list[ReturnRow]:
    return [
        ReturnRow(section, f"{prefix}.{index}", label, value, unit, rule)
        for index, (label, value, unit, rule) in enumerate(items, start=1)
    ]


def mif001_rows(source: Any) -> list[ReturnRow]:
    """Return the MIF001 capital layout: own funds, requirements, tests, surplus."""
    view = ResultsView.of(source)
    composition = "own_funds_composition"
    rows = _rows(
        "Own funds",
        "1",
        [
            (
                "Common equity tier 1 capital",
                view.figure(composition, "common_equity_tier1_gbp"),
                "GBP",
                "MIFIDPRU 3.3",
            ),
            (
                "Additional tier 1 capital",
                view.figure(composition, "additional_tier1_gbp"),
                "GBP",
                "MIFIDPRU 3.4",
            ),
            (
                "Tier 1 capital",
                view.figure(composition, "tier1_gbp"),
                "GBP",
                "MIFIDPRU 3.2",
            ),
            (
                "Tier 2 capital",
                view.figure(composition, "tier2_gbp"),
                "GBP",
                "MIFIDPRU 3.5",
            ),
            (
                "Total own funds",
                view.figure(composition, "own_funds_gbp"),
                "GBP",
                "MIFIDPRU 3.2",
            ),
        ],
    )
    rows += _rows(
        "Own funds requirement",
        "2",
        [
            (
                "Permanent minimum requirement",
                view.value("pmr"),
                "GBP",
                view.rule("pmr"),
            ),
            (
                "Fixed overheads requirement",
                view.value("fixed_overheads"),
                "GBP",
                view.rule("fixed_overheads"),
            ),
            (
                "K-factor requirement",
                view.value("k_factor_requirement"),
                "GBP",
                "MIFIDPRU 4.6",
            ),
            (
                "Own funds requirement",
                view.value("own_funds_requirement"),
                "GBP",
                "MIFIDPRU 4.3",
            ),
        ],
    )
    rows += _rows(
        "Fixed overheads requirement workings",
        "3",
        [
            (
                "Total expenditure",
                view.input("fixed_overheads", "total_expenditure_gbp"),
                "GBP",
                "MIFIDPRU 4.5.3R",
            ),
            (
                "Deductions",
                view.figure("fixed_overheads", "total_deductions_gbp"),
                "GBP",
                "MIFIDPRU 4.5.3R(2)",
            ),
            (
                "Fixed expenses incurred by third parties",
                view.input("fixed_overheads", "third_party_fixed_expenses_gbp"),
                "GBP",
                "MIFIDPRU 4.5.3R",
            ),
            (
                "Period covered",
                view.input("fixed_overheads", "period_months"),
                "months",
                "MIFIDPRU 4.5.2R",
            ),
            (
                "Relevant expenditure (annual)",
                view.figure("fixed_overheads", "relevant_expenditure_gbp"),
                "GBP",
                "MIFIDPRU 4.5.1R",
            ),
            (
                "Fixed overheads requirement (one quarter)",
                view.value("fixed_overheads"),
                "GBP",
                "MIFIDPRU 4.5.1R",
            ),
        ],
    )
    rows += _rows(
        "K-factor requirement",
        "4",
        [(label, view.value(name), "GBP", rule) for name, label, rule in K_FACTOR_ROWS]
        + [
            (
                "Total K-factor requirement",
                view.value("k_factor_requirement"),
                "GBP",
                "MIFIDPRU 4.6.1R",
            )
        ],
    )
    rows += _rows(
        "Own funds composition tests",
        "5",
        [
            (
                "CET1 required (56% of the own funds requirement)",
                view.figure(composition, "cet1_required_gbp"),
                "GBP",
                "MIFIDPRU 3.2.2R(1)",
            ),
            (
                "CET1 test met",
                view.figure(composition, "cet1_test_passed"),
                "yes/no",
                "MIFIDPRU 3.2.2R(1)",
            ),
            (
                "CET1 and AT1 required (75%)",
                view.figure(composition, "cet1_plus_at1_required_gbp"),
                "GBP",
                "MIFIDPRU 3.2.2R(2)",
            ),
            (
                "CET1 and AT1 test met",
                view.figure(composition, "cet1_plus_at1_test_passed"),
                "yes/no",
                "MIFIDPRU 3.2.2R(2)",
            ),
            (
                "Own funds required (100%)",
                view.figure(composition, "total_required_gbp"),
                "GBP",
                "MIFIDPRU 3.2.2R(3)",
            ),
            (
                "Own funds test met",
                view.figure(composition, "total_test_passed"),
                "yes/no",
                "MIFIDPRU 3.2.2R(3)",
            ),
        ],
    )
    rows += _rows(
        "Surplus",
        "6",
        [
            (
                "Surplus own funds over the own funds requirement",
                view.figure(composition, "surplus_gbp"),
                "GBP",
                "MIFIDPRU 3.2.2R",
            ),
            (
                # The value is a ratio (3.77 for 377%) and the CSV writes it as
                # it is, so the label must not say percentage.
                "Own funds divided by the own funds requirement",
                view.figure(composition, "coverage_ratio"),
                "ratio",
                "MIFIDPRU 3.2.2R",
            ),
        ],
    )
    return rows


def mif002_rows(source: Any) -> list[ReturnRow]:
    """Return the MIF002 liquidity layout: requirement, core liquid assets, surplus."""
    view = ResultsView.of(source)
    share = BASIC_LIQUID_ASSETS_GUARANTEES_SHARE.value
    rows = _rows(
        "Basic liquid assets requirement",
        "1",
        [
            (
                "Fixed overheads requirement",
                view.value("fixed_overheads"),
                "GBP",
                view.rule("fixed_overheads"),
            ),
            (
                "One third of the fixed overheads requirement",
                view.figure("liquidity", "fixed_overheads_element_gbp"),
                "GBP",
                "MIFIDPRU 6.2.1R(1)",
            ),
            (
                "Total guarantees provided to clients",
                view.input("liquidity", "client_guarantees_gbp"),
                "GBP",
                "MIFIDPRU 6.2.1R(2)",
            ),
            (
                f"{share:.1%} of guarantees provided to clients",
                view.figure("liquidity", "guarantees_element_gbp"),
                "GBP",
                "MIFIDPRU 6.2.1R(2)",
            ),
            (
                "Basic liquid assets requirement",
                view.value("liquidity"),
                "GBP",
                "MIFIDPRU 6.2.1R",
            ),
        ],
    )
    by_type = view.input("liquidity", "core_liquid_assets_gbp") or {}
    labels = {
        "coins_and_banknotes": "Coins and banknotes",
        "short_term_deposits_uk_credit_institution": "Short-term deposits at a UK "
        "credit institution",
        "uk_government_or_bank_of_england_claims": "Claims on or guaranteed by the UK "
        "government or the Bank of England",
        "short_term_money_market_fund_units": "Units in short-term regulated money "
        "market funds",
        "comparable_third_country_fund_units": "Units in comparable third-country "
        "funds",
    }
    asset_items = [
        (
            labels.get(name, name),
            by_type.get(name, 0.0 if by_type else None),
            "GBP",
            "MIFIDPRU 6.3.1R",
        )
        for name in CORE_LIQUID_ASSET_TYPES
    ]
    asset_items += [
        (
            "Trade receivables counted (after haircut and cap)",
            view.figure("liquidity", "trade_receivables_counted_gbp"),
            "GBP",
            "MIFIDPRU 6.3.3R",
        ),
        (
            "Total core liquid assets",
            view.figure("liquidity", "core_liquid_assets_gbp"),
            "GBP",
            "MIFIDPRU 6.3.1R",
        ),
    ]
    rows += _rows("Core liquid assets", "2", asset_items)
    rows += _rows(
        "Surplus",
        "3",
        [
            (
                "Surplus core liquid assets over the requirement",
                view.figure("liquidity", "surplus_gbp"),
                "GBP",
                "MIFIDPRU 6.2.1R",
            ),
        ],
    )
    return rows


def rows_frame(rows: list[ReturnRow]) -> pd.DataFrame:
    """Return return rows as a table: section, reference, item, value, unit, rule.

    GBP values are rounded to the penny, as in every export.
    """
    return pd.DataFrame(
        [
            {
                "section": row.section,
                "reference": row.reference,
                "item": row.label,
                "value": export_value(row.value, row.unit),
                "unit": row.unit,
                "rule": row.rule,
            }
            for row in rows
        ],
        columns=["section", "reference", "item", "value", "unit", "rule"],
    )
