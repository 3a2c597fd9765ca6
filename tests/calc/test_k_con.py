"""K-CON requirement and concentration hard limits, MIFIDPRU 5."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    UnknownChoiceError,
)
from calc.k_factors.k_con import run, soft_limit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = json.loads((FIXTURES / "mifidpru.json").read_text("utf-8"))["cases"]
GOLDEN = [case for case in CASES if case["calculator"] == "k_con"]

CLIENT = {
    "client_id": "ACME",
    "net_long_trading_book_gbp": 9_000_000,
    "k_tcd_exposure_value_gbp": 1_000_000,
    "client_own_funds_requirement_gbp": 800_000,
}


@pytest.mark.parametrize("case", GOLDEN, ids=[case["id"] for case in GOLDEN])
def test_golden_k_con(case):
    """Golden case cites MIFIDPRU 5.7.4R(1): OFRE x 200% within 10 business days."""
    result = run(case["inputs"])
    assert result.value == pytest.approx(case["expected"]["k_con_gbp"], abs=0.01)
    assert result.figures["k_con_gbp"] == result.value


def test_exposure_value_excess_and_ofre_5_7_3r():
    result = run(
        {
            "own_funds_gbp": 10_000_000,
            "clients": [{**CLIENT, "business_days_in_excess": 5}],
        }
    )
    client = result.figures["clients"][0]
    assert client["exposure_value_gbp"] == pytest.approx(10_000_000)
    assert client["soft_limit_gbp"] == pytest.approx(2_500_000)
    assert client["exposure_value_excess_gbp"] == pytest.approx(7_500_000)
    assert client["own_funds_requirement_for_excess_gbp"] == pytest.approx(600_000)
    assert result.value == pytest.approx(1_200_000)


def test_tranches_after_ten_days_5_7_4r_2():
    result = run(
        {
            "own_funds_gbp": 10_000_000,
            "clients": [{**CLIENT, "business_days_in_excess": 15}],
        }
    )
    tranches = result.figures["clients"][0]["tranches"]
    assert [row["factor"] for row in tranches] == [2.0, 3.0, 4.0]
    assert [row["eve_in_tranche_gbp"] for row in tranches] == pytest.approx(
        [4_000_000, 2_000_000, 1_500_000]
    )
    # 600k x (4m x 2 + 2m x 3 + 1.5m x 4) / 7.5m
    assert result.value == pytest.approx(1_600_000)
    assert result.figures["aggregate_eve_over_ten_days_gbp"] == pytest.approx(7_500_000)


def test_tenth_day_factor_5_7_4r():
    result = run(
        {"own_funds_requirement_for_excess_gbp": 50_000, "business_days_in_excess": 10}
    )
    assert result.value == pytest.approx(100_000)


def test_no_excess_no_requirement_5_5_3r():
    client = {
        **CLIENT,
        "net_long_trading_book_gbp": 1_000_000,
        "business_days_in_excess": 0,
    }
    result = run({"own_funds_gbp": 10_000_000, "clients": [client]})
    assert result.value == 0
    assert result.figures["clients"][0]["exposure_value_excess_gbp"] == 0


def test_institution_soft_limit_5_5_1r():
    assert soft_limit(100_000_000, "institution") == pytest.approx(100_000_000)
    assert soft_limit(1_000_000_000, "institution") == pytest.approx(250_000_000)
    assert soft_limit(400_000_000, "institution") == pytest.approx(150_000_000)
    assert soft_limit(400_000_000, "other") == pytest.approx(100_000_000)


def test_soft_limit_override_5_5_1r():
    client = {**CLIENT, "soft_limit_gbp": 9_000_000, "business_days_in_excess": 3}
    result = run({"own_funds_gbp": 10_000_000, "clients": [client]})
    assert result.figures["clients"][0]["exposure_value_excess_gbp"] == pytest.approx(
        1_000_000
    )
    assert result.value == pytest.approx(2 * 800_000 * 0.1)


def test_client_hard_limit_5_9_1r():
    client = {**CLIENT, "business_days_in_excess": 3}
    result = run({"own_funds_gbp": 1_900_000, "clients": [client]})
    breaches = result.figures["hard_limit_breaches"]
    assert [breach["rule"] for breach in breaches] == ["MIFIDPRU 5.9.1R(1)"]
    assert breaches[0]["limit_gbp"] == pytest.approx(9_500_000)
    assert any("5.9.3R" in warning for warning in result.warnings)


def test_aggregate_hard_limit_5_9_1r():
    clients = [
        {
            **CLIENT,
            "client_id": "A",
            "net_long_trading_book_gbp": 2_750_000,
            "business_days_in_excess": 12,
        },
        {
            **CLIENT,
            "client_id": "B",
            "net_long_trading_book_gbp": 2_750_000,
            "business_days_in_excess": 30,
        },
    ]
    result = run({"own_funds_gbp": 1_000_000, "clients": clients})
    # Each EV 3.75m less the 250k soft limit: 3.5m EVE each, 7m against 6m.
    assert result.figures["aggregate_eve_over_ten_days_gbp"] == pytest.approx(7_000_000)
    assert [breach["rule"] for breach in result.figures["hard_limit_breaches"]] == [
        "MIFIDPRU 5.9.1R(2)"
    ]


def test_soft_limit_needs_own_funds_5_5_1r():
    with pytest.raises(InconsistentInputError) as error:
        run({"clients": [{**CLIENT, "business_days_in_excess": 1}]})
    assert error.value.field == "own_funds_gbp"


def test_unknown_client_type_rejected_5_5_1r():
    client = {**CLIENT, "client_type": "bank", "business_days_in_excess": 1}
    with pytest.raises(UnknownChoiceError) as error:
        run({"own_funds_gbp": 1, "clients": [client]})
    assert error.value.field == "clients.0.client_type"


def test_negative_position_rejected_5_4_1r():
    client = {**CLIENT, "k_tcd_exposure_value_gbp": -1}
    with pytest.raises(CalculationInputError) as error:
        run({"own_funds_gbp": 1, "clients": [client]})
    assert error.value.field == "clients.0.k_tcd_exposure_value_gbp"


def test_fractional_days_rejected_5_7_4r():
    with pytest.raises(CalculationInputError) as error:
        run({"own_funds_requirement_for_excess_gbp": 1, "business_days_in_excess": 2.5})
    assert error.value.field == "business_days_in_excess"
