"""Permanent minimum capital requirement (PMR), MIFIDPRU 4.4.

The PMR is the highest amount in the MIFIDPRU 4.4 table (as updated 06/04/2026)
that applies to any of the firm's permissions or appointments. The initial capital
requirement at authorisation is the PMR for the permissions applied for
(MIFIDPRU 4.2.1R), so the same calculator serves both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from calc.errors import CalculationInputError, UnknownChoiceError
from calc.result import CalculationResult, Step
from calc.rules import (
    PMR_DEALING_OR_UNDERWRITING,
    PMR_DEPOSITARY_UK_UCITS_OR_AUTHORISED_AIF,
    PMR_DEPOSITARY_UNAUTHORISED_AIF,
    PMR_MTF_OR_CLIENT_MONEY,
    PMR_OTHER_SERVICES,
    PMR_TARGETED_SUPPORT,
    Parameter,
)
from calc.time_series import parse_bool

RULE = "MIFIDPRU 4.4"


class Permission(StrEnum):
    """A permission or appointment that sets a row of the MIFIDPRU 4.4 table."""

    INVESTMENT_ADVICE = "investment_advice"
    RECEPTION_TRANSMISSION_OF_ORDERS = "reception_transmission_of_orders"
    EXECUTION_OF_ORDERS = "execution_of_orders"
    PORTFOLIO_MANAGEMENT = "portfolio_management"
    PLACING_WITHOUT_FIRM_COMMITMENT = "placing_without_firm_commitment"
    HOLDS_CLIENT_MONEY = "holds_client_money"
    HOLDS_CLIENT_ASSETS = "holds_client_assets"
    OPERATE_MTF = "operate_mtf"
    OPERATE_OTF_WITH_LIMITATION = "operate_otf_with_limitation"
    TARGETED_SUPPORT = "targeted_support"
    DEAL_ON_OWN_ACCOUNT = "deal_on_own_account"
    UNDERWRITING_OR_PLACING_FIRM_COMMITMENT = "underwriting_or_placing_firm_commitment"
    OPERATE_OTF_WITHOUT_LIMITATION = "operate_otf_without_limitation"
    DEPOSITARY_UNAUTHORISED_AIF = "depositary_unauthorised_aif"
    DEPOSITARY_UK_UCITS_OR_AUTHORISED_AIF = "depositary_uk_ucits_or_authorised_aif"


PERMISSION_TIERS: dict[Permission, Parameter] = {
    Permission.INVESTMENT_ADVICE: PMR_OTHER_SERVICES,
    Permission.RECEPTION_TRANSMISSION_OF_ORDERS: PMR_OTHER_SERVICES,
    Permission.EXECUTION_OF_ORDERS: PMR_OTHER_SERVICES,
    Permission.PORTFOLIO_MANAGEMENT: PMR_OTHER_SERVICES,
    Permission.PLACING_WITHOUT_FIRM_COMMITMENT: PMR_OTHER_SERVICES,
    Permission.HOLDS_CLIENT_MONEY: PMR_MTF_OR_CLIENT_MONEY,
    Permission.HOLDS_CLIENT_ASSETS: PMR_MTF_OR_CLIENT_MONEY,
    Permission.OPERATE_MTF: PMR_MTF_OR_CLIENT_MONEY,
    Permission.OPERATE_OTF_WITH_LIMITATION: PMR_MTF_OR_CLIENT_MONEY,
    Permission.TARGETED_SUPPORT: PMR_TARGETED_SUPPORT,
    Permission.DEAL_ON_OWN_ACCOUNT: PMR_DEALING_OR_UNDERWRITING,
    Permission.UNDERWRITING_OR_PLACING_FIRM_COMMITMENT: PMR_DEALING_OR_UNDERWRITING,
    Permission.OPERATE_OTF_WITHOUT_LIMITATION: PMR_DEALING_OR_UNDERWRITING,
    Permission.DEPOSITARY_UNAUTHORISED_AIF: PMR_DEPOSITARY_UNAUTHORISED_AIF,
    Permission.DEPOSITARY_UK_UCITS_OR_AUTHORISED_AIF: (
        PMR_DEPOSITARY_UK_UCITS_OR_AUTHORISED_AIF
    ),
}


def parse_permissions(field: str, raw: Any) -> list[Permission]:
    """Return the permissions named in ``raw``, a list of permission names.

    Raises
    ------
    UnknownChoiceError
        A name is not a ``Permission``; the message lists the valid names.
    CalculationInputError
        ``raw`` is not a non-empty list.
    """
    if not isinstance(raw, list | tuple) or not raw:
        raise CalculationInputError(
            field,
            raw,
            "is not a non-empty list of permissions",
            'List at least one permission, e.g. ["investment_advice"].',
        )
    permissions: list[Permission] = []
    for index, name in enumerate(raw):
        try:
            permission = Permission(name)
        except ValueError:
            raise UnknownChoiceError(
                f"{field}[{index}]",
                name,
                "is not a known permission",
                f"Use one of: {', '.join(p.value for p in Permission)}.",
            ) from None
        if permission not in permissions:
            permissions.append(permission)
    return permissions


def calculate_permanent_minimum_requirement(
    permissions: Iterable[Permission],
    collective_portfolio_management_investment_firm: bool = False,
) -> CalculationResult:
    """Calculate the PMR as the highest MIFIDPRU 4.4 amount among ``permissions``.

    Parameters
    ----------
    permissions : iterable of Permission
        The firm's permissions and depositary appointments.
    collective_portfolio_management_investment_firm : bool
        Adds a warning that IPRU-INV 11 also applies (MIFIDPRU 1.1.2G).

    Returns
    -------
    CalculationResult
        ``value`` is the PMR in GBP; ``figures["binding_permissions"]`` lists the
        permissions that set it.
    """
    permissions = [Permission(p) for p in dict.fromkeys(permissions)]
    if not permissions:
        raise CalculationInputError(
            "permissions", [], "is empty", "List at least one permission."
        )
    amounts = {p: PERMISSION_TIERS[p] for p in permissions}
    pmr = max(parameter.value for parameter in amounts.values())
    binding = [p.value for p, parameter in amounts.items() if parameter.value == pmr]

    steps = [
        Step(
            label=f"{permission.value}: {parameter.rule}",
            amount=parameter.value,
            unit="GBP",
            rule=parameter.rule,
            note=parameter.note,
        )
        for permission, parameter in amounts.items()
    ]
    steps.append(
        Step(
            label="Permanent minimum requirement: the highest amount above",
            amount=pmr,
            unit="GBP",
            rule=RULE,
        )
    )

    warnings: list[str] = []
    if collective_portfolio_management_investment_firm:
        warnings.append(
            "A collective portfolio management investment firm is also subject to "
            "IPRU-INV 11 (MIFIDPRU 1.1.2G); check its capital requirement there."
        )
    return CalculationResult(
        calculator="pmr",
        title="Permanent minimum requirement",
        value=pmr,
        rule=RULE,
        inputs={
            "permissions": [p.value for p in permissions],
            "collective_portfolio_management_investment_firm": (
                collective_portfolio_management_investment_firm
            ),
        },
        figures={
            "pmr_gbp": pmr,
            "binding_permissions": binding,
            "amount_by_permission_gbp": {
                p.value: parameter.value for p, parameter in amounts.items()
            },
        },
        steps=tuple(steps),
        warnings=tuple(warnings),
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the PMR calculator on a JSON-style mapping (see docs/calculators.md)."""
    permissions = parse_permissions("permissions", inputs.get("permissions"))
    is_collective_portfolio_manager = parse_bool(
        "collective_portfolio_management_investment_firm",
        inputs.get("collective_portfolio_management_investment_firm", False),
    )
    return calculate_permanent_minimum_requirement(
        permissions, is_collective_portfolio_manager
    )
