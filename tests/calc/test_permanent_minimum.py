"""Permanent minimum requirement, MIFIDPRU 4.4 table (updated 06/04/2026)."""

import pytest

from calc.errors import CalculationInputError, UnknownChoiceError
from calc.permanent_minimum import Permission, run


@pytest.mark.parametrize(
    ("permissions", "expected"),
    [
        (["investment_advice"], 75_000.0),
        (["placing_without_firm_commitment", "execution_of_orders"], 75_000.0),
        (["portfolio_management", "holds_client_assets"], 150_000.0),
        (["operate_otf_with_limitation"], 150_000.0),
        (["investment_advice", "targeted_support"], 500_000.0),
        (["targeted_support", "holds_client_money"], 500_000.0),
        (["operate_otf_without_limitation"], 750_000.0),
        (["underwriting_or_placing_firm_commitment"], 750_000.0),
        (["depositary_unauthorised_aif", "portfolio_management"], 750_000.0),
        (["depositary_uk_ucits_or_authorised_aif", "deal_on_own_account"], 4_000_000.0),
    ],
)
def test_pmr_highest_row_applies(permissions: list[str], expected: float) -> None:
    # MIFIDPRU 4.4: the highest applicable amount in the table.
    assert run({"permissions": permissions}).value == expected


def test_pmr_names_binding_permission() -> None:
    result = run({"permissions": ["investment_advice", "holds_client_money"]})
    assert result.figures["binding_permissions"] == ["holds_client_money"]
    assert result.rule == "MIFIDPRU 4.4"
    assert result.steps[-1].amount == 150_000.0


def test_pmr_unknown_permission_lists_valid_names() -> None:
    with pytest.raises(UnknownChoiceError) as error:
        run({"permissions": ["investment_advice", "custody"]})
    assert error.value.field == "permissions[1]"
    for permission in Permission:
        assert permission.value in error.value.fix


def test_pmr_empty_permissions_rejected() -> None:
    with pytest.raises(CalculationInputError) as error:
        run({"permissions": []})
    assert error.value.field == "permissions"


def test_pmr_cpmi_warns_about_ipru_inv() -> None:
    # MIFIDPRU 1.1.2G: CPMIs are also subject to IPRU-INV 11.
    result = run(
        {
            "permissions": ["portfolio_management"],
            "collective_portfolio_management_investment_firm": True,
        }
    )
    assert any("IPRU-INV 11" in warning for warning in result.warnings)
