"""Fixed overheads requirement (FOR), MIFIDPRU 4.5.

FOR = one quarter of the relevant expenditure of the preceding year
(MIFIDPRU 4.5.1R). Relevant expenditure is total expenditure before distribution
of profits, less the deductions of MIFIDPRU 4.5.3R(2) to the extent they are
included in that expenditure (4.5.3R(1)). Fixed expenses incurred on the firm's
behalf by third parties such as tied agents, and not already in it, are added.
Figures for a period other than 12 months are scaled to a year (4.5.2R).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from calc.errors import (
    CalculationInputError,
    InconsistentInputError,
    UnknownChoiceError,
)
from calc.result import CalculationResult, Reading, Step
from calc.rules import (
    FOR_FRACTION_OF_RELEVANT_EXPENDITURE,
    FOR_MONTHS_IN_YEAR,
    SourceStatus,
)
from calc.time_series import parse_amount, parse_bool

RULE = "MIFIDPRU 4.5.1R"


@dataclass(frozen=True)
class DeductionItem:
    """One item that may be deducted from total expenditure.

    ``rule`` is the citation the item comes from and ``status`` how firmly that
    citation is confirmed for the UK.
    """

    name: str
    description: str
    rule: str
    status: SourceStatus


# NOTE: the UK list in MIFIDPRU 4.5.3R(2) was not available in the copy of the
# Handbook read. Items (a) to (f) follow IFR Art 13(4), which MIFIDPRU was modelled
# on. The other items are often quoted for EU RTS 2022/1455 but were not found in
# either text, so using one adds a warning to the result.
DEDUCTION_CHECKLIST: tuple[DeductionItem, ...] = (
    DeductionItem(
        "staff_bonuses_dependent_on_net_profit",
        "Staff bonuses and other remuneration, to the extent they depend on the "
        "firm's net profit in the year",
        "MIFIDPRU 4.5.3R(2); IFR Art 13(4)(a); RTS 2022/1455 Art 1",
        SourceStatus.EU_IFR,
    ),
    DeductionItem(
        "profit_shares_employees_directors_partners",
        "Employees', directors' and partners' shares in profits",
        "MIFIDPRU 4.5.3R(2); IFR Art 13(4)(b)",
        SourceStatus.EU_IFR,
    ),
    DeductionItem(
        "other_profit_appropriations_fully_discretionary",
        "Other appropriations of profits and other variable remuneration, to the "
        "extent they are fully discretionary",
        "MIFIDPRU 4.5.3R(2); IFR Art 13(4)(c)",
        SourceStatus.EU_IFR,
    ),
    DeductionItem(
        "shared_commissions_contingent_on_receipt",
        "Shared commission and fees payable that are directly related to "
        "commission and fees receivable included in total revenue, where payment "
        "is contingent on actual receipt",
        "MIFIDPRU 4.5.3R(2); IFR Art 13(4)(d)",
        SourceStatus.EU_IFR,
    ),
    DeductionItem(
        "fees_to_tied_agents",
        "Fees to tied agents",
        "MIFIDPRU 4.5.3R(2); IFR Art 13(4)(e)",
        SourceStatus.EU_IFR,
    ),
    DeductionItem(
        "non_recurring_non_ordinary_expenses",
        "Non-recurring expenses from non-ordinary activities",
        "MIFIDPRU 4.5.3R(2); IFR Art 13(4)(f)",
        SourceStatus.EU_IFR,
    ),
    DeductionItem(
        "clearing_exchange_broker_fees",
        "Fees to central counterparties, exchanges and brokers for executing, "
        "registering or clearing transactions",
        "MIFIDPRU 4.5.3R(2) (item not confirmed); listed for CRR firms in "
        "Delegated Regulation 241/2014 Art 34b(2)(e)",
        SourceStatus.UNCONFIRMED,
    ),
    DeductionItem(
        "interest_paid_to_clients_on_client_money",
        "Interest paid to clients on client money",
        "MIFIDPRU 4.5.3R(2); RTS 2022/1455 (item not confirmed)",
        SourceStatus.UNCONFIRMED,
    ),
    DeductionItem(
        "tax_on_annual_profits",
        "Tax due on the annual profits of the firm",
        "MIFIDPRU 4.5.3R(2); RTS 2022/1455 (item not confirmed)",
        SourceStatus.UNCONFIRMED,
    ),
    DeductionItem(
        "losses_from_dealing_on_own_account",
        "Losses from trading on own account in financial instruments",
        "MIFIDPRU 4.5.3R(2); RTS 2022/1455 (item not confirmed)",
        SourceStatus.UNCONFIRMED,
    ),
    DeductionItem(
        "profit_and_loss_transfer_payments",
        "Payments under a contract-based profit and loss transfer agreement",
        "MIFIDPRU 4.5.3R(2); RTS 2022/1455 (item not confirmed)",
        SourceStatus.UNCONFIRMED,
    ),
    DeductionItem(
        "commodity_raw_materials",
        "Expenditure on raw materials by firms trading commodity derivatives",
        "MIFIDPRU 4.5.3R(2); RTS 2022/1455 (item not confirmed)",
        SourceStatus.UNCONFIRMED,
    ),
    DeductionItem(
        "fund_for_general_banking_risk",
        "Payments into a fund for general banking risk",
        "MIFIDPRU 4.5.3R(2); RTS 2022/1455 (item not confirmed)",
        SourceStatus.UNCONFIRMED,
    ),
    DeductionItem(
        "expenses_on_items_deducted_from_own_funds",
        "Expenses related to items already deducted from own funds",
        "MIFIDPRU 4.5.3R(2); RTS 2022/1455 (item not confirmed)",
        SourceStatus.UNCONFIRMED,
    ),
)
DEDUCTIONS_BY_NAME = {item.name: item for item in DEDUCTION_CHECKLIST}


class ExpenditureBasis(StrEnum):
    """Source of the expenditure figures."""

    ANNUAL_ACCOUNTS = "annual_accounts"
    PROJECTED_NO_YEAR_OF_TRADING = "projected_no_year_of_trading"
    PROJECTED_MATERIAL_CHANGE = "projected_material_change"


@dataclass(frozen=True)
class ExpenditureFigures:
    """The expenditure inputs of the FOR, in GBP, for ``period_months`` months."""

    total_expenditure_gbp: float
    deductions_gbp: Mapping[str, float]
    third_party_fixed_expenses_gbp: float = 0.0
    period_months: float = 12.0
    audited: bool = True
    basis: ExpenditureBasis = ExpenditureBasis.ANNUAL_ACCOUNTS


def _validate(figures: ExpenditureFigures) -> None:
    parse_amount("total_expenditure_gbp", figures.total_expenditure_gbp)
    parse_amount(
        "third_party_fixed_expenses_gbp", figures.third_party_fixed_expenses_gbp
    )
    months = parse_amount("period_months", figures.period_months)
    if months < 1:
        # Scaling a shorter period to a year multiplies by more than 12; a tiny
        # period such as 5e-324 months made the requirement infinite.
        raise InconsistentInputError(
            "period_months",
            figures.period_months,
            "must be at least 1",
            "Enter the number of months the accounts cover, e.g. 12.",
        )
    for name, amount in figures.deductions_gbp.items():
        if name not in DEDUCTIONS_BY_NAME:
            raise UnknownChoiceError(
                f"deductions_gbp.{name}",
                name,
                "is not a deduction in the checklist",
                f"Use one of: {', '.join(DEDUCTIONS_BY_NAME)}.",
            )
        parse_amount(f"deductions_gbp.{name}", amount)
    total_deductions = math.fsum(figures.deductions_gbp.values())
    if total_deductions > figures.total_expenditure_gbp:
        raise InconsistentInputError(
            "deductions_gbp",
            total_deductions,
            f"total more than total_expenditure_gbp ({figures.total_expenditure_gbp})",
            "Deduct items only to the extent they are included in total "
            "expenditure (MIFIDPRU 4.5.3R(1)).",
        )


def calculate_fixed_overheads_requirement(
    figures: ExpenditureFigures,
) -> CalculationResult:
    """Calculate the FOR from total expenditure, deductions and add-backs.

    Steps: relevant expenditure for the period = total expenditure - deductions +
    third-party fixed expenses; annual relevant expenditure = that x 12 / months
    covered (MIFIDPRU 4.5.2R); FOR = annual relevant expenditure x 1/4
    (MIFIDPRU 4.5.1R). All amounts GBP.

    Raises
    ------
    InconsistentInputError
        Deductions exceed total expenditure, or the period is zero months.
    UnknownChoiceError
        A deduction is not in ``DEDUCTION_CHECKLIST``.
    NegativeAmountError, NotFiniteError
        An amount is negative, NaN or infinite.
    """
    _validate(figures)
    months_in_year = FOR_MONTHS_IN_YEAR.value
    fraction = FOR_FRACTION_OF_RELEVANT_EXPENDITURE.value

    total_deductions = math.fsum(figures.deductions_gbp.values())
    period_relevant = (
        figures.total_expenditure_gbp
        - total_deductions
        + figures.third_party_fixed_expenses_gbp
    )
    annual_relevant = period_relevant * months_in_year / figures.period_months
    requirement = annual_relevant * fraction

    steps = [
        Step(
            "Total expenditure before distribution of profits",
            figures.total_expenditure_gbp,
            "GBP",
            "MIFIDPRU 4.5.3R(1)",
        )
    ]
    warnings: list[str] = []
    readings: list[Reading] = []
    for name, amount in figures.deductions_gbp.items():
        item = DEDUCTIONS_BY_NAME[name]
        steps.append(
            Step(
                f"Less: {item.description}",
                -amount,
                "GBP",
                item.rule,
                note=item.status.value,
            )
        )
        if item.status == SourceStatus.UNCONFIRMED and amount > 0:
            warnings.append(
                f"The deduction {name} is not confirmed in the UK or EU text "
                "read; check it against MIFIDPRU 4.5.3R(2) before relying on it."
            )
    steps.append(
        Step(
            "Plus: fixed expenses incurred for the firm by third parties, including "
            "tied agents, not already in total expenditure",
            figures.third_party_fixed_expenses_gbp,
            "GBP",
            "MIFIDPRU 4.5.3R; RTS 2022/1455 Art 1",
        )
    )
    steps.append(
        Step(
            f"Relevant expenditure for the {figures.period_months:g}-month period",
            period_relevant,
            "GBP",
            "MIFIDPRU 4.5.3R",
        )
    )
    if figures.period_months != months_in_year:
        steps.append(
            Step(
                f"Annualised: x {months_in_year} / {figures.period_months:g} months",
                annual_relevant,
                "GBP",
                "MIFIDPRU 4.5.2R",
            )
        )
    steps.append(
        Step("Fixed overheads requirement: one quarter", requirement, "GBP", RULE)
    )

    if not figures.audited:
        warnings.append(
            "The expenditure is unaudited. Recalculate the FOR once audited annual "
            "figures are available (MIFIDPRU 4.5.2R)."
        )
    if any(
        item.status != SourceStatus.UK_HANDBOOK
        for name in figures.deductions_gbp
        for item in [DEDUCTIONS_BY_NAME[name]]
    ):
        readings.append(
            Reading(
                "MIFIDPRU 4.5.3R(2)",
                "The UK deduction list was not available; deductions follow IFR "
                "Art 13(4) and RTS 2022/1455, which MIFIDPRU was modelled on.",
            )
        )
    if figures.basis != ExpenditureBasis.ANNUAL_ACCOUNTS:
        # NOTE: the UK text of MIFIDPRU 4.5.7R and 4.5.9R (new firms, material
        # change) was not seen; this follows IFR Art 13(2)-(3).
        readings.append(
            Reading(
                "MIFIDPRU 4.5.7R, 4.5.9R",
                "Projected expenditure is used as IFR Art 13(2)-(3) provides: the "
                "12-month projection filed with the authorisation application for a "
                "firm without a year of business, or a projection reflecting a "
                "material change. The UK text was not confirmed.",
            )
        )
        warnings.append(
            "This FOR uses projected expenditure. Replace it with the figures from "
            "the first annual accounts once they are available."
        )

    return CalculationResult(
        calculator="fixed_overheads",
        title="Fixed overheads requirement",
        value=requirement,
        rule=RULE,
        inputs={
            "total_expenditure_gbp": figures.total_expenditure_gbp,
            "deductions_gbp": dict(figures.deductions_gbp),
            "third_party_fixed_expenses_gbp": figures.third_party_fixed_expenses_gbp,
            "period_months": figures.period_months,
            "audited": figures.audited,
            "basis": figures.basis.value,
        },
        figures={
            "total_deductions_gbp": total_deductions,
            "period_relevant_expenditure_gbp": period_relevant,
            "relevant_expenditure_gbp": annual_relevant,
            "fixed_overheads_requirement_gbp": requirement,
        },
        steps=tuple(steps),
        readings=tuple(readings),
        warnings=tuple(warnings),
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the FOR calculator on a JSON-style mapping (see docs/calculators.md)."""
    deductions = inputs.get("deductions_gbp", {})
    if not isinstance(deductions, Mapping):
        raise CalculationInputError(
            "deductions_gbp",
            deductions,
            "is not an object",
            'Give deductions as {"staff_bonuses_dependent_on_net_profit": ...}.',
        )
    basis_name = inputs.get("basis", ExpenditureBasis.ANNUAL_ACCOUNTS.value)
    try:
        basis = ExpenditureBasis(basis_name)
    except ValueError:
        raise UnknownChoiceError(
            "basis",
            basis_name,
            "is not a known expenditure basis",
            f"Use one of: {', '.join(b.value for b in ExpenditureBasis)}.",
        ) from None
    figures = ExpenditureFigures(
        total_expenditure_gbp=parse_amount(
            "total_expenditure_gbp", inputs.get("total_expenditure_gbp")
        ),
        deductions_gbp={
            str(name): parse_amount(f"deductions_gbp.{name}", amount)
            for name, amount in deductions.items()
        },
        third_party_fixed_expenses_gbp=parse_amount(
            "third_party_fixed_expenses_gbp",
            inputs.get("third_party_fixed_expenses_gbp", 0.0),
        ),
        period_months=parse_amount("period_months", inputs.get("period_months", 12)),
        audited=parse_bool("audited", inputs.get("audited", True)),
        basis=basis,
    )
    return calculate_fixed_overheads_requirement(figures)
