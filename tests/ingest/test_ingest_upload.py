"""Uploads against their schemas: a corpus of bad files, each located and fixable."""

from __future__ import annotations

import io
import time
from datetime import date, timedelta

import openpyxl
import pytest

from calc.calendar import business_days_between
from ingest import SCHEMAS, column_table, parse_upload, template_csv
from ingest.upload import get_schema

TODAY = date(2026, 12, 4)

AUM_HEADER = "date,amount,currency,fx_rate_to_gbp\n"


def parse(kind, text, filename="upload.csv", encoding="utf-8"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return parse_upload(kind, data, filename, today=TODAY)


def only_issue(result, row, column):
    """Return the single issue at (row, column) and check it is actionable."""
    matches = [i for i in result.issues if i.row == row and i.column == column]
    assert len(matches) == 1, [str(i) for i in result.issues]
    issue = matches[0]
    assert issue.message
    assert issue.fix
    return issue


def month_ends(first, count):
    months = []
    year, month = first
    for _ in range(count):
        next_first = date(year + (month == 12), month % 12 + 1, 1)
        months.append(next_first - timedelta(days=1))
        year, month = next_first.year, next_first.month
    return months


def aum_rows(count=3):
    return "".join(
        f'{day:%d/%m/%Y},"1,000,000.00",GBP,\n' for day in month_ends((2026, 1), count)
    )


# --- whole-file problems ---------------------------------------------------------


def test_unknown_kind_raises():
    with pytest.raises(ValueError, match="Use one of"):
        get_schema("aum")


def test_empty_file():
    result = parse("aum_month_end", "")
    assert not result.ok
    assert result.issues[0].row is None
    assert result.frame.empty


def test_header_only():
    result = parse("aum_month_end", AUM_HEADER)
    assert not result.ok
    assert "no data rows" in result.issues[0].message


def test_missing_required_column_names_expected_set():
    result = parse("aum_month_end", "date,amount,currency\n31/01/2026,1,GBP\n")
    issue = only_issue(result, 1, "fx_rate_to_gbp")
    assert "missing" in issue.message
    assert "date, amount, currency, fx_rate_to_gbp" in issue.fix


def test_unknown_column_suggests_closest():
    text = "date,amout,currency,fx_rate_to_gbp\n31/01/2026,1,GBP,\n"
    result = parse("aum_month_end", text)
    issue = only_issue(result, 1, "amout")
    assert "not a column" in issue.message
    assert "Did you mean 'amount'" in issue.fix


def test_duplicated_column():
    text = "date,amount,AUM,currency,fx_rate_to_gbp\n31/01/2026,1,2,GBP,\n"
    result = parse("aum_month_end", text)
    issue = only_issue(result, 1, "AUM")
    assert "second column for 'amount'" in issue.message


def test_headers_match_case_spaces_and_aliases():
    text = "Month End,AUM,CCY,FX Rate\n31/01/2026,5,GBP,\n"
    result = parse("aum_month_end", text)
    assert result.ok, result.issues
    assert list(result.frame["amount"]) == [5.0]


def test_notes_column_ignored_with_warning():
    text = "date,amount,currency,fx_rate_to_gbp,Notes\n31/01/2026,5,GBP,,x\n"
    result = parse("aum_month_end", text)
    assert result.ok
    assert any(w.column == "Notes" for w in result.warnings)


def test_gbp_unit_header_only_where_amounts_are_gbp():
    expenditure = parse(
        "expenditure", "line_item,Amount (GBP),category\nRent,5,not_deducted\n"
    )
    assert expenditure.ok, expenditure.issues
    aum = parse("aum_month_end", "date,Amount (GBP),currency,fx_rate_to_gbp\n")
    assert not aum.ok


# --- encodings and number conventions ----------------------------------------------


def test_bom_semicolon_and_comma_decimals():
    text = "\ufeffdate;amount;currency;fx_rate_to_gbp\n31/01/2026;1.234.567,89;GBP;\n"
    result = parse("aum_month_end", text)
    assert result.ok, result.issues
    assert result.frame["amount"][0] == pytest.approx(1234567.89)
    assert any("',' as decimal" in note for note in result.notes)


def test_utf16_upload():
    text = AUM_HEADER + '31/01/2026,"£1,234.56",GBP,\n'
    result = parse("aum_month_end", text.encode("utf-16"))
    assert result.ok, result.issues
    assert result.frame["amount"][0] == pytest.approx(1234.56)


def test_latin1_upload_warns():
    text = 'line_item,amount,category\nCafé rent,"£1,000",not_deducted\n'
    result = parse("expenditure", text.encode("latin-1"))
    assert result.ok
    assert result.frame["line_item"][0] == "Café rent"
    assert any("not UTF-8" in w.message for w in result.warnings)


def test_accounting_negative_where_allowed():
    text = 'item,tier,amount\nretained_earnings,CET1,"(1,234)"\n'
    result = parse("own_funds", text)
    assert result.ok, result.issues
    assert result.frame["amount"][0] == -1234.0


def test_negative_rejected_where_meaningless():
    result = parse("aum_month_end", AUM_HEADER + '31/01/2026,"(1,234)",GBP,\n')
    issue = only_issue(result, 2, "amount")
    assert "negative" in issue.message


@pytest.mark.parametrize(
    "bad", ["abc", "NaN", "inf", "#N/A", "1.5E+09", "=A1*2", "12%"]
)
def test_bad_number_cells(bad):
    result = parse("aum_month_end", AUM_HEADER + f"31/01/2026,{bad},GBP,\n")
    assert not result.ok
    only_issue(result, 2, "amount")
    assert result.frame.empty


def test_every_bad_cell_reported():
    text = AUM_HEADER + "31/01/2026,x,GBP,\n28/02/2026,y,GBP,\n31/03/2026,z,GBP,\n"
    result = parse("aum_month_end", text)
    assert sorted(i.row for i in result.issues if i.column == "amount") == [2, 3, 4]


def test_currency_in_cell_must_match_row():
    result = parse("aum_month_end", AUM_HEADER + "31/01/2026,$500,GBP,\n")
    issue = only_issue(result, 2, "amount")
    assert "USD" in issue.message


def test_gbp_only_column_rejects_dollar():
    result = parse("expenditure", "line_item,amount,category\nRent,$5,not_deducted\n")
    issue = only_issue(result, 2, "amount")
    assert "GBP" in issue.message


def test_fx_rate_required_for_foreign_currency():
    result = parse("aum_month_end", AUM_HEADER + "31/01/2026,500,USD,\n")
    issue = only_issue(result, 2, "fx_rate_to_gbp")
    assert "USD" in issue.message


def test_inverted_fx_rate_rejected():
    result = parse("aum_month_end", AUM_HEADER + "31/01/2026,500,USD,1.27\n")
    issue = only_issue(result, 2, "fx_rate_to_gbp")
    assert "looks like USD per GBP" in issue.message


def test_gbp_rate_other_than_one_rejected():
    result = parse("aum_month_end", AUM_HEADER + "31/01/2026,500,GBP,0.8\n")
    only_issue(result, 2, "fx_rate_to_gbp")


def test_amount_gbp_uses_row_rate():
    result = parse("aum_month_end", AUM_HEADER + "31/01/2026,1000,USD,0.8\n")
    assert result.frame["amount_gbp"][0] == pytest.approx(800.0)


# --- dates ------------------------------------------------------------------------


def test_future_date_rejected():
    result = parse("aum_month_end", AUM_HEADER + "31/12/2026,5,GBP,\n")
    issue = only_issue(result, 2, "date")
    assert "future" in issue.message


def test_impossible_date_rejected():
    result = parse("aum_month_end", AUM_HEADER + "31/02/2026,5,GBP,\n")
    issue = only_issue(result, 2, "date")
    assert "28 days" in issue.message


def test_month_first_date_explained():
    result = parse("aum_month_end", AUM_HEADER + "01/31/2026,5,GBP,\n")
    issue = only_issue(result, 2, "date")
    assert "month-first" in issue.message


def test_mid_month_date_rejected_for_month_end_series():
    result = parse("aum_month_end", AUM_HEADER + "15/01/2026,5,GBP,\n")
    issue = only_issue(result, 2, "date")
    assert "not a month-end date" in issue.message
    assert "31/01/2026" in issue.fix


def test_last_business_day_accepted_as_month_end():
    # 31/01/2026 is a Saturday, so 30/01/2026 is the last business day.
    result = parse("aum_month_end", AUM_HEADER + "30/01/2026,5,GBP,\n")
    assert result.ok, result.issues


def test_duplicate_month_rejected():
    text = AUM_HEADER + "31/01/2026,5,GBP,\n31/01/2026,6,GBP,\n"
    result = parse("aum_month_end", text)
    issue = only_issue(result, 3, "date")
    assert "repeats row 2" in issue.message


def test_same_date_different_portfolio_allowed():
    text = "date,portfolio,amount,currency,fx_rate_to_gbp\n"
    text += "31/01/2026,A,5,GBP,\n31/01/2026,B,6,GBP,\n"
    assert parse("aum_month_end", text).ok


def test_month_gap_lists_missing_months():
    text = AUM_HEADER + "31/01/2026,5,GBP,\n30/04/2026,5,GBP,\n"
    result = parse("aum_month_end", text)
    issue = only_issue(result, None, "date")
    assert "2026-02, 2026-03" in issue.message


def test_months_out_of_order_sorted_with_warning():
    text = AUM_HEADER + "31/03/2026,3,GBP,\n31/01/2026,1,GBP,\n28/02/2026,2,GBP,\n"
    result = parse("aum_month_end", text)
    assert result.ok, result.issues
    assert list(result.frame["amount"]) == [1.0, 2.0, 3.0]
    assert list(result.frame["source_row"]) == [3, 4, 2]
    assert any("not in date order" in w.message for w in result.warnings)


CMH_HEADER = "date,segregated,amount\n"


def cmh_rows(days):
    return "".join(f'{day:%d/%m/%Y},yes,"20,000,000.00"\n' for day in days)


def test_missing_business_days_listed():
    days = business_days_between(date(2026, 3, 2), date(2026, 3, 13))
    kept = [day for day in days if day not in (date(2026, 3, 5), date(2026, 3, 10))]
    result = parse("client_money_daily", CMH_HEADER + cmh_rows(kept))
    issue = only_issue(result, None, "date")
    assert "2026-03-05, 2026-03-10" in issue.message


def test_weekend_and_bank_holiday_rows_rejected():
    days = business_days_between(date(2026, 4, 1), date(2026, 4, 2))
    text = CMH_HEADER + cmh_rows([*days, date(2026, 4, 3), date(2026, 4, 4)])
    result = parse("client_money_daily", text)
    assert "Good Friday" in only_issue(result, 4, "date").message
    assert "Saturday" in only_issue(result, 5, "date").message


def test_order_days_without_rows_are_a_warning():
    text = "date,kind,amount\n02/03/2026,cash,5\n05/03/2026,cash,5\n"
    result = parse("client_orders_daily", text)
    assert result.ok, result.issues
    assert any("2026-03-03, 2026-03-04" in w.message for w in result.warnings)


def test_interest_rate_derivative_needs_maturity():
    text = "date,kind,amount,interest_rate_derivative\n02/03/2026,derivative,5,yes\n"
    result = parse("client_orders_daily", text)
    only_issue(result, 2, "time_to_maturity_years")


def test_duplicate_order_ids_rejected():
    text = "date,kind,amount,order_id\n02/03/2026,cash,5,A1\n02/03/2026,cash,6,A1\n"
    result = parse("client_orders_daily", text)
    only_issue(result, 3, "order_id")


# --- text, choices and formulas -------------------------------------------------------


def test_formula_in_text_column_kept_and_flagged():
    text = 'line_item,amount,category\n"=HYPERLINK(""http://x"")",5,not_deducted\n'
    result = parse("expenditure", text)
    assert result.ok
    assert result.frame["line_item"][0] == '=HYPERLINK("http://x")'
    warning = [w for w in result.warnings if w.column == "line_item"][0]
    assert warning.row == 2
    assert "formula" in warning.message


def test_formula_in_number_column_rejected():
    text = 'line_item,amount,category\nRent,"=SUM(B2:B9)",not_deducted\n'
    issue = only_issue(parse("expenditure", text), 2, "amount")
    assert "Paste Special" in issue.fix


def test_unknown_choice_lists_allowed_values():
    text = "line_item,amount,category\nRent,5,bonus\n"
    issue = only_issue(parse("expenditure", text), 2, "category")
    assert "staff_bonuses_dependent_on_net_profit" in issue.fix


def test_choice_matches_description_text():
    text = "line_item,amount,category\nBonus,5,Fees to tied agents\n"
    result = parse("expenditure", text)
    assert result.ok, result.issues
    assert result.frame["category"][0] == "fees_to_tied_agents"


def test_empty_required_cell():
    text = "line_item,amount,category\n,5,not_deducted\n"
    issue = only_issue(parse("expenditure", text), 2, "line_item")
    assert issue.message == "is empty"


def test_own_funds_deduction_flag_checked():
    text = "item,tier,amount,deduction\nintangible_assets,CET1,5,no\n"
    issue = only_issue(parse("own_funds", text), 2, "deduction")
    assert "deduction" in issue.message


def test_own_funds_unknown_item():
    text = "item,tier,amount\ngoodwill stuff,CET1,5\n"
    issue = only_issue(parse("own_funds", text), 2, "item")
    assert "retained_earnings" in issue.fix


def test_risk_scores_checked():
    text = "risk_id,title,category,likelihood,impact,harm_capital_gbp\n"
    text += "R1,Fraud,operational,6,2.5,0\n"
    result = parse("risk_register", text)
    assert "maximum of 5" in only_issue(result, 2, "likelihood").message
    assert "whole number" in only_issue(result, 2, "impact").message


def test_receivable_needs_due_days():
    text = "asset_type,amount\ntrade_receivable,5\n"
    only_issue(parse("liquid_assets", text), 2, "due_days")


# --- Excel and volume -----------------------------------------------------------------


def test_xlsx_upload_with_real_dates_and_numbers():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Month End", "AUM", "Currency", "FX Rate"])
    sheet.append([date(2026, 1, 31), 1_500_000_000.25, "GBP", None])
    sheet.append([date(2026, 2, 28), 1_600_000_000, "USD", 0.79])
    buffer = io.BytesIO()
    book.save(buffer)
    result = parse_upload("aum_month_end", buffer.getvalue(), "aum.xlsx", today=TODAY)
    assert result.ok, result.issues
    assert result.frame["amount_gbp"][1] == pytest.approx(1_264_000_000)


def test_hundred_thousand_rows_parse():
    days = business_days_between(date(2025, 1, 1), date(2026, 11, 30))
    lines = ["date,kind,amount,currency"]
    for index in range(100_000):
        day = days[index % len(days)]
        lines.append(f'{day:%d/%m/%Y},cash,"{index + 1:,}.25",GBP')
    data = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    result = parse_upload("client_orders_daily", data, "orders.csv", today=TODAY)
    elapsed = time.perf_counter() - started
    assert result.ok, result.issues[:3]
    assert len(result.frame) == 100_000
    assert result.frame["amount"].sum() == pytest.approx(
        sum(range(1, 100_001)) + 25_000
    )
    assert elapsed < 120


def test_oversized_upload_rejected():
    line = b"31/01/2026,1234567.89,GBP,\n"
    data = AUM_HEADER.encode() + line * (51 * 1024 * 1024 // len(line))
    result = parse_upload("aum_month_end", data, "huge.csv", today=TODAY)
    assert not result.ok
    assert "over the limit" in result.issues[0].message


# --- templates ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_template_parses_cleanly(kind):
    data = template_csv(kind)
    assert data.startswith(b"\xef\xbb\xbf")
    result = parse_upload(kind, data, f"{kind}.csv", today=TODAY)
    assert result.ok, result.issues
    assert len(result.frame) == 1


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_column_table_lists_every_column(kind):
    table = column_table(kind)
    assert list(table["column"]) == [c.name for c in SCHEMAS[kind].columns]


def test_records_are_json_safe():
    result = parse("aum_month_end", AUM_HEADER + aum_rows(2))
    records = result.records()
    assert records[0]["date"] == "2026-01-31"
    assert records[0]["amount"] == 1_000_000.0


def test_upload_formats_doc_is_current():
    from ingest.formats_doc import DOC_PATH, render_upload_formats

    assert DOC_PATH.read_text(encoding="utf-8") == render_upload_formats(), (
        "docs/upload-formats.md is stale: run .venv/bin/python -m ingest.formats_doc"
    )


def test_gap_in_one_account_reported():
    days = business_days_between(date(2026, 3, 2), date(2026, 3, 6))
    text = "date,segregated,account,amount\n"
    for day in days:
        text += f"{day:%d/%m/%Y},yes,Bank A,5\n"
        if day != date(2026, 3, 4):
            text += f"{day:%d/%m/%Y},yes,Bank B,5\n"
    result = parse("client_money_daily", text)
    issue = only_issue(result, None, "date")
    assert "account=Bank B" in issue.message
    assert "2026-03-04" in issue.message


def test_no_header_shared_by_two_columns():
    for schema in SCHEMAS.values():
        seen = {}
        for column in schema.columns:
            for key in column.header_keys():
                assert key not in seen, (schema.kind, key, seen.get(key), column.name)
                seen[key] = column.name
