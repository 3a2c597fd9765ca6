"""The sample firm: load its files through the upload path and build its inputs.

``load_sample_firm`` creates "Sample Asset Management Ltd" and saves every file
in ``sample_data/`` as a dataset, each parsed by ``parse_upload`` exactly as a
user's upload would be. ``sample_firm_inputs`` turns parsed datasets into the
input bundle of ``calc.position.firm_position``.

The sample firm's profile (permissions, SNI status, counterparty types) is not
in any upload and is set in ``SAMPLE_PROFILE``.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from calc.calendar import Month
from ingest.kinds import (
    NOT_CORE,
    NOT_DEDUCTED,
    THIRD_PARTY_FIXED_EXPENSES,
    TRADE_RECEIVABLE,
)
from ingest.tables import read_table
from ingest.upload import ParsedUpload, parse_upload

logger = logging.getLogger(__name__)

SAMPLE_FIRM_NAME = "Sample Asset Management Ltd"
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_CALCULATION_DATE = date(2026, 12, 1)
SAMPLE_FILES: dict[str, str] = {
    "aum_month_end": "aum_month_end.csv",
    "fx_rates": "fx_rates.csv",
    "client_money_daily": "client_money_daily.csv",
    "assets_safeguarded_daily": "assets_safeguarded_daily.csv",
    "client_orders_daily": "client_orders_daily.csv",
    "trading_flow_daily": "trading_flow_daily.csv",
    "expenditure": "expenditure.csv",
    "own_funds": "own_funds.csv",
    "liquid_assets": "liquid_assets.csv",
    "client_guarantees": "client_guarantees.csv",
    "risk_register": "risk_register.csv",
}
TRADES_KIND = "saccr_trades"
TRADES_FILE = "trades.csv"

SAMPLE_PROFILE: dict[str, Any] = {
    "permissions": [
        "portfolio_management",
        "investment_advice",
        "holds_client_money",
        "holds_client_assets",
        "deal_on_own_account",
    ],
    "is_sni": False,
    "expenditure_period_months": 12,
    "expenditure_audited": True,
    "counterparties": {
        "BANK-A": ("credit_institution", True),
        "BANK-B": ("credit_institution", True),
        "BROKER-C": ("investment_firm", True),
    },
}


class SampleDataError(RuntimeError):
    """A sample file failed to parse; the message lists its errors."""


def parse_sample_files(
    folder: Path = SAMPLE_DIR, today: date = SAMPLE_CALCULATION_DATE
) -> dict[str, ParsedUpload]:
    """Parse every sample upload file; raise ``SampleDataError`` on any error.

    ``today`` is the sample's calculation date, so the check for future dates
    does not depend on the machine's clock.
    """
    parsed = {}
    for kind, filename in SAMPLE_FILES.items():
        upload = parse_upload(kind, (folder / filename).read_bytes(), filename, today)
        if not upload.ok:
            listed = "; ".join(str(issue) for issue in upload.issues[:5])
            raise SampleDataError(f"Sample file {filename} has errors: {listed}")
        parsed[kind] = upload
    return parsed


def read_sample_trades(folder: Path = SAMPLE_DIR) -> list[dict[str, str]]:
    """Read the sample trade file as rows of text keyed by column name.

    The rows are checked with ``calc.saccr.trades.trade_table_from_records``,
    which raises ``TradeFileError`` listing every problem.
    """
    from calc.saccr.trades import trade_table_from_records

    table = read_table((folder / TRADES_FILE).read_bytes(), TRADES_FILE)
    if not table.ok:
        raise SampleDataError(
            f"Sample file {TRADES_FILE} is unreadable: "
            + "; ".join(str(issue) for issue in table.issues)
        )
    records = [
        {
            column: str(cell)
            for column, cell in zip(table.columns, row.cells, strict=True)
            if cell not in ("", None)
        }
        for row in table.rows
    ]
    trade_table_from_records(records)
    return records


def load_sample_firm(store: Any, actor: Any, folder: Path = SAMPLE_DIR) -> int:
    """Create the sample firm (or reuse it) and save each sample file as a dataset.

    Every file is parsed before anything is saved, so a bad file saves nothing.
    Returns the firm id.
    """
    parsed = parse_sample_files(folder)
    trades = read_sample_trades(folder)
    existing = [
        firm for firm in store.list_firms(actor) if firm.name == SAMPLE_FIRM_NAME
    ]
    firm = existing[0] if existing else store.create_firm(actor, SAMPLE_FIRM_NAME)
    firm_id = int(firm.id)
    for kind, upload in parsed.items():
        store.save_dataset(actor, firm_id, kind, upload.records(), SAMPLE_FILES[kind])
    store.save_dataset(actor, firm_id, TRADES_KIND, trades, TRADES_FILE)
    logger.info("sample firm loaded: firm_id=%s datasets=%d", firm_id, len(parsed) + 1)
    return firm_id


def _frame(data: ParsedUpload | pd.DataFrame | list[dict[str, Any]]) -> pd.DataFrame:
    if isinstance(data, ParsedUpload):
        return data.frame
    if isinstance(data, pd.DataFrame):
        return data
    return pd.DataFrame(data)


def _day(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _daily_totals(frame: pd.DataFrame) -> list[list[Any]]:
    totals: dict[date, float] = defaultdict(float)
    for day, amount in zip(frame["date"], frame["amount_gbp"], strict=True):
        totals[_day(day)] += float(amount)
    return [[day.isoformat(), totals[day]] for day in sorted(totals)]


def _trade_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    records = []
    for row in frame.to_dict("records"):
        record = {
            "date": _day(row["date"]).isoformat(),
            "kind": row["kind"],
            "amount": float(row["amount"]),
            "currency": row["currency"],
            "fx_rate_to_gbp": float(row["fx_rate_to_gbp"]),
        }
        if row.get("interest_rate_derivative"):
            record["interest_rate_derivative"] = True
            record["time_to_maturity_years"] = float(row["time_to_maturity_years"])
        records.append(record)
    return records


def _first_day(frame: pd.DataFrame) -> str:
    return min(_day(day) for day in frame["date"]).isoformat()


def sample_firm_inputs(
    datasets: Mapping[str, ParsedUpload | pd.DataFrame | list[dict[str, Any]]],
    calculation_date: date = SAMPLE_CALCULATION_DATE,
    profile: Mapping[str, Any] | None = None,
    trades: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Build the ``calc.position.firm_position`` bundle from parsed datasets.

    Parameters
    ----------
    datasets : mapping of kind to ParsedUpload, DataFrame or saved records
        The uploads by kind (``SAMPLE_FILES`` keys). A kind left out leaves its
        part of the bundle out.
    calculation_date : date
        The first business day of the month being calculated.
    profile : mapping, optional
        Permissions, SNI status, expenditure period and counterparty types;
        ``SAMPLE_PROFILE`` when omitted.
    trades : list of dict, optional
        SA-CCR trade rows for K-TCD.

    Notes
    -----
    Amounts in other currencies are converted at each row's own rate
    (``amount_gbp``) before being summed per month or day. Trade receivables
    count at their full amount here; the liquidity calculator applies the
    haircut and cap.
    """
    profile = SAMPLE_PROFILE if profile is None else profile
    frames = {kind: _frame(data) for kind, data in datasets.items()}
    bundle: dict[str, Any] = {"is_sni": bool(profile.get("is_sni", False))}
    if profile.get("permissions"):
        bundle["permissions"] = list(profile["permissions"])
    if "expenditure" in frames:
        bundle["fixed_overheads"] = fixed_overheads_inputs(
            frames["expenditure"],
            profile.get("expenditure_period_months", 12),
            profile.get("expenditure_audited", True),
        )
    bundle["k_factors"] = k_factor_inputs(frames, calculation_date, trades, profile)
    if "own_funds" in frames:
        bundle["own_funds"] = own_funds_inputs(frames["own_funds"])
    bundle["liquidity"] = liquidity_inputs(
        frames.get("liquid_assets"), frames.get("client_guarantees")
    )
    if "risk_register" in frames:
        bundle["risk_assessment"] = {"risks": risk_inputs(frames["risk_register"])}
    return bundle


def k_factor_inputs(
    frames: Mapping[str, pd.DataFrame],
    calculation_date: date,
    trades: list[dict[str, str]] | None,
    profile: Mapping[str, Any],
) -> dict[str, Any]:
    """Build the ``k_factors`` part of the bundle: one entry per K-factor with data."""
    when = calculation_date.isoformat()
    k_factors: dict[str, Any] = {}
    if "aum_month_end" in frames:
        k_factors["k_aum"] = {
            "calculation_date": when,
            "month_end_aum_gbp": month_end_totals(frames["aum_month_end"]),
        }
    if "client_money_daily" in frames:
        money = frames["client_money_daily"]
        segregated = money["segregated"].astype(bool)
        k_cmh: dict[str, Any] = {"calculation_date": when}
        # A field is left out when no account of its kind exists: an empty
        # series would read as every business day missing.
        if segregated.any():
            k_cmh["daily_segregated_cmh_gbp"] = _daily_totals(money[segregated])
        if (~segregated).any():
            k_cmh["daily_non_segregated_cmh_gbp"] = _daily_totals(money[~segregated])
        k_factors["k_cmh"] = k_cmh
    if "assets_safeguarded_daily" in frames:
        k_factors["k_asa"] = {
            "calculation_date": when,
            "daily_asa_gbp": _daily_totals(frames["assets_safeguarded_daily"]),
        }
    for kind, name in (
        ("client_orders_daily", "k_coh"),
        ("trading_flow_daily", "k_dtf"),
    ):
        if kind in frames:
            k_factors[name] = {
                "calculation_date": when,
                "trades": _trade_records(frames[kind]),
                "trade_records_complete_from": _first_day(frames[kind]),
            }
    if "total_margin_daily" in frames:
        k_factors["k_cmg"] = {
            "calculation_date": when,
            "daily_total_margin_gbp": _daily_totals(frames["total_margin_daily"]),
        }
    if trades:
        k_factors["k_tcd"] = k_tcd_inputs(trades, profile.get("counterparties", {}))
    return k_factors


def month_end_totals(frame: pd.DataFrame) -> dict[str, float]:
    """Sum ``amount_gbp`` by calendar month: ``{"2026-11": 2.1e9, ...}``."""
    totals: dict[str, float] = defaultdict(float)
    for day, amount in zip(frame["date"], frame["amount_gbp"], strict=True):
        totals[str(Month.of(_day(day)))] += float(amount)
    return dict(sorted(totals.items()))


def fixed_overheads_inputs(
    frame: pd.DataFrame, period_months: float, audited: bool
) -> dict[str, Any]:
    """Sum expenditure lines into the FOR calculator's inputs (GBP)."""
    by_category: dict[str, float] = defaultdict(float)
    for category, amount in zip(frame["category"], frame["amount"], strict=True):
        by_category[category] += float(amount)
    third_party = by_category.pop(THIRD_PARTY_FIXED_EXPENSES, 0.0)
    total = math.fsum(by_category.values())
    deductions = {
        name: amount for name, amount in by_category.items() if name != NOT_DEDUCTED
    }
    return {
        "total_expenditure_gbp": total,
        "deductions_gbp": deductions,
        "third_party_fixed_expenses_gbp": third_party,
        "period_months": period_months,
        "audited": audited,
    }


def own_funds_inputs(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Group own funds rows into ``<tier>_items_gbp`` and ``<tier>_deductions_gbp``."""
    result: dict[str, dict[str, float]] = {}
    for tier in ("CET1", "AT1", "T2"):
        rows = frame[frame["tier"] == tier]
        for deduction, suffix in ((False, "items_gbp"), (True, "deductions_gbp")):
            part = rows[rows["deduction"].astype(bool) == deduction]
            amounts: dict[str, float] = defaultdict(float)
            for item, amount in zip(part["item"], part["amount"], strict=True):
                amounts[item] += float(amount)
            result[f"{tier.lower()}_{suffix}"] = dict(amounts)
    return result


def liquidity_inputs(
    assets: pd.DataFrame | None, guarantees: pd.DataFrame | None
) -> dict[str, Any]:
    """Build the liquidity calculator's asset and guarantee inputs (GBP)."""
    inputs: dict[str, Any] = {}
    if guarantees is not None:
        inputs["client_guarantees_gbp"] = math.fsum(guarantees["amount_gbp"])
    if assets is not None:
        core: dict[str, float] = defaultdict(float)
        receivables = []
        for row in assets.to_dict("records"):
            if row["asset_type"] == NOT_CORE:
                continue
            if row["asset_type"] == TRADE_RECEIVABLE:
                receivables.append(
                    {
                        "amount_gbp": float(row["amount_gbp"]),
                        "days_to_due": int(row["due_days"]),
                    }
                )
            else:
                core[row["asset_type"]] += float(row["amount_gbp"])
        inputs["core_liquid_assets_gbp"] = dict(core)
        inputs["trade_receivables"] = receivables
    return inputs


def risk_inputs(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Map risk register rows onto ``calc.risk_assessment`` risk objects."""
    return [
        {
            "id": row["risk_id"],
            "title": row["title"],
            "category": row["category"],
            "likelihood": int(row["likelihood"]),
            "impact": int(row["impact"]),
            "velocity": row["velocity"],
            "control_effectiveness": row["control_effectiveness"],
            "harm_capital_gbp": float(row["harm_capital_gbp"]),
        }
        for row in frame.to_dict("records")
    ]


def k_tcd_inputs(
    trades: list[dict[str, str]], counterparties: Mapping[str, tuple[str, bool]]
) -> dict[str, Any]:
    """Build the SA-CCR route of K-TCD from trade rows and counterparty types."""
    ids = sorted(
        {trade.get("counterparty_id") or trade["netting_set_id"] for trade in trades}
    )
    return {
        "route": "saccr",
        "trades": trades,
        "counterparties": [
            {
                "counterparty_id": name,
                "counterparty_type": counterparties.get(name, ("other", True))[0],
                "cva_applies": counterparties.get(name, ("other", True))[1],
            }
            for name in ids
        ],
    }
