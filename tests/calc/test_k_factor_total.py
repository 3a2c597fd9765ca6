"""Total K-factor requirement (MIFIDPRU 4.6) and MIFIDPRU 8.5 grouping."""

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.errors import DuplicatePeriodError, NotFiniteError, UnknownChoiceError
from calc.k_factors.total import KFactor, calculate_from_results, run
from calc.permanent_minimum import run as run_pmr


def test_kfr_groups_for_disclosure() -> None:
    result = run(
        {
            "k_factors_gbp": {
                "k_aum": 1.0,
                "k_cmh": 2.0,
                "k_asa": 4.0,
                "k_coh": 8.0,
                "k_dtf": 16.0,
                "k_npr": 32.0,
                "k_cmg": 64.0,
                "k_tcd": 128.0,
                "k_con": 256.0,
            }
        }
    )
    groups = result.figures["disclosure_groups_gbp"]
    assert result.value == 511.0
    assert groups["k_aum_k_cmh_k_asa"] == 7.0
    assert groups["k_coh_k_dtf"] == 24.0
    assert groups["k_npr_k_cmg_k_tcd_k_con"] == 480.0


def test_kfr_lists_factors_not_given() -> None:
    result = run({"k_factors_gbp": {"k_aum": 5.0}})
    assert "k_con" in result.figures["not_given"]
    assert result.value == 5.0


def test_kfr_unknown_factor_rejected() -> None:
    with pytest.raises(UnknownChoiceError) as error:
        run({"k_factors_gbp": {"k_xyz": 1.0}})
    assert error.value.field == "k_factors_gbp.k_xyz"


def test_kfr_nan_rejected() -> None:
    with pytest.raises(NotFiniteError):
        run({"k_factors_gbp": {"k_aum": math.nan}})


def test_kfr_from_results_rejects_other_calculators() -> None:
    with pytest.raises(UnknownChoiceError):
        calculate_from_results([run_pmr({"permissions": ["investment_advice"]})])


def test_kfr_from_results_rejects_duplicates() -> None:
    part = run({"k_factors_gbp": {"k_aum": 1.0}})
    aum = dataclasses.replace(part, calculator="k_aum")
    with pytest.raises(DuplicatePeriodError):
        calculate_from_results([aum, aum])


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([f.value for f in KFactor]),
        st.floats(min_value=0, max_value=1e12, allow_nan=False),
        min_size=1,
    )
)
def test_kfr_is_sum_of_parts(parts: dict[str, float]) -> None:
    # MIFIDPRU 4.6: the KFR is the sum of the K-factor requirements, and the
    # three disclosure groups add up to it.
    result = run({"k_factors_gbp": parts})
    assert result.value == pytest.approx(math.fsum(parts.values()))
    groups = result.figures["disclosure_groups_gbp"].values()
    assert math.fsum(groups) == pytest.approx(result.value)
