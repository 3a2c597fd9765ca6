"""Regressions found by trying the dashboard as a new user would.

Each test pins a problem seen on screen. Figures were wrong or unreadable: SNI
averages taken from the wrong K-factor, a scenario driver that changed nothing,
a coefficient shown as 0.00, amounts cut off by narrow columns and chart axes
without the pound sign. An invalid upload could not be undone, and a second
scenario added to the comparison replaced the first.
"""

from __future__ import annotations

import pytest

from calc.money import format_gbp
from tests.ui.conftest import open_page, page_errors
from tests.ui.test_calculator_pages import expected_position
from ui.formatting import format_amount


def number_inputs(app) -> dict[str, float]:
    return {item.label: item.value for item in app.number_input}


def test_sni_prefill_reads_own_k_factor(seeded):
    app = open_page(seeded, "analyst", "pages/sni.py")
    shown = number_inputs(app)
    coh = expected_position().results["k_coh"].figures
    dtf = expected_position().results["k_dtf"].figures
    assert shown["Average COH cash per day"] == pytest.approx(
        coh["average_cash_gbp"], abs=0.01
    )
    assert shown["Average COH derivatives per day"] == pytest.approx(
        coh["average_derivatives_gbp"], abs=0.01
    )
    dtf_total = dtf["average_cash_gbp"] + dtf["average_derivatives_gbp"]
    assert dtf_total > 0
    assert shown["Average DTF"] == pytest.approx(dtf_total, abs=0.01)


def test_trade_book_driver_scales_k_tcd(seeded):
    app = open_page(seeded, "analyst", "pages/scenarios.py")
    key = f"keep:scenarios:{seeded.firm_id}:trade_book_multiplier"
    app.slider(key=key).set_value(2.0).run()
    assert not page_errors(app)
    table = app.dataframe[0].value.set_index("figure")
    results = expected_position().results
    expected = results["k_factor_requirement"].value + results["k_tcd"].value
    assert table.loc["KFR component"]["this scenario"] == format_gbp(expected)


def test_small_coefficient_keeps_digits():
    assert format_amount(0.0002, "text") == "0.0002"
    assert format_amount(0.016, "text") == "0.016"
    assert format_amount(1.5, "text") == "1.50"
    assert format_amount(0.0, "text") == "0.00"


def test_overview_amounts_two_a_row(seeded):
    app = open_page(seeded, "analyst")
    money_columns = [
        column
        for column in app.columns
        if any(metric.value.startswith("£") for metric in column.get("metric"))
    ]
    assert money_columns
    for column in money_columns:
        assert column.weight >= 0.5, [m.label for m in column.get("metric")]


def test_gbp_axes_show_pound_and_commas():
    from reports.charts import capital_chart
    from ui.charts import requirement_chart

    position = expected_position()
    summary_chart = requirement_chart(
        {"PMR": 750_000.0, "FOR": 4_364_265.0}, 16_434_180.18, "FOR", {}
    )
    for figure in (summary_chart, capital_chart(position)):
        # d3-format accepts no "£" in the format string, only as a prefix.
        assert figure.layout.yaxis.tickformat == ",.0f"
        assert figure.layout.yaxis.tickprefix == "£"


def short_aum_upload(app, firm_id) -> None:
    """Put a one-month AUM upload in the session, as the template file gives."""
    record = {
        "source_row": 2,
        "date": "2026-11-30",
        "amount": 1_250_000.0,
        "currency": "GBP",
        "fx_rate_to_gbp": 1.0,
        "portfolio": "Balanced GBP",
        "type": "discretionary",
        "amount_gbp": 1_250_000.0,
    }
    app.session_state[f"value:upload:{firm_id}:aum_month_end"] = [record]
    app.session_state[f"value:upload:{firm_id}:version"] = 1


def test_invalid_upload_offers_no_sample(seeded):
    app = open_page(seeded, "analyst")
    short_aum_upload(app, seeded.firm_id)
    app.run()
    assert any("month_end_aum_gbp" in text for text in page_errors(app))
    assert "Load the sample firm" not in [button.label for button in app.button]
    assert any("could not be computed" in item.value for item in app.warning)


def test_stop_using_upload_restores_saved(seeded):
    app = open_page(seeded, "analyst", "pages/k_factors.py")
    short_aum_upload(app, seeded.firm_id)
    app.run()
    assert page_errors(app)
    stop = next(b for b in app.button if b.label == "Stop using the uploaded file")
    stop.click().run()
    assert not page_errors(app)
    expected = format_gbp(expected_position().results["k_aum"].value)
    assert expected in [metric.value for metric in app.metric]


def test_figure_label_keeps_preposition_for():
    from ui.formatting import figure_label

    assert figure_label("own_funds_for_ongoing_harms_gbp") == (
        "Own funds for ongoing harms"
    )
    assert figure_label("average_aum_gbp") == "Average AUM"


def test_second_comparison_keeps_first(seeded):
    app = open_page(seeded, "analyst", "pages/scenarios.py")
    next(b for b in app.button if b.label == "Add to comparison").click().run()
    key = f"keep:scenarios:{seeded.firm_id}:aum_growth_percent"
    app.slider(key=key).set_value(10.0).run()
    next(b for b in app.button if b.label == "Add to comparison").click().run()
    assert not page_errors(app)
    columns = list(app.dataframe[-1].value.columns)
    assert columns == ["Saved position", "Scenario 1", "Scenario 1 (2)"]


def test_amount_table_keeps_amount_visible(seeded):
    import json

    app = open_page(seeded, "analyst", "pages/fixed_overheads.py")
    editors = [
        element
        for element in app.dataframe
        if "amount" in json.loads(element.proto.columns or "{}")
    ]
    assert editors
    columns = json.loads(editors[0].proto.columns)
    # Sized to its content, the table let a long deduction key hide the amounts.
    assert columns["key"]["width"] == 150
    assert columns["amount"]["width"] == 120


def test_coverage_row_not_called_percentage():
    from reports import capital_report_frame

    frame = capital_report_frame(expected_position(), "Sample", None)
    row = frame[frame["reference"] == "6.2"].iloc[0]
    assert row["unit"] == "ratio"
    assert "percentage" not in row["item"]
    assert row["item"] == "Own funds divided by the own funds requirement"
