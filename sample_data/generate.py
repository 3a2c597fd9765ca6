"""Generate the sample firm's upload files (seeded, so the output is reproducible).

Sample Asset Management Ltd is a fictional UK discretionary manager with about
GBP 2bn of assets under management, partly in USD, that holds client money and
safeguards client assets. The series end so that a calculation date of
2026-12-01 has full averaging windows: month-end AUM from 2024-09 to 2026-11,
daily series on England and Wales business days from 2026-03-01 to 2026-11-30.

The files deliberately use the forms analysts' exports have: a UTF-8 byte order
mark, semicolon and tab separators, ``1,234.56`` and ``1.234,56`` amounts, pound
signs, and day-first dates in several styles. Run from the repository root:

    .venv/bin/python sample_data/generate.py
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from calc.calendar import Month, business_days_between  # noqa: E402
from calc.saccr.trades import OPTIONAL_COLUMNS, REQUIRED_COLUMNS  # noqa: E402

SEED = 20261201
FIRST_MONTH = Month(2024, 9)
LAST_MONTH = Month(2026, 11)
DAILY_START = date(2026, 3, 1)
DAILY_END = date(2026, 11, 30)
FINANCIAL_YEAR_END = date(2026, 3, 31)
REPORTING_DATE = date(2026, 11, 30)

# The BCBS 279 worked examples are printed in thousands. The sample book
# multiplies them by 1,000 and books them in GBP, so every exposure value is the
# published one times 1,000, in GBP.
TRADE_SCALE = 1_000


def months() -> list[Month]:
    """Return the month-ends of the AUM series, oldest first."""
    result = []
    month = FIRST_MONTH
    while month <= LAST_MONTH:
        result.append(month)
        month = month.shift(1)
    return result


def usd_rates(rng: np.random.Generator) -> dict[date, float]:
    """Return a daily GBP-per-USD rate: a small random walk around 0.78."""
    start = FIRST_MONTH.first_day
    rates = {}
    level = 0.79
    day = start
    while day <= DAILY_END:
        level *= math.exp(rng.normal(0.0, 0.004))
        level = min(max(level, 0.72), 0.84)
        rates[day] = round(level, 4)
        day += timedelta(days=1)
    return rates


def eur_rates(usd: dict[date, float], rng: np.random.Generator) -> dict[date, float]:
    """Return a daily GBP-per-EUR rate loosely following the USD rate."""
    return {
        day: round(rate * 1.08 * (1 + rng.normal(0, 0.002)), 4)
        for day, rate in usd.items()
    }


def gbp_text(amount: float) -> str:
    """Format as ``1,234,567.89``."""
    return f"{amount:,.2f}"


def european_text(amount: float) -> str:
    """Format as ``1.234.567,89``."""
    return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def write_csv(
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    separator: str = ",",
    bom: bool = False,
) -> None:
    """Write one sample file with Windows line ends, as Excel does."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")
    (ROOT / name).write_bytes(data)


def write_aum(rng: np.random.Generator, usd: dict[date, float]) -> None:
    """Month-end AUM by portfolio: three GBP books and one USD book."""
    books = [
        ("UK Balanced", "discretionary", "GBP", 820e6, 0.004),
        ("Charities Income", "discretionary", "GBP", 310e6, 0.003),
        ("Private Clients Advisory", "ongoing_advice", "GBP", 180e6, 0.002),
        ("Global Equity USD", "discretionary", "USD", 720e6, 0.006),
    ]
    rows = []
    for book, service, currency, start, drift in books:
        level = start
        for month in months():
            level *= 1 + drift + rng.normal(0, 0.018)
            day = month.last_day
            rate = usd[day] if currency == "USD" else ""
            rows.append(
                [f"{day:%d/%m/%Y}", book, service, currency, gbp_text(level), rate]
            )
    rows.sort(key=lambda row: (row[0][6:] + row[0][3:5], row[1]))
    write_csv(
        "aum_month_end.csv",
        ["Month End", "Portfolio", "Mandate Type", "Currency", "AUM", "FX Rate to GBP"],
        rows,
        bom=True,
    )


def write_fx_rates(usd: dict[date, float], eur: dict[date, float]) -> None:
    """Month-end GBP rates of USD and EUR."""
    rows = []
    for month in months():
        day = month.last_day
        rows.append([day.isoformat(), "USD", f"{usd[day]:.4f}"])
        rows.append([day.isoformat(), "EUR", f"{eur[day]:.4f}"])
    write_csv("fx_rates.csv", ["Rate Date", "Currency", "Rate to GBP"], rows)


def business_days() -> list[date]:
    """England and Wales business days of the daily window."""
    return business_days_between(DAILY_START, DAILY_END)


def write_client_money(rng: np.random.Generator) -> None:
    """Segregated client money in two bank accounts, semicolon-separated."""
    rows = []
    main, reserve = 34e6, 6e6
    for day in business_days():
        main = min(max(main * (1 + rng.normal(0, 0.03)), 16e6), 52e6)
        reserve = min(max(reserve * (1 + rng.normal(0, 0.02)), 3e6), 9e6)
        rows.append(
            [f"{day:%d/%m/%Y}", "Client Account - Bank A", "Yes", gbp_text(main)]
        )
        rows.append(
            [f"{day:%d/%m/%Y}", "Client Reserve - Bank B", "Yes", gbp_text(reserve)]
        )
    write_csv(
        "client_money_daily.csv",
        ["Date", "Account", "Segregated", "Balance"],
        rows,
        separator=";",
        bom=True,
    )


def write_assets_safeguarded(rng: np.random.Generator, usd: dict[date, float]) -> None:
    """Client assets in the nominee, GBP and USD lines, tab-separated."""
    rows = []
    gbp_level, usd_level = 260e6, 150e6
    for day in business_days():
        gbp_level *= 1 + rng.normal(0.0002, 0.006)
        usd_level *= 1 + rng.normal(0.0002, 0.008)
        rows.append(
            [f"{day:%d/%m/%Y}", "Nominee - Custodian A", "GBP", gbp_text(gbp_level), ""]
        )
        rows.append(
            [
                f"{day:%d/%m/%Y}",
                "Nominee - Custodian A",
                "USD",
                gbp_text(usd_level),
                usd[day],
            ]
        )
    write_csv(
        "assets_safeguarded_daily.csv",
        ["Valuation Date", "Custodian", "Currency", "Value", "FX Rate"],
        rows,
        separator="\t",
    )


def write_client_orders(rng: np.random.Generator) -> None:
    """Daily totals of client orders: cash, equity index futures, gilt futures."""
    rows = []
    for day in business_days():
        stamp = f"{day:%d-%m-%Y}"
        rows.append([stamp, "cash", gbp_text(rng.uniform(6e6, 18e6)), "GBP", "no", ""])
        if rng.random() < 0.4:
            rows.append(
                [stamp, "derivative", gbp_text(rng.uniform(2e6, 8e6)), "GBP", "no", ""]
            )
        if rng.random() < 0.15:
            years = round(float(rng.uniform(2, 10)), 2)
            rows.append(
                [
                    stamp,
                    "derivative",
                    gbp_text(rng.uniform(5e6, 20e6)),
                    "GBP",
                    "yes",
                    years,
                ]
            )
    write_csv(
        "client_orders_daily.csv",
        ["Trade Date", "Kind", "Amount", "Currency", "IR Derivative", "Maturity Years"],
        rows,
    )


def write_trading_flow(rng: np.random.Generator) -> None:
    """Own-account FX forwards hedging the USD fee income, one row a business day."""
    rows = []
    for day in business_days():
        notional = rng.uniform(0.4e6, 2.0e6) if rng.random() < 0.6 else 0.0
        rows.append([day.isoformat(), "derivative", gbp_text(notional), "GBP"])
    write_csv("trading_flow_daily.csv", ["Date", "Kind", "Notional", "Currency"], rows)


EXPENDITURE_LINES = [
    ("Staff salaries", "6000", 9_480_000.00, "not_deducted"),
    ("Employer NI and pension contributions", "6010", 1_655_250.00, "not_deducted"),
    (
        "Staff bonuses (profit pool)",
        "6020",
        3_150_000.00,
        "staff_bonuses_dependent_on_net_profit",
    ),
    ("Office rent and service charges", "6100", 1_215_400.00, "Fixed"),
    ("IT, market data and software licences", "6200", 2_086_730.55, "not_deducted"),
    ("Custody and fund administration fees", "6300", 812_500.00, "not_deducted"),
    ("Professional fees (audit, legal, tax)", "6400", 598_200.00, "not_deducted"),
    ("FCA and FSCS fees", "6410", 246_880.00, "not_deducted"),
    ("Insurance", "6420", 302_115.00, "not_deducted"),
    ("Depreciation", "6500", 410_000.00, "not_deducted"),
    (
        "Introducer commission (paid on receipt of fees)",
        "6600",
        905_640.00,
        "shared_commissions_contingent_on_receipt",
    ),
    (
        "Office relocation (one-off)",
        "6700",
        352_000.00,
        "non_recurring_non_ordinary_expenses",
    ),
    ("Corporation tax", "6800", 1_402_300.00, "tax_on_annual_profits"),
    ("Marketing and events", "6900", 298_410.25, "not_deducted"),
    ("Travel and subsistence", "6910", 151_920.00, "not_deducted"),
    ("Sundry expenses", "6990", 199_654.20, "not_deducted"),
]


def write_expenditure() -> None:
    """Audited expenditure for the year to 31 March 2026, with pound signs."""
    rows = [
        [name, code, f"£{amount:,.2f}", category]
        for name, code, amount, category in EXPENDITURE_LINES
    ]
    write_csv(
        "expenditure.csv",
        ["Line Item", "Account Code", "Amount (GBP)", "Category"],
        rows,
        bom=True,
    )


OWN_FUNDS_LINES = [
    ("common_equity_tier1_instruments", "CET1", 5_000_000.00, "no"),
    ("share_premium", "CET1", 2_000_000.00, "no"),
    ("retained_earnings", "CET1", 9_215_430.18, "no"),
    ("other_reserves", "CET1", 500_000.00, "no"),
    ("intangible_assets", "CET1", 1_185_000.00, "yes"),
    ("deferred_tax_assets_relying_on_future_profitability", "CET1", 96_250.00, "yes"),
    ("tier2_instruments", "T2", 1_000_000.00, "no"),
]


def write_own_funds() -> None:
    """Own funds by tier, semicolon-separated with ``1.234,56`` amounts."""
    rows = [
        [item, tier, european_text(amount), flag]
        for item, tier, amount, flag in OWN_FUNDS_LINES
    ]
    write_csv(
        "own_funds.csv", ["Item", "Tier", "Amount", "Deduction"], rows, separator=";"
    )


def write_liquid_assets(usd: dict[date, float]) -> None:
    """Liquid assets as at the reporting date."""
    rate = usd[REPORTING_DATE]
    rows = [
        [
            "short_term_deposits_uk_credit_institution",
            "Current account - Bank A",
            gbp_text(4_250_000),
            "GBP",
            "",
            "",
        ],
        [
            "short_term_deposits_uk_credit_institution",
            "USD call account - Bank A",
            gbp_text(1_100_000),
            "USD",
            rate,
            "",
        ],
        [
            "short_term_money_market_fund_units",
            "Sterling liquidity fund",
            gbp_text(3_000_000),
            "GBP",
            "",
            "",
        ],
        [
            "uk_government_or_bank_of_england_claims",
            "UK Treasury bills",
            gbp_text(1_500_000),
            "GBP",
            "",
            "",
        ],
        [
            "trade_receivable",
            "Management fees receivable",
            gbp_text(2_350_000),
            "GBP",
            "",
            30,
        ],
        [
            "not_core_liquid_asset",
            "Seed investment in own fund",
            gbp_text(800_000),
            "GBP",
            "",
            "",
        ],
    ]
    write_csv(
        "liquid_assets.csv",
        [
            "Asset Type",
            "Description",
            "Amount",
            "Currency",
            "FX Rate to GBP",
            "Due Days",
        ],
        rows,
    )


def write_client_guarantees() -> None:
    """Write one guarantee given to a client's lender."""
    write_csv(
        "client_guarantees.csv",
        ["Guarantee ID", "Client", "Amount", "Currency"],
        [["G-001", "Client 1042 (lending facility)", gbp_text(250_000), "GBP"]],
    )


RISKS = [
    (
        "R01",
        "Key person dependency in the investment team",
        "operational",
        3,
        4,
        "moderate",
        "moderate",
        350_000,
    ),
    (
        "R02",
        "Unsuitable portfolio for a client's risk profile",
        "harm_to_clients",
        2,
        4,
        "slow",
        "strong",
        250_000,
    ),
    (
        "R03",
        "Trade error on a large client order",
        "harm_to_clients",
        3,
        3,
        "fast",
        "strong",
        150_000,
    ),
    (
        "R04",
        "Cyber attack on the portfolio system",
        "operational",
        2,
        5,
        "very_fast",
        "moderate",
        500_000,
    ),
    (
        "R05",
        "Fall in AUM after a market downturn",
        "business_model",
        3,
        4,
        "moderate",
        "weak",
        400_000,
    ),
    (
        "R06",
        "Counterparty default on a hedging trade",
        "credit",
        1,
        3,
        "fast",
        "strong",
        50_000,
    ),
    (
        "R07",
        "Breach of client money rules",
        "regulatory",
        2,
        4,
        "slow",
        "strong",
        100_000,
    ),
    (
        "R08",
        "Outsourced administrator failure, affecting NAV and reporting",
        "operational",
        2,
        3,
        "moderate",
        "moderate",
        120_000,
    ),
]


def write_risk_register() -> None:
    """Write a short risk register with harm capital."""
    rows = [[*risk[:7], gbp_text(risk[7])] for risk in RISKS]
    write_csv(
        "risk_register.csv",
        [
            "Risk ID",
            "Title",
            "Category",
            "Likelihood",
            "Impact",
            "Velocity",
            "Control Effectiveness",
            "Harm Capital",
        ],
        rows,
    )


def trade_rows() -> list[list[object]]:
    """Return BCBS 279 Annex 4a examples 1 to 3 as trade rows, scaled to GBP."""
    fixture = json.loads(
        (ROOT.parent / "tests" / "fixtures" / "saccr.json").read_text()
    )
    cases = {case["id"]: case for case in fixture["cases"]}
    examples = [
        ("bcbs279-ex1-ir-unmargined", "NS-BANK-A", "BANK-A"),
        ("bcbs279-ex2-credit-unmargined", "NS-BANK-B", "BANK-B"),
        ("bcbs279-ex3-commodity-unmargined", "NS-BROKER-C", "BROKER-C"),
    ]
    commodity_classes = {"crude_oil": "oil_gas", "silver": "metals"}
    rows = []
    for case_id, netting_set, counterparty in examples:
        for trade in cases[case_id]["trades"]:
            asset = trade["asset_class"]
            row = dict.fromkeys(TRADE_COLUMNS, "")
            row.update(
                trade_id=trade["id"],
                netting_set_id=netting_set,
                counterparty_id=counterparty,
                asset_class=asset,
                notional=trade["notional"] * TRADE_SCALE,
                maturity_years=trade["M_years"],
                direction=trade["direction"],
                mtm=trade["mtm"] * TRADE_SCALE,
                margined="false",
            )
            if asset == "interest_rate":
                row.update(
                    hedging_set=trade["hedging_set"],
                    start_years=trade["S_years"],
                    end_years=trade["E_years"],
                )
            if asset == "credit":
                row.update(
                    sub_class="IG_index" if trade["index"] else trade["rating"],
                    risk_factor=trade["reference_entity"],
                    start_years=trade["S_years"],
                    end_years=trade["E_years"],
                )
            if asset == "commodity":
                row.update(
                    sub_class=commodity_classes[trade["commodity_type"]],
                    risk_factor=trade["commodity_type"],
                )
            option = trade.get("option")
            if option:
                row.update(
                    option_type=option["call_or_put"],
                    option_position=option["bought_or_sold"],
                    underlying_price=option["underlying_price"],
                    strike=option["strike"],
                    exercise_years=option["T_years"],
                )
            rows.append([row[column] for column in TRADE_COLUMNS])
    return rows


# The trade file's columns, in the order calc.saccr.trades documents them.
TRADE_COLUMNS = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]


def write_trades() -> None:
    """Write the derivatives book in the SA-CCR trade file format."""
    write_csv("trades.csv", TRADE_COLUMNS, trade_rows())


def main() -> None:
    """Write every sample file into this folder."""
    rng = np.random.default_rng(SEED)
    usd = usd_rates(rng)
    eur = eur_rates(usd, rng)
    write_aum(rng, usd)
    write_fx_rates(usd, eur)
    write_client_money(rng)
    write_assets_safeguarded(rng, usd)
    write_client_orders(rng)
    write_trading_flow(rng)
    write_expenditure()
    write_own_funds()
    write_liquid_assets(usd)
    write_client_guarantees()
    write_risk_register()
    write_trades()


if __name__ == "__main__":
    main()
