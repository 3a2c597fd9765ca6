"""Property tests: arbitrary JSON-like input to every calculator.

The only exception a calculator may raise is ``CalculationInputError``. A result
must be finite, serialisable as strict JSON, and never below zero where it is a
requirement.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc.errors import CalculationInputError
from calc.registry import get_calculator
from tests.robustness.calc_inputs import (
    DELETE,
    EXAMPLE_CALCULATORS,
    NON_NEGATIVE_VALUE_CALCULATORS,
    all_paths,
    load_example,
    replaced,
)

CALCULATORS_UNDER_TEST = [*EXAMPLE_CALCULATORS, "k_tcd"]

numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.sampled_from([0, -0.0, 1e-300, 1e18, 1e19, 1e300, -1e300, 2**53 + 1]),
)
dates = st.dates().map(lambda day: day.isoformat())
texts = st.one_of(
    st.text(max_size=12),
    dates,
    st.sampled_from(["1,234.56", "(1,234)", "£5", "NaN", "true", "2026-02-30"]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), dates), children, max_size=4),
    ),
    max_leaves=12,
)


def check_result_or_typed_error(name: str, inputs: object) -> None:
    """Run calculator ``name``; assert a typed error or a sound result."""
    try:
        result = get_calculator(name)(inputs)
    except CalculationInputError as error:
        assert error.field
        assert "\n" not in str(error)
        return
    assert math.isfinite(result.value)
    if name in NON_NEGATIVE_VALUE_CALCULATORS:
        assert result.value >= 0
    json.dumps(result.to_dict(), allow_nan=False)


@pytest.mark.slow
@pytest.mark.parametrize("name", CALCULATORS_UNDER_TEST)
@settings(max_examples=60, deadline=None)
@given(inputs=json_values)
def test_arbitrary_input_typed(name: str, inputs: object) -> None:
    check_result_or_typed_error(name, inputs)


@pytest.mark.slow
@pytest.mark.parametrize("name", CALCULATORS_UNDER_TEST)
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_one_value_changed_typed(name: str, data: st.DataObject) -> None:
    """The example with one item replaced by arbitrary JSON, or deleted."""
    base = load_example(name)
    path = data.draw(st.sampled_from(list(all_paths(base))), label="path")
    value = data.draw(
        st.one_of(json_values, st.just(DELETE)) if path else json_values,
        label="value",
    )
    check_result_or_typed_error(name, replaced(base, path, value))


@pytest.mark.slow
@pytest.mark.parametrize("name", NON_NEGATIVE_VALUE_CALCULATORS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_valid_numbers_sound_result(name: str, data: st.DataObject) -> None:
    """Every number replaced by a finite value in range: finite result, >= 0."""
    base = load_example(name)

    def redraw(value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            if isinstance(value, dict):
                return {key: redraw(item) for key, item in value.items()}
            if isinstance(value, list):
                return [redraw(item) for item in value]
            return value
        return data.draw(st.floats(min_value=0, max_value=1e18))

    check_result_or_typed_error(name, redraw(base))
