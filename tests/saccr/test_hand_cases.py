"""SA-CCR cases worked by hand from the Basel Framework CRE52 text.

Each test states what it checks and shows the arithmetic. Amounts are GBP;
times are years of 250 business days.
"""

from __future__ import annotations

import math

import pytest

from calc.saccr import breakdown, calculate_exposure, trade_table_from_records


def normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def exposure_of(rows: list[dict]):
    table = trade_table_from_records(rows)
    return calculate_exposure(table)


def only_netting_set(rows: list[dict]):
    return exposure_of(rows).netting_sets.iloc[0]


def test_fx_pairs_net_within_pair_only() -> None:
    """FX: one hedging set per currency pair, add-on 4% x |sum D| (CRE52.58).

    EUR/GBP long 1,000,000 (M 2, MF 1) and short 400,000 (M 0.25, MF 0.5) net to
    800,000; USD/GBP short 500,000 (M 1, MF 1). Add-on = 4% x 800,000 +
    4% x 500,000 = 52,000. V = 10,000 - 3,000 - 2,000 = 5,000 = RC.
    EAD = 1.4 x (5,000 + 52,000) = 79,800.
    """
    common = {"netting_set_id": "NS", "asset_class": "fx"}
    row = only_netting_set(
        [
            common
            | {
                "trade_id": "A",
                "hedging_set": "EUR/GBP",
                "notional": 1e6,
                "maturity_years": 2,
                "direction": "long",
                "mtm": 10_000,
            },
            common
            | {
                "trade_id": "B",
                "hedging_set": "EUR/GBP",
                "notional": 4e5,
                "maturity_years": 0.25,
                "direction": "short",
                "mtm": -3_000,
            },
            common
            | {
                "trade_id": "C",
                "hedging_set": "usd/gbp",
                "notional": 5e5,
                "maturity_years": 1,
                "direction": "short",
                "mtm": -2_000,
            },
        ]
    )
    assert row["add_on_fx"] == pytest.approx(52_000, abs=1e-6)
    assert row["replacement_cost"] == pytest.approx(5_000, abs=1e-9)
    assert row["exposure_at_default"] == pytest.approx(79_800, abs=1e-6)


def test_equity_options_single_name_and_index() -> None:
    """Equity: option deltas at supervisory vols, then the ρ aggregation (CRE52.66).

    Bought put on a single name, P = K = 50, T = 1, σ = 120%:
    d1 = 0.5 x 1.2² x 1 / 1.2 = 0.6, δ = -Φ(-0.6); notional 100,000, MF 1;
    A1 = 32% x δ x 100,000.
    Sold call on an index, P = K, T = 0.25, σ = 75%:
    d1 = 0.5 x 0.75² x 0.25 / (0.75 x 0.5) = 0.1875, δ = -Φ(0.1875);
    notional 200,000, M 0.25 so MF 0.5; A2 = 20% x δ x 100,000.
    Add-on = sqrt((0.5 A1 + 0.8 A2)² + 0.75 A1² + 0.36 A2²); V = 2,000 = RC.
    """
    base = {"netting_set_id": "NS", "asset_class": "equity"}
    row = only_netting_set(
        [
            base
            | {
                "trade_id": "PUT",
                "sub_class": "single_name",
                "risk_factor": "ACME",
                "notional": 100_000,
                "maturity_years": 1,
                "direction": "long",
                "mtm": 3_000,
                "option_type": "put",
                "option_position": "bought",
                "underlying_price": 50,
                "strike": 50,
                "exercise_years": 1,
            },
            base
            | {
                "trade_id": "CALL",
                "sub_class": "index",
                "risk_factor": "FTSE 100",
                "notional": 200_000,
                "maturity_years": 0.25,
                "direction": "short",
                "mtm": -1_000,
                "option_type": "call",
                "option_position": "sold",
                "underlying_price": 8_000,
                "strike": 8_000,
                "exercise_years": 0.25,
            },
        ]
    )
    a1 = 0.32 * -normal_cdf(-0.6) * 100_000
    a2 = 0.20 * -normal_cdf(0.1875) * 100_000
    add_on = math.sqrt((0.5 * a1 + 0.8 * a2) ** 2 + 0.75 * a1**2 + 0.36 * a2**2)
    assert row["add_on_equity"] == pytest.approx(add_on, abs=1e-6)
    assert row["exposure_at_default"] == pytest.approx(1.4 * (2_000 + add_on), abs=1e-6)


def test_interest_rate_buckets_one_and_three() -> None:
    """IR: buckets 1 and 3 of one currency offset with the 0.6 cross term (CRE52.57).

    Long 6-month GBP swap: SD = (1 - e^-0.025)/0.05, MF = sqrt(0.5),
    D1 = 1,000,000 x SD x MF. Short 10-year GBP swap: SD = (1 - e^-0.5)/0.05,
    MF 1, D3 = -1,000,000 x SD. EN = sqrt(D1² + D3² + 0.6 D1 D3),
    add-on = 0.5% x EN, V = 0 so multiplier 1 and EAD = 1.4 x add-on.
    """
    base = {
        "netting_set_id": "NS",
        "asset_class": "interest_rate",
        "hedging_set": "GBP",
        "notional": 1e6,
        "start_years": 0,
        "mtm": 0,
    }
    exposure = exposure_of(
        [
            base
            | {
                "trade_id": "SHORT-DATED",
                "end_years": 0.5,
                "maturity_years": 0.5,
                "direction": "long",
            },
            base
            | {
                "trade_id": "TEN-YEAR",
                "end_years": 10,
                "maturity_years": 10,
                "direction": "short",
            },
        ]
    )
    d1 = 1e6 * (1 - math.exp(-0.025)) / 0.05 * math.sqrt(0.5)
    d3 = -1e6 * (1 - math.exp(-0.5)) / 0.05
    effective_notional = math.sqrt(d1**2 + d3**2 + 0.6 * d1 * d3)
    row = exposure.netting_sets.iloc[0]
    assert exposure.hedging_sets["effective_notional"].iloc[0] == pytest.approx(
        effective_notional, abs=1e-6
    )
    assert row["add_on_interest_rate"] == pytest.approx(
        0.005 * effective_notional, abs=1e-6
    )
    assert row["exposure_at_default"] == pytest.approx(
        1.4 * 0.005 * effective_notional, abs=1e-6
    )


def test_commodity_types_long_and_short() -> None:
    """Commodity: types net inside, ρ = 40% across types of a hedging set (CRE52.69).

    Energy: crude long 1,000,000 → A = 180,000; gas short 600,000 → A = -108,000;
    electricity long 200,000 at SF 40% → A = 80,000. Sum A = 152,000,
    sum A² = 5.0464e10, add-on = sqrt((0.4 x 152,000)² + 0.84 x 5.0464e10)
    = sqrt(4.60864e10). Metals: gold long and short 500,000 net to 0.
    All M = 1 so MF = 1; V = 0, EAD = 1.4 x add-on.
    """
    base = {
        "netting_set_id": "NS",
        "asset_class": "commodity",
        "maturity_years": 1,
        "mtm": 0,
    }
    row = only_netting_set(
        [
            base
            | {
                "trade_id": "CRUDE",
                "sub_class": "oil_gas",
                "risk_factor": "crude",
                "notional": 1e6,
                "direction": "long",
            },
            base
            | {
                "trade_id": "GAS",
                "sub_class": "oil_gas",
                "risk_factor": "gas",
                "notional": 6e5,
                "direction": "short",
            },
            base
            | {
                "trade_id": "POWER",
                "sub_class": "electricity",
                "risk_factor": "UK power",
                "notional": 2e5,
                "direction": "long",
            },
            base
            | {
                "trade_id": "GOLD-L",
                "sub_class": "metals",
                "risk_factor": "gold",
                "notional": 5e5,
                "direction": "long",
            },
            base
            | {
                "trade_id": "GOLD-S",
                "sub_class": "metals",
                "risk_factor": "gold",
                "notional": 5e5,
                "direction": "short",
            },
        ]
    )
    add_on = math.sqrt(4.60864e10)
    assert row["add_on_commodity"] == pytest.approx(add_on, abs=1e-6)
    assert row["exposure_at_default"] == pytest.approx(1.4 * add_on, abs=1e-6)


def test_cdo_tranche_deltas() -> None:
    """CDO tranches: δ = ±15 / ((1 + 14A)(1 + 14D)) (CRE52.41).

    Bought protection on 3-7%: δ = 15 / (1.42 x 1.98) = 5.335040546...
    Sold protection on the 2nd-to-default of 5 names (A = 0.2, D = 0.4):
    δ = -15 / (3.8 x 6.6) = -0.598086124...
    Each is its own IG index entity, E = 5 so SD = (1 - e^-0.25)/0.05, MF 1;
    each entity add-on is 0.38% x δ x 1,000,000 x SD, ρ = 80%.
    """
    base = {
        "netting_set_id": "NS",
        "asset_class": "credit",
        "sub_class": "IG_index",
        "notional": 1e6,
        "start_years": 0,
        "end_years": 5,
        "maturity_years": 5,
        "mtm": 0,
    }
    exposure = exposure_of(
        [
            base
            | {
                "trade_id": "TRANCHE",
                "risk_factor": "ITRAXX 3-7",
                "direction": "long",
                "attachment": 0.03,
                "detachment": 0.07,
            },
            base
            | {
                "trade_id": "NTD",
                "risk_factor": "BASKET 2ND",
                "direction": "short",
                "attachment": 0.2,
                "detachment": 0.4,
            },
        ]
    )
    deltas = exposure.trades.set_index("trade_id")["supervisory_delta"]
    assert deltas["TRANCHE"] == pytest.approx(15 / (1.42 * 1.98), abs=1e-12)
    assert deltas["NTD"] == pytest.approx(-15 / (3.8 * 6.6), abs=1e-12)
    duration = (1 - math.exp(-0.25)) / 0.05
    a1 = 0.0038 * 15 / (1.42 * 1.98) * 1e6 * duration
    a2 = 0.0038 * -15 / (3.8 * 6.6) * 1e6 * duration
    add_on = math.sqrt((0.8 * a1 + 0.8 * a2) ** 2 + 0.36 * a1**2 + 0.36 * a2**2)
    assert exposure.netting_sets.iloc[0]["add_on_credit"] == pytest.approx(
        add_on, abs=1e-6
    )


def test_margined_cap_binds_for_short_trade() -> None:
    """A margined set is capped at its unmargined EAD (CRE52.2).

    FX forward of 1,000,000 with M = 10 business days (0.04 years), margined
    daily with TH = MTA = 0 and no collateral, V = 0 so RC = 0 both ways.
    Margined MF = 1.5 x sqrt(10/250) = 0.3; unmargined MF = sqrt(0.04) = 0.2.
    Margined EAD = 1.4 x 4% x 1,000,000 x 0.3 = 16,800; unmargined = 11,200,
    so the EAD is 11,200 and the cap binds.
    """
    row = only_netting_set(
        [
            {
                "trade_id": "FWD",
                "netting_set_id": "NS",
                "asset_class": "fx",
                "hedging_set": "USD/GBP",
                "notional": 1e6,
                "maturity_years": 0.04,
                "direction": "long",
                "mtm": 0,
                "margined": "true",
            }
        ]
    )
    assert row["ead_before_cap"] == pytest.approx(16_800, abs=1e-6)
    assert row["ead_unmargined_basis"] == pytest.approx(11_200, abs=1e-6)
    assert row["unmargined_cap_binds"]
    assert row["exposure_at_default"] == pytest.approx(11_200, abs=1e-6)


def test_negative_rate_option_uses_shift() -> None:
    """Options on negative rates use λ: d1 = [ln((P+λ)/(K+λ)) + σ²T/2]/(σ√T) (CRE52.40).

    Bought call, P = -0.002, K = 0.001, λ = 0.01, T = 1, σ = 50%:
    d1 = (ln(0.008/0.011) + 0.125) / 0.5, δ = Φ(d1).
    """
    exposure = exposure_of(
        [
            {
                "trade_id": "CAP",
                "netting_set_id": "NS",
                "asset_class": "interest_rate",
                "hedging_set": "EUR",
                "notional": 1e6,
                "start_years": 1,
                "end_years": 6,
                "maturity_years": 1,
                "direction": "long",
                "mtm": 0,
                "option_type": "call",
                "option_position": "bought",
                "underlying_price": -0.002,
                "strike": 0.001,
                "shift": 0.01,
                "exercise_years": 1,
            }
        ]
    )
    d1 = (math.log(0.008 / 0.011) + 0.125) / 0.5
    assert exposure.trades["supervisory_delta"].iloc[0] == pytest.approx(
        normal_cdf(d1), abs=1e-12
    )


def test_breakdown_levels_add_up() -> None:
    """The drill-down reaches trades and its add-ons add up to the netting set."""
    base = {
        "netting_set_id": "NS",
        "asset_class": "fx",
        "maturity_years": 1,
        "direction": "long",
        "mtm": 0,
        "notional": 1e6,
    }
    exposure = exposure_of(
        [
            base | {"trade_id": "A", "hedging_set": "EUR/GBP"},
            base | {"trade_id": "B", "hedging_set": "USD/GBP"},
        ]
    )
    tree = breakdown(exposure, "NS")
    fx = tree["asset_classes"]["fx"]
    set_add_ons = [item["add_on"] for item in fx["hedging_sets"].values()]
    assert sum(set_add_ons) == pytest.approx(fx["add_on"], abs=1e-9)
    assert fx["add_on"] == pytest.approx(tree["add_on_aggregate"], abs=1e-9)
    trade_ids = [
        trade["trade_id"]
        for item in fx["hedging_sets"].values()
        for trade in item["trades"]
    ]
    assert sorted(trade_ids) == ["A", "B"]
