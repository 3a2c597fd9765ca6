"""Bad input to every calculator: a typed error naming the field, never a number.

Each calculator starts from its example input in ``tests/fixtures/examples`` and
gets one value replaced. The cases listed by name are inputs that once escaped as
an ``OverflowError``, ``TypeError``, ``AttributeError`` or ``ValueError``, or
that produced a silently wrong result.
"""

from __future__ import annotations

import json
import math

import pytest

from calc.errors import (
    CalculationInputError,
    DuplicatePeriodError,
    InconsistentInputError,
    InvalidCorrelationMatrixError,
    MissingPeriodError,
    NegativeAmountError,
    NotFiniteError,
    PeriodOrderError,
    UnknownChoiceError,
)
from calc.registry import get_calculator
from tests.robustness.calc_inputs import (
    DELETE,
    EXAMPLE_CALCULATORS,
    all_paths,
    last_name,
    load_example,
    number_paths,
    replaced,
)

CALCULATORS_UNDER_TEST = [*EXAMPLE_CALCULATORS, "k_tcd"]

# Values that must never be accepted where a number is expected.
NOT_A_NUMBER = {
    "nan": math.nan,
    "infinity": math.inf,
    "minus-infinity": -math.inf,
    "text": "abc",
    "thousands-separator": "1,234",
    "boolean": True,
    "integer-beyond-float": 10**400,
    "huge-float": 1e300,
    "huge-negative": -1e300,
    "list": [1],
    "object-without-amount": {"value": 1},
}

# Values that replace any item, containers included. Each either raises a typed
# error or gives a finite result.
ANY_VALUE = [None, [], {}, "", "x", 0, -1, 1e300, True, [[1]], {"a": 1}]


@pytest.mark.parametrize("name", CALCULATORS_UNDER_TEST)
def test_example_input_runs(name: str) -> None:
    # The sweeps below mutate these inputs, so each must be valid as given.
    result = get_calculator(name)(load_example(name))
    assert math.isfinite(result.value)


@pytest.mark.parametrize("name", CALCULATORS_UNDER_TEST)
@pytest.mark.parametrize("top_level", [[], "x", None, 1, 1.5, True], ids=repr)
def test_non_object_input_rejected(name: str, top_level: object) -> None:
    with pytest.raises(CalculationInputError) as error:
        get_calculator(name)(top_level)
    assert error.value.field == "inputs"
    assert "JSON object" in str(error.value)


@pytest.mark.parametrize("name", CALCULATORS_UNDER_TEST)
def test_list_of_objects_rejected(name: str) -> None:
    # A JSON array holding the right object is still not an object.
    with pytest.raises(CalculationInputError) as error:
        get_calculator(name)([load_example(name)])
    assert error.value.field == "inputs"


@pytest.mark.parametrize("name", [n for n in CALCULATORS_UNDER_TEST if n != "pmr"])
@pytest.mark.parametrize("label", sorted(NOT_A_NUMBER))
def test_bad_number_rejected_everywhere(name: str, label: str) -> None:
    """Every number of the example, replaced in turn, raises naming its field."""
    base = load_example(name)
    run = get_calculator(name)
    paths = list(number_paths(base))
    assert paths, f"the {name} example has no numbers to replace"
    accepted = []
    unnamed = []
    for path in paths:
        try:
            result = run(replaced(base, path, NOT_A_NUMBER[label]))
        except CalculationInputError as error:
            if last_name(path) not in error.field:
                unnamed.append((path, error.field))
            continue
        accepted.append((path, result.value))
    assert accepted == []
    assert unnamed == []


@pytest.mark.parametrize("name", CALCULATORS_UNDER_TEST)
def test_any_value_anywhere_typed(name: str) -> None:
    """Replacing or deleting any item gives a typed error or a finite result."""
    base = load_example(name)
    run = get_calculator(name)
    escaped = []
    not_finite = []
    for path in all_paths(base):
        candidates = [*ANY_VALUE, DELETE] if path else ANY_VALUE
        for value in candidates:
            try:
                result = run(replaced(base, path, value))
            except CalculationInputError:
                continue
            except Exception as error:  # noqa: BLE001 - the fault being tested
                escaped.append((path, repr(value), type(error).__name__))
                continue
            json.dumps(result.to_dict(), allow_nan=False)
            if not math.isfinite(result.value):
                not_finite.append((path, repr(value), result.value))
    assert escaped == []
    assert not_finite == []


@pytest.mark.parametrize("name", CALCULATORS_UNDER_TEST)
def test_extra_field_ignored(name: str) -> None:
    base = load_example(name)
    run = get_calculator(name)
    expected = run(base).value
    assert run({**base, "unexpected_field": 1}).value == expected


# (calculator, path, value, error class, text the field must contain)
REGRESSIONS = [
    # Integers beyond the float range used to escape as OverflowError.
    ("k_aum", ("month_end_aum_gbp", "2025-09"), 10**400, NotFiniteError, "2025-09"),
    ("fixed_overheads", ("period_months",), 10**400, NotFiniteError, "period_months"),
    ("own_funds_requirement", ("pmr_gbp",), 10**400, NotFiniteError, "pmr_gbp"),
    ("k_tcd", ("replacement_cost_gbp",), 10**400, NotFiniteError, "replacement"),
    (
        "risk_assessment",
        ("correlation", "matrix", 0, 1),
        10**400,
        InvalidCorrelationMatrixError,
        "matrix",
    ),
    # Finite but huge inputs used to give an infinite or absurd result.
    (
        "risk_assessment",
        ("risks", 0, "harm_capital_gbp"),
        1e300,
        NotFiniteError,
        "harm",
    ),
    (
        "k_coh",
        ("trades", 2, "time_to_maturity_years"),
        1e300,
        NotFiniteError,
        "time_to_maturity_years",
    ),
    ("k_tcd", ("potential_future_exposure_gbp",), 1e300, NotFiniteError, "potential"),
    ("k_tcd", ("collateral_gbp",), "1e300", NotFiniteError, "collateral"),
    # A period of 5e-324 months was scaled to a year as an infinite requirement.
    ("fixed_overheads", ("period_months",), 5e-324, InconsistentInputError, "period"),
    ("fixed_overheads", ("period_months",), 0.5, InconsistentInputError, "period"),
    # Counts of days or months far beyond any real figure used to be accepted.
    (
        "k_con",
        ("clients", 0, "business_days_in_excess"),
        1e300,
        NotFiniteError,
        "business_days_in_excess",
    ),
    (
        "liquidity",
        ("trade_receivables", 0, "days_to_due"),
        10**19,
        NotFiniteError,
        "days_to_due",
    ),
    ("wind_down", ("period_months",), 1e300, NotFiniteError, "period_months"),
    ("sni", ("financial_year",), 10**19, CalculationInputError, "financial_year"),
    ("sni", ("financial_year",), 0, CalculationInputError, "financial_year"),
    # Dates whose month arithmetic left the range of datetime.date.
    ("k_aum", ("calculation_date",), "9999-12-31", CalculationInputError, "calc"),
    ("k_aum", ("calculation_date",), "0001-01-01", CalculationInputError, "calc"),
    (
        "k_cmg",
        ("daily_total_margin_gbp", 0, 0),
        "0001-01-01",
        CalculationInputError,
        "[",
    ),
    # Unhashable values where an id or a name was expected (TypeError).
    (
        "risk_assessment",
        ("correlation", "risk_ids", 0),
        ["R1"],
        InconsistentInputError,
        "risk_ids",
    ),
    (
        "risk_assessment",
        ("correlation", "risk_ids", 1),
        {"id": "R2"},
        InconsistentInputError,
        "risk_ids",
    ),
    ("icara", ("harms", 0, "covered_by"), {"a": 1}, InconsistentInputError, "covered"),
    ("icara", ("harms", 0, "covered_by"), [["k_aum"]], InconsistentInputError, "cover"),
    # Booleans where numbers go used to count as 1.
    (
        "risk_assessment",
        ("correlation", "matrix", 0, 0),
        True,
        InvalidCorrelationMatrixError,
        "matrix",
    ),
    # A text flag used to be read by truthiness, so "false" meant true.
    (
        "k_coh",
        ("trades", 2, "interest_rate_derivative"),
        "false",
        CalculationInputError,
        "interest_rate_derivative",
    ),
    # An empty set of K-factors used to give a requirement of 0 with no warning.
    ("k_factor_requirement", ("k_factors_gbp",), {}, CalculationInputError, "k_fact"),
    # Negative amounts, huge or small, where only zero or more is allowed.
    ("own_funds_requirement", ("pmr_gbp",), -1e300, NegativeAmountError, "pmr_gbp"),
    ("k_aum", ("month_end_aum_gbp", "2026-01"), -1, NegativeAmountError, "2026-01"),
    ("k_cmh", ("daily_segregated_cmh_gbp", 0, 1), -0.01, NegativeAmountError, "[0]"),
    ("fixed_overheads", ("total_expenditure_gbp",), -5, NegativeAmountError, "total"),
    # Unknown members of closed sets.
    ("pmr", ("permissions", 0), "PORTFOLIO_MANAGEMENT", UnknownChoiceError, "perm"),
    ("k_coh", ("trades", 0, "kind"), "future", UnknownChoiceError, "kind"),
    ("k_factor_requirement", ("k_factors_gbp", "k_xyz"), 1, UnknownChoiceError, "xyz"),
    ("fixed_overheads", ("basis",), "cash_basis", UnknownChoiceError, "basis"),
    ("k_tcd", ("counterparty_type",), "hedge_fund", UnknownChoiceError, "counterparty"),
    # Missing required fields.
    ("k_aum", ("calculation_date",), DELETE, CalculationInputError, "calculation_date"),
    ("k_aum", ("month_end_aum_gbp",), DELETE, CalculationInputError, "month_end_aum"),
    ("pmr", ("permissions",), DELETE, CalculationInputError, "permissions"),
    ("own_funds_requirement", ("pmr_gbp",), DELETE, NotFiniteError, "pmr_gbp"),
    ("k_tcd", ("replacement_cost_gbp",), DELETE, NotFiniteError, "replacement"),
    # Impossible or malformed dates and months.
    ("k_aum", ("calculation_date",), "2026-02-30", CalculationInputError, "calc"),
    ("k_aum", ("calculation_date",), "01/12/2026", CalculationInputError, "calc"),
    ("k_aum", ("calculation_date",), "2026-12-02", InconsistentInputError, "calc"),
    ("k_aum", ("calculation_date",), 20261201, CalculationInputError, "calc"),
]


@pytest.mark.parametrize(
    ("name", "path", "value", "error_class", "field_part"),
    REGRESSIONS,
    ids=[
        f"{case[0]}-{'.'.join(map(str, case[1]))}-{case[2]!r:.20}"
        for case in REGRESSIONS
    ],
)
def test_bad_input_regression(name, path, value, error_class, field_part) -> None:
    with pytest.raises(error_class) as error:
        get_calculator(name)(replaced(load_example(name), path, value))
    assert field_part in error.value.field
    assert error.value.fix


def _with_month_key(inputs: dict, old: str, new: str) -> dict:
    series = inputs["month_end_aum_gbp"]
    inputs["month_end_aum_gbp"] = {
        (new if key == old else key): value for key, value in series.items()
    }
    return inputs


@pytest.mark.parametrize("key", ["2025-+9", "0000-09", "2025-9", "Sep-2025", "2025-13"])
def test_malformed_month_key_rejected(key: str) -> None:
    inputs = _with_month_key(load_example("k_aum"), "2025-09", key)
    with pytest.raises(CalculationInputError) as error:
        get_calculator("k_aum")(inputs)
    assert error.value.field == f"month_end_aum_gbp.{key}"


def _daily(name: str, field: str, change) -> dict:
    inputs = load_example(name)
    inputs[field] = change(inputs[field])
    return inputs


def test_daily_duplicate_day_rejected() -> None:
    inputs = _daily("k_cmh", "daily_segregated_cmh_gbp", lambda rows: [rows[0], *rows])
    with pytest.raises(DuplicatePeriodError) as error:
        get_calculator("k_cmh")(inputs)
    assert error.value.field == "daily_segregated_cmh_gbp[1]"


def test_daily_out_of_order_rejected() -> None:
    inputs = _daily(
        "k_cmh", "daily_segregated_cmh_gbp", lambda rows: [rows[1], rows[0], *rows[2:]]
    )
    with pytest.raises(PeriodOrderError) as error:
        get_calculator("k_cmh")(inputs)
    assert error.value.field == "daily_segregated_cmh_gbp[1]"


def test_daily_future_day_rejected() -> None:
    inputs = _daily(
        "k_cmh", "daily_segregated_cmh_gbp", lambda rows: [*rows, ["2027-01-04", 1.0]]
    )
    with pytest.raises(PeriodOrderError) as error:
        get_calculator("k_cmh")(inputs)
    assert "2027-01-04" in str(error.value)


def test_daily_weekend_and_holiday_listed() -> None:
    def add_non_business_days(rows: list) -> list:
        before = [row for row in rows if row[0] < "2026-08-31"]
        after = [row for row in rows if row[0] > "2026-08-31"]
        return [["2026-02-28", 1.0], *before, ["2026-08-31", 1.0], *after]

    inputs = _daily("k_cmh", "daily_segregated_cmh_gbp", add_non_business_days)
    with pytest.raises(InconsistentInputError) as error:
        get_calculator("k_cmh")(inputs)
    assert "2026-02-28 (Saturday)" in error.value.problem
    assert "2026-08-31 (Late Summer Bank Holiday)" in error.value.problem


def test_daily_gap_listed() -> None:
    inputs = _daily(
        "k_cmh", "daily_segregated_cmh_gbp", lambda rows: rows[:5] + rows[6:]
    )
    with pytest.raises(MissingPeriodError) as error:
        get_calculator("k_cmh")(inputs)
    assert error.value.value == ["2026-03-09"]


def test_empty_series_rejected() -> None:
    for name, field in [
        ("k_aum", "month_end_aum_gbp"),
        ("k_asa", "daily_asa_gbp"),
        ("k_cmg", "daily_total_margin_gbp"),
    ]:
        inputs = load_example(name)
        inputs[field] = []
        with pytest.raises(MissingPeriodError) as error:
            get_calculator(name)(inputs)
        assert error.value.field == field


def test_gap_in_dropped_months_allowed() -> None:
    # The three most recent months are dropped (MIFIDPRU 4.7.5R), so a missing
    # value among them does not change K-AUM of 0.02% x 650m.
    inputs = load_example("k_aum")
    del inputs["month_end_aum_gbp"]["2026-10"]
    assert get_calculator("k_aum")(inputs).value == pytest.approx(130_000.0)


def test_text_true_flag_rejected() -> None:
    inputs = load_example("k_coh")
    inputs["trades"][3]["interest_rate_derivative"] = "yes"
    with pytest.raises(CalculationInputError) as error:
        get_calculator("k_coh")(inputs)
    assert error.value.field == "trades[3].interest_rate_derivative"


def test_long_value_message_shortened() -> None:
    # A whole pasted series in the message would bury the field and the fix.
    inputs = load_example("k_aum")
    inputs["month_end_aum_gbp"] = "x" * 1_000_000
    with pytest.raises(CalculationInputError) as error:
        get_calculator("k_aum")(inputs)
    message = str(error.value)
    assert len(message) < 1_000
    assert message.startswith("month_end_aum_gbp: ")
    assert "1,000,002 characters" in message
    assert len(error.value.value) == 1_000_000


def test_messages_are_one_line() -> None:
    inputs = load_example("k_aum")
    inputs["month_end_aum_gbp"] = {"2025-09\n2025-10": 1.0}
    with pytest.raises(CalculationInputError) as error:
        get_calculator("k_aum")(inputs)
    assert "\n" not in str(error.value)


def test_many_trades_finish_quickly() -> None:
    # 80,000 trade records: the sums run in well under the test timeout.
    inputs = load_example("k_coh")
    inputs["trades"] = inputs["trades"] * 20_000
    result = get_calculator("k_coh")(inputs)
    assert result.value > 0
    assert math.isfinite(result.value)
