"""Own funds requirement, MIFIDPRU 4.3.2R (non-SNI) and 4.3.3R (SNI)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.errors import NegativeAmountError, NotFiniteError
from calc.own_funds import own_funds_requirement, run
from calc.registry import get_calculator

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = json.loads((FIXTURES / "mifidpru.json").read_text("utf-8"))["cases"]
GOLDEN = [case for case in CASES if case["calculator"] == "own_funds_requirement"]


@pytest.mark.parametrize("case", GOLDEN, ids=[case["id"] for case in GOLDEN])
def test_golden_own_funds_requirement(case):
    """Golden cases cite MIFIDPRU 4.3.2R and 4.3.3R."""
    result = get_calculator("own_funds_requirement")(case["inputs"])
    expected = case["expected"]
    assert result.value == pytest.approx(
        expected["own_funds_requirement_gbp"], abs=0.01
    )
    assert result.figures["binding"] == expected["binding"]
    assert result.rule == case["rule"]


def test_non_sni_kfr_binds_4_3_2r():
    result = own_funds_requirement(75_000, 100_000, 250_000, is_sni=False)
    assert result.value == 250_000
    assert result.figures["binding"] == "k_factor_requirement"


def test_sni_pmr_binds_4_3_3r():
    result = own_funds_requirement(150_000, 120_000, 5_000_000, is_sni=True)
    assert result.value == 150_000
    assert result.figures["binding"] == "permanent_minimum_requirement"
    assert result.rule == "MIFIDPRU 4.3.3R"


def test_sni_may_omit_kfr_4_3_3r():
    result = run(
        {"is_sni": True, "pmr_gbp": 75_000, "fixed_overheads_requirement_gbp": 80_000}
    )
    assert result.value == 80_000
    assert result.figures["k_factor_requirement_gbp"] == 0


def test_tie_names_first_component_4_3_2r():
    result = own_funds_requirement(150_000, 150_000, 100_000, is_sni=False)
    assert result.figures["binding"] == "permanent_minimum_requirement"
    assert result.figures["tied_components"] == [
        "permanent_minimum_requirement",
        "fixed_overheads_requirement",
    ]
    assert len(result.readings) == 1


def test_tie_between_for_and_kfr_4_3_2r():
    result = own_funds_requirement(75_000, 400_000, 400_000, is_sni=False)
    assert result.figures["binding"] == "fixed_overheads_requirement"


def test_non_sni_requires_kfr_4_3_2r():
    with pytest.raises(NotFiniteError) as error:
        run({"is_sni": False, "pmr_gbp": 75_000, "fixed_overheads_requirement_gbp": 1})
    assert error.value.field == "k_factor_requirement_gbp"


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("pmr_gbp", -1, NegativeAmountError),
        ("fixed_overheads_requirement_gbp", math.nan, NotFiniteError),
        ("k_factor_requirement_gbp", "100", NotFiniteError),
    ],
)
def test_invalid_amount_names_field_4_3(field, value, error_type):
    inputs = {
        "is_sni": False,
        "pmr_gbp": 75_000,
        "fixed_overheads_requirement_gbp": 1,
        "k_factor_requirement_gbp": 1,
        field: value,
    }
    with pytest.raises(error_type) as error:
        run(inputs)
    assert error.value.field == field


def test_is_sni_must_be_boolean_4_3():
    with pytest.raises(ValueError) as error:
        run({"is_sni": "no", "pmr_gbp": 1, "fixed_overheads_requirement_gbp": 1})
    assert error.value.field == "is_sni"


amounts = st.floats(min_value=0, max_value=1e12, allow_nan=False)


@given(amounts, amounts, amounts, st.booleans())
def test_ofr_never_below_pmr_4_3(pmr, fixed_overheads, k_factors, is_sni):
    result = own_funds_requirement(pmr, fixed_overheads, k_factors, is_sni)
    assert result.value >= pmr


@given(amounts, amounts, amounts, st.booleans())
def test_ofr_equals_a_component_4_3(pmr, fixed_overheads, k_factors, is_sni):
    result = own_funds_requirement(pmr, fixed_overheads, k_factors, is_sni)
    binding = result.figures["binding"]
    components = {
        "permanent_minimum_requirement": pmr,
        "fixed_overheads_requirement": fixed_overheads,
        "k_factor_requirement": k_factors,
    }
    assert result.value == components[binding]
    assert result.value in ([pmr, fixed_overheads] if is_sni else components.values())


@given(
    st.sampled_from(
        ["pmr_gbp", "fixed_overheads_requirement_gbp", "k_factor_requirement_gbp"]
    ),
    st.floats(max_value=-1e-9, allow_infinity=False, allow_nan=False),
)
def test_any_negative_component_rejected_4_3(field, value):
    inputs = {
        "is_sni": False,
        "pmr_gbp": 75_000,
        "fixed_overheads_requirement_gbp": 1,
        "k_factor_requirement_gbp": 1,
        field: value,
    }
    with pytest.raises(NegativeAmountError) as error:
        run(inputs)
    assert error.value.field == field
