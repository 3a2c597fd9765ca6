"""Fixed overheads requirement, MIFIDPRU 4.5."""

import math

import pytest

from calc.errors import (
    InconsistentInputError,
    NegativeAmountError,
    NotFiniteError,
    UnknownChoiceError,
)
from calc.fixed_overheads import DEDUCTION_CHECKLIST, run
from calc.rules import SourceStatus


def _inputs(**overrides: object) -> dict:
    inputs = {
        "period_months": 12,
        "audited": True,
        "total_expenditure_gbp": 2_000_000.0,
        "deductions_gbp": {},
    }
    inputs.update(overrides)
    return inputs


def test_for_quarter_of_expenditure() -> None:
    # MIFIDPRU 4.5.1R: one quarter of relevant expenditure.
    assert run(_inputs()).value == 500_000.0


def test_for_tied_agent_fixed_expenses_added_back() -> None:
    # MIFIDPRU 4.5.3R with RTS 2022/1455 Art 1: third-party fixed expenses
    # not already in total expenditure are added back.
    result = run(
        _inputs(
            deductions_gbp={"fees_to_tied_agents": 400_000.0},
            third_party_fixed_expenses_gbp=100_000.0,
        )
    )
    assert result.figures["relevant_expenditure_gbp"] == 1_700_000.0
    assert result.value == 425_000.0


def test_for_annualises_six_month_period() -> None:
    # MIFIDPRU 4.5.2R: 1,000,000 over 6 months is 2,000,000 a year.
    result = run(_inputs(period_months=6, total_expenditure_gbp=1_000_000.0))
    assert result.figures["relevant_expenditure_gbp"] == 2_000_000.0
    assert result.value == 500_000.0


def test_for_deductions_exceeding_expenditure_rejected() -> None:
    # MIFIDPRU 4.5.3R(1): items are deducted only as far as they are included.
    with pytest.raises(InconsistentInputError) as error:
        run(
            _inputs(
                deductions_gbp={
                    "staff_bonuses_dependent_on_net_profit": 1_500_000.0,
                    "fees_to_tied_agents": 600_000.0,
                }
            )
        )
    assert error.value.field == "deductions_gbp"


def test_for_unknown_deduction_rejected() -> None:
    with pytest.raises(UnknownChoiceError) as error:
        run(_inputs(deductions_gbp={"rent": 1.0}))
    assert error.value.field == "deductions_gbp.rent"
    assert "fees_to_tied_agents" in error.value.fix


def test_for_negative_expenditure_rejected() -> None:
    with pytest.raises(NegativeAmountError) as error:
        run(_inputs(total_expenditure_gbp=-1.0))
    assert error.value.field == "total_expenditure_gbp"


def test_for_nan_deduction_rejected() -> None:
    with pytest.raises(NotFiniteError) as error:
        run(_inputs(deductions_gbp={"fees_to_tied_agents": math.nan}))
    assert error.value.field == "deductions_gbp.fees_to_tied_agents"


def test_for_zero_month_period_rejected() -> None:
    with pytest.raises(InconsistentInputError) as error:
        run(_inputs(period_months=0))
    assert error.value.field == "period_months"


def test_for_unaudited_warns_to_recalculate() -> None:
    # MIFIDPRU 4.5.2R: recalculate once audited figures exist.
    result = run(_inputs(audited=False))
    assert any("audited" in warning for warning in result.warnings)


def test_for_projected_basis_carries_reading() -> None:
    # MIFIDPRU 4.5.7R / 4.5.9R, read with IFR Art 13(2)-(3).
    result = run(_inputs(basis="projected_no_year_of_trading"))
    assert result.value == 500_000.0
    assert any(r.rule == "MIFIDPRU 4.5.7R, 4.5.9R" for r in result.readings)
    assert any("projected" in warning for warning in result.warnings)


def test_for_unknown_basis_rejected() -> None:
    with pytest.raises(UnknownChoiceError):
        run(_inputs(basis="budget"))


def test_for_unconfirmed_deduction_warns() -> None:
    result = run(_inputs(deductions_gbp={"tax_on_annual_profits": 10.0}))
    assert any("tax_on_annual_profits" in warning for warning in result.warnings)


def test_for_checklist_items_cite_rule() -> None:
    for item in DEDUCTION_CHECKLIST:
        assert item.rule.startswith("MIFIDPRU 4.5.3R(2)")
        assert item.status in (SourceStatus.EU_IFR, SourceStatus.UNCONFIRMED)
