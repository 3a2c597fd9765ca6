"""Orderly wind-down cost, MIFIDPRU 7.6.4G(2)(b) and 7.7.3G(2)(b).

A wind-down runs for a number of months split into phases (for example
preparation, run-off, closure). Each cost category has a monthly amount, a stress
uplift, a behaviour (fixed for the whole period, or falling away in a straight
line) and the phases in which it is incurred. One-off costs fall in a given month.
Revenue earned during the wind-down offsets costs after its own stress haircut.

Own funds needed = the peak cumulative net loss over the months (all costs).
Liquid assets needed = the peak cumulative net cash outflow (costs marked
non-cash, such as depreciation, left out).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from calc.errors import CalculationInputError, InconsistentInputError
from calc.own_funds import (
    prefix_field,
    read_amount,
    read_amounts_by_name,
    read_choice,
    read_count,
    read_flag,
    read_list,
    read_ratio,
)
from calc.result import CalculationResult, Reading, Step

RULE = "MIFIDPRU 7.6.4G(2)(b), 7.7.3G(2)(b)"
BEHAVIOURS = ("fixed", "falls_away")
DEFAULT_PHASE = "wind_down"


@dataclass(frozen=True)
class CostCategory:
    """A recurring wind-down cost; ``monthly_cost_gbp`` is the unstressed amount.

    A ``falls_away`` cost is the full amount in month 1 and falls in a straight
    line to 0 after ``falls_away_months`` months. ``phases`` empty means every
    phase. ``monthly_cost_by_phase_gbp``, when not empty, replaces
    ``monthly_cost_gbp`` with an amount per phase (0 in phases not listed).
    ``stress_uplift`` is a ratio (0.2 adds 20%).
    """

    name: str
    monthly_cost_gbp: float
    behaviour: str = "fixed"
    falls_away_months: int = 0
    stress_uplift: float = 0.0
    phases: tuple[str, ...] = ()
    cash: bool = True
    monthly_cost_by_phase_gbp: tuple[tuple[str, float], ...] = ()

    def base_amount(self, phase: str) -> float:
        """Return the unstressed monthly cost in ``phase``, GBP."""
        if self.phases and phase not in self.phases:
            return 0.0
        if self.monthly_cost_by_phase_gbp:
            return dict(self.monthly_cost_by_phase_gbp).get(phase, 0.0)
        return self.monthly_cost_gbp


@dataclass(frozen=True)
class OneOffCost:
    """A cost paid once, in month ``month`` (1-based), stressed by ``stress_uplift``."""

    name: str
    amount_gbp: float
    month: int
    stress_uplift: float = 0.0
    cash: bool = True


@dataclass(frozen=True)
class RevenueLine:
    """Revenue during the wind-down; ``stress_haircut`` is the share assumed lost."""

    name: str
    monthly_amount_gbp: float
    behaviour: str = "falls_away"
    falls_away_months: int = 0
    stress_haircut: float = 0.0


@dataclass(frozen=True)
class WindDownPlan:
    """The inputs of a wind-down plan; ``phases`` are ``(name, months)`` in order."""

    period_months: int
    phases: tuple[tuple[str, int], ...]
    costs: tuple[CostCategory, ...]
    one_off_costs: tuple[OneOffCost, ...] = ()
    revenue: tuple[RevenueLine, ...] = ()


def _monthly_factor(
    behaviour: str, falls_away_months: int, period: int, month: int
) -> float:
    if behaviour == "fixed":
        return 1.0
    span = falls_away_months or period
    return max(0.0, 1.0 - (month - 1) / span)


def _phase_of_each_month(phases: tuple[tuple[str, int], ...]) -> list[str]:
    months: list[str] = []
    for name, length in phases:
        months.extend([name] * length)
    return months


def wind_down_cost(plan: WindDownPlan) -> CalculationResult:
    """Project the month-by-month wind-down cost and the resources it needs.

    Returns
    -------
    CalculationResult
        ``value`` is the own funds needed for an orderly wind-down in GBP.
        ``figures["monthly_profile"]`` lists, for each month, its phase, the
        stressed cost of each category, one-off costs, revenue, the net cost and
        the cumulative net cost. Other figures give totals by category and phase,
        fixed versus falling-away costs and the liquid assets needed.
    """
    period = plan.period_months
    phase_of = _phase_of_each_month(plan.phases)
    profile = []
    by_category = {cost.name: 0.0 for cost in plan.costs}
    by_category.update({cost.name: 0.0 for cost in plan.one_off_costs})
    by_phase = {name: 0.0 for name, _ in plan.phases}
    fixed_total = 0.0
    falling_total = 0.0
    cumulative = 0.0
    cumulative_cash = 0.0
    peak = 0.0
    peak_cash = 0.0
    peak_month = 0
    revenue_total = 0.0

    for month in range(1, period + 1):
        phase = phase_of[month - 1]
        costs: dict[str, float] = {}
        cash_cost = 0.0
        for cost in plan.costs:
            factor = _monthly_factor(
                cost.behaviour, cost.falls_away_months, period, month
            )
            amount = cost.base_amount(phase) * factor * (1 + cost.stress_uplift)
            costs[cost.name] = amount
            by_category[cost.name] += amount
            if cost.behaviour == "fixed":
                fixed_total += amount
            else:
                falling_total += amount
            cash_cost += amount if cost.cash else 0.0
        one_off = 0.0
        for cost in plan.one_off_costs:
            if cost.month == month:
                amount = cost.amount_gbp * (1 + cost.stress_uplift)
                costs[cost.name] = costs.get(cost.name, 0.0) + amount
                by_category[cost.name] += amount
                one_off += amount
                cash_cost += amount if cost.cash else 0.0
        revenue = sum(
            line.monthly_amount_gbp
            * _monthly_factor(line.behaviour, line.falls_away_months, period, month)
            * (1 - line.stress_haircut)
            for line in plan.revenue
        )
        total_cost = sum(costs.values())
        net = total_cost - revenue
        cumulative += net
        cumulative_cash += cash_cost - revenue
        if cumulative > peak:
            peak, peak_month = cumulative, month
        peak_cash = max(peak_cash, cumulative_cash)
        by_phase[phase] += total_cost
        revenue_total += revenue
        profile.append(
            {
                "month": month,
                "phase": phase,
                "costs_gbp": costs,
                "one_off_costs_gbp": one_off,
                "total_cost_gbp": total_cost,
                "revenue_gbp": revenue,
                "net_cost_gbp": net,
                "cumulative_net_cost_gbp": cumulative,
                "cumulative_net_cash_outflow_gbp": cumulative_cash,
            }
        )

    total_cost = sum(by_category.values())
    steps = [
        Step(f"Stressed cost: {name}", amount, "GBP", RULE)
        for name, amount in by_category.items()
    ]
    steps += [
        Step(f"Cost in phase {name}", amount, "GBP", RULE)
        for name, amount in by_phase.items()
    ]
    steps += [
        Step("Total stressed cost over the wind-down", total_cost, "GBP", RULE),
        Step("Stressed revenue during the wind-down", revenue_total, "GBP", RULE),
        Step(
            "Own funds needed = peak cumulative net cost",
            peak,
            "GBP",
            "MIFIDPRU 7.6.4G(2)(b)",
            f"peak in month {peak_month}" if peak_month else "no net cost",
        ),
        Step(
            "Liquid assets needed = peak cumulative net cash outflow",
            peak_cash,
            "GBP",
            "MIFIDPRU 7.7.3G(2)(b)",
        ),
    ]
    return CalculationResult(
        calculator="wind_down",
        title="Orderly wind-down cost",
        value=peak,
        rule=RULE,
        inputs={"plan": plan},
        figures={
            "own_funds_for_orderly_wind_down_gbp": peak,
            "liquid_assets_for_wind_down_gbp": peak_cash,
            "peak_month": peak_month,
            "period_months": period,
            "total_cost_gbp": total_cost,
            "total_revenue_gbp": revenue_total,
            "fixed_costs_gbp": fixed_total,
            "falling_away_costs_gbp": falling_total,
            "one_off_costs_gbp": sum(
                cost.amount_gbp * (1 + cost.stress_uplift)
                for cost in plan.one_off_costs
            ),
            "cost_by_category_gbp": by_category,
            "cost_by_phase_gbp": by_phase,
            "monthly_profile": profile,
        },
        steps=tuple(steps),
        readings=(
            Reading(
                RULE,
                "Own funds needed are the largest cumulative net loss reached in any "
                "month; liquid assets needed are the largest cumulative net cash "
                "outflow, leaving out costs marked as non-cash.",
            ),
        ),
    )


def _read_entries(
    inputs: Mapping[str, Any],
    field_name: str,
    reader: Callable[[Mapping[str, Any]], Any],
) -> tuple:
    entries = []
    for index, entry in enumerate(read_list(inputs, field_name)):
        prefix = f"{field_name}.{index}"
        if not isinstance(entry, Mapping):
            raise CalculationInputError(
                prefix, entry, "is not a JSON object", "Enter the entry as an object."
            )
        try:
            entries.append(reader(entry))
        except CalculationInputError as error:
            raise prefix_field(error, prefix) from error
    return tuple(entries)


def read_plan(inputs: Mapping[str, Any]) -> WindDownPlan:
    """Validate a JSON-style wind-down plan; see ``run`` for the fields."""
    period = read_count(inputs, "period_months", minimum=1)
    phases = _read_entries(
        inputs,
        "phases",
        lambda entry: (
            str(entry.get("name", "")) or DEFAULT_PHASE,
            read_count(entry, "months", minimum=1),
        ),
    ) or ((DEFAULT_PHASE, period),)
    phase_months = sum(months for _, months in phases)
    if phase_months != period:
        raise InconsistentInputError(
            "phases",
            phase_months,
            f"cover {phase_months} months, not period_months {period}",
            "Make the phase lengths add up to period_months.",
        )
    phase_names = tuple(name for name, _ in phases)
    if len(set(phase_names)) != len(phase_names):
        raise InconsistentInputError(
            "phases",
            phase_names,
            "repeat a phase name",
            "Give each phase its own name.",
        )

    def read_cost(entry: Mapping[str, Any]) -> CostCategory:
        cost_phases = tuple(read_list(entry, "phases"))
        for phase in cost_phases:
            read_choice({"phases": phase}, "phases", phase_names)
        by_phase = read_amounts_by_name(entry, "monthly_cost_by_phase_gbp", phase_names)
        if by_phase and entry.get("monthly_cost_gbp") is not None:
            raise InconsistentInputError(
                "monthly_cost_gbp",
                entry["monthly_cost_gbp"],
                "is given together with monthly_cost_by_phase_gbp",
                "Enter either one monthly cost or a cost per phase, not both.",
            )
        return CostCategory(
            name=str(entry.get("name") or entry.get("category") or ""),
            monthly_cost_gbp=0.0
            if by_phase
            else read_amount(entry, "monthly_cost_gbp"),
            monthly_cost_by_phase_gbp=tuple(by_phase.items()),
            behaviour=read_choice(entry, "behaviour", BEHAVIOURS, "fixed"),
            falls_away_months=read_count(entry, "falls_away_months", 0),
            stress_uplift=read_ratio(entry, "stress_uplift", 0.0),
            phases=cost_phases,
            cash=read_flag(entry, "cash", True),
        )

    def read_one_off(entry: Mapping[str, Any]) -> OneOffCost:
        month = read_count(entry, "month", minimum=1)
        if month > period:
            raise InconsistentInputError(
                "month",
                month,
                f"is after the last month ({period})",
                "Enter a month within the period.",
            )
        return OneOffCost(
            name=str(entry.get("name") or ""),
            amount_gbp=read_amount(entry, "amount_gbp"),
            month=month,
            stress_uplift=read_ratio(entry, "stress_uplift", 0.0),
            cash=read_flag(entry, "cash", True),
        )

    def read_revenue(entry: Mapping[str, Any]) -> RevenueLine:
        return RevenueLine(
            name=str(entry.get("name") or ""),
            monthly_amount_gbp=read_amount(entry, "monthly_amount_gbp"),
            behaviour=read_choice(entry, "behaviour", BEHAVIOURS, "falls_away"),
            falls_away_months=read_count(entry, "falls_away_months", 0),
            stress_haircut=read_ratio(entry, "stress_haircut", 0.0, maximum=1.0),
        )

    costs = _read_entries(inputs, "costs", read_cost)
    one_offs = _read_entries(inputs, "one_off_costs", read_one_off)
    names = [cost.name for cost in costs] + [cost.name for cost in one_offs]
    if any(not name for name in names):
        raise CalculationInputError(
            "costs", names, "contain a cost without a name", "Give every cost a name."
        )
    if len(set(cost.name for cost in costs)) != len(costs):
        raise InconsistentInputError(
            "costs", names, "repeat a category name", "Give each category its own name."
        )
    return WindDownPlan(
        period_months=period,
        phases=phases,
        costs=costs,
        one_off_costs=one_offs,
        revenue=_read_entries(inputs, "revenue", read_revenue),
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run the wind-down projection from a JSON-style mapping.

    Fields, each array of objects described in docs/calculators-position.md:

    * ``period_months``, a whole number of months;
    * ``phases``: ``name``, ``months`` (default one phase for the whole period);
    * ``costs``: ``name``, ``monthly_cost_gbp`` or ``monthly_cost_by_phase_gbp``
      (an object of phase name to GBP), ``behaviour`` (``fixed`` or
      ``falls_away``), ``falls_away_months``, ``stress_uplift``, ``phases``,
      ``cash``;
    * ``one_off_costs``: ``name``, ``amount_gbp``, ``month``, ``stress_uplift``,
      ``cash``;
    * ``revenue``: ``name``, ``monthly_amount_gbp``, ``behaviour``,
      ``falls_away_months``, ``stress_haircut``.
    """
    return wind_down_cost(read_plan(inputs))
