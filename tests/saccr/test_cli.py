"""``python -m calc saccr TRADES.csv`` prints the netting-set results as JSON."""

from __future__ import annotations

import json

from calc.__main__ import main
from calc.saccr import template_csv


def test_cli_prints_netting_sets(tmp_path, capsys) -> None:
    path = tmp_path / "trades.csv"
    path.write_text(template_csv(), "utf-8")
    assert main(["saccr", str(path)]) == 0
    output = json.loads(capsys.readouterr().out)
    sets = {item["netting_set_id"]: item for item in output["figures"]["netting_sets"]}
    assert set(sets) == {"NS-BANK-A", "NS-FUND-B"}
    total = sum(item["exposure_at_default"] for item in sets.values())
    assert abs(output["value"] - total) < 1e-6


def test_cli_reports_invalid_file(tmp_path, capsys) -> None:
    path = tmp_path / "trades.csv"
    path.write_text("trade_id,netting_set_id\nT1,NS\n", "utf-8")
    assert main(["saccr", str(path)]) == 2
    assert "Column 'notional'" in capsys.readouterr().err
