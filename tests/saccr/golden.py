"""Turn the golden SA-CCR cases in tests/fixtures/saccr.json into trade rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "saccr.json"

COMMODITY_SUB_CLASS = {
    "crude_oil": "oil_gas",
    "brent_vs_gas": "oil_gas",
    "silver": "metals",
}


def load_cases() -> list[dict[str, Any]]:
    """Return every case of the golden SA-CCR file."""
    return json.loads(FIXTURE.read_text("utf-8"))["cases"]


def case_by_id(case_id: str) -> dict[str, Any]:
    """Return the golden case with this id."""
    return next(case for case in load_cases() if case["id"] == case_id)


def trade_rows(case: dict[str, Any]) -> list[dict[str, Any]]:
    """Map a golden case's trades and netting set onto trade-file rows."""
    netting_set = case["netting_set"]
    terms = {
        "margined": "true" if netting_set["margined"] else "false",
        "threshold": netting_set.get("threshold", 0),
        "minimum_transfer_amount": netting_set.get("mta", 0),
        "nica": netting_set.get("nica", 0),
        "variation_margin_net_held": netting_set.get("vm_net_held", 0),
        "remargin_period_days": netting_set.get("remargin_period_business_days", 1),
    }
    return [
        _trade_row(trade) | terms | {"netting_set_id": case["id"]}
        for trade in case["trades"]
    ]


def _trade_row(trade: dict[str, Any]) -> dict[str, Any]:
    asset_class = trade["asset_class"]
    row: dict[str, Any] = {
        "trade_id": trade["id"],
        "asset_class": asset_class,
        "notional": trade["notional"],
        "maturity_years": trade["M_years"],
        "direction": trade["direction"],
        "mtm": trade["mtm"],
        "transaction_kind": trade.get("nature", "linear"),
        "start_years": trade.get("S_years", ""),
        "end_years": trade.get("E_years", ""),
    }
    kind = row["transaction_kind"]
    if asset_class == "interest_rate":
        row["hedging_set"] = (
            trade["hedging_set_label"] if kind != "linear" else trade["currency"]
        )
    elif asset_class == "fx":
        row["hedging_set"] = trade["currency_pair"]
    elif asset_class == "credit":
        row["sub_class"] = (
            f"{trade['rating']}_index" if trade.get("index") else trade["rating"]
        )
        row["risk_factor"] = trade["reference_entity"]
    elif asset_class == "equity":
        row["sub_class"] = "index" if trade.get("index") else "single_name"
        row["risk_factor"] = trade["reference_entity"]
    elif asset_class == "commodity":
        row["sub_class"] = COMMODITY_SUB_CLASS[trade["commodity_type"]]
        row["risk_factor"] = trade["commodity_type"]
        if kind != "linear":
            row["hedging_set"] = trade["hedging_set_label"]
    option = trade.get("option")
    if option:
        row |= {
            "option_type": option["call_or_put"],
            "option_position": option["bought_or_sold"],
            "underlying_price": option["underlying_price"],
            "strike": option["strike"],
            "exercise_years": option["T_years"],
        }
    return row
