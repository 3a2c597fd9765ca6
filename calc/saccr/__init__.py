"""SA-CCR exposure engine (Basel Framework CRE52, UK CRR Articles 274-280e)."""

from calc.saccr.engine import SaccrExposure, breakdown, calculate_exposure, run
from calc.saccr.trades import (
    TradeFileError,
    TradeIssue,
    TradeTable,
    read_trade_file,
    template_csv,
    trade_table_from_records,
)

__all__ = [
    "SaccrExposure",
    "TradeFileError",
    "TradeIssue",
    "TradeTable",
    "breakdown",
    "calculate_exposure",
    "read_trade_file",
    "run",
    "template_csv",
    "trade_table_from_records",
]
