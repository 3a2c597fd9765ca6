"""Time the SA-CCR engine on a seeded synthetic trade book.

Usage, from the repository root:
``python -m benchmarks.saccr_benchmark [--sizes 10000 100000 1000000]``.

The book spreads trades over 1,000 netting sets (a third of them margined) and
all five asset classes, with 10% options, 2% basis and 1% volatility trades. The
engine time covers ``calculate_exposure`` on an already validated table. The
import time covers ``read_trade_file`` on the book written as a CSV file
(decoding, validation and number parsing) for sizes up to ``--import-limit``
trades. Peak memory is the
tracemalloc peak of one engine run, measured in a separate untimed run because
tracemalloc slows allocation.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from calc.saccr.engine import calculate_exposure
from calc.saccr.trades import CATEGORY_COLUMNS, TradeTable, read_trade_file

NETTING_SETS = 1_000
ASSET_CLASSES = np.array(["interest_rate", "fx", "credit", "equity", "commodity"])
CURRENCIES = np.array(["GBP", "USD", "EUR", "JPY", "CHF"])
PAIRS = np.array(["EUR/GBP", "USD/GBP", "EUR/USD", "USD/JPY", "GBP/CHF"])
CREDIT_SUB_CLASSES = np.array(["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "IG_index"])
EQUITY_SUB_CLASSES = np.array(["single_name", "index"])
COMMODITY_SUB_CLASSES = np.array(["electricity", "oil_gas", "metals", "agricultural"])


def synthetic_trades(count: int, seed: int = 20261204) -> pd.DataFrame:
    """Return a frame of validated-format trades (numbers as float, text as str)."""
    rng = np.random.default_rng(seed)

    asset_class = ASSET_CLASSES[rng.integers(0, 5, count)]
    netting_set = rng.integers(0, NETTING_SETS, count)
    maturity = rng.uniform(0.02, 15.0, count)
    start = np.where(rng.random(count) < 0.2, rng.uniform(0, 2, count), 0.0)
    kind = np.where(
        rng.random(count) < 0.02,
        "basis",
        np.where(rng.random(count) < 0.01, "volatility", "linear"),
    )

    hedging_set = np.where(
        asset_class == "interest_rate",
        CURRENCIES[rng.integers(0, 5, count)],
        np.where(asset_class == "fx", PAIRS[rng.integers(0, 5, count)], ""),
    )
    hedging_set = np.where(
        kind != "linear",
        np.char.add("SPREAD-", rng.integers(0, 20, count).astype(str)),
        hedging_set,
    )
    sub_class = np.select(
        [asset_class == "credit", asset_class == "equity", asset_class == "commodity"],
        [
            CREDIT_SUB_CLASSES[rng.integers(0, 8, count)],
            EQUITY_SUB_CLASSES[rng.integers(0, 2, count)],
            COMMODITY_SUB_CLASSES[rng.integers(0, 4, count)],
        ],
        "",
    )
    risk_factor = np.where(
        np.isin(asset_class, ["credit", "equity", "commodity"]),
        np.char.add("NAME-", rng.integers(0, 2_000, count).astype(str)),
        "",
    )

    is_option = rng.random(count) < 0.10
    underlying = rng.uniform(50, 150, count)
    margined_set = np.arange(NETTING_SETS) % 3 == 0

    frame = pd.DataFrame(
        {
            "row": np.arange(count) + 2,
            "trade_id": np.char.add("T", np.arange(count).astype(str)),
            "netting_set_id": np.char.add("NS", netting_set.astype(str)),
            "counterparty_id": np.char.add("CP", (netting_set // 2).astype(str)),
            "asset_class": asset_class,
            "direction": np.where(rng.random(count) < 0.5, "long", "short"),
            "transaction_kind": kind,
            "hedging_set": hedging_set,
            "sub_class": sub_class,
            "risk_factor": risk_factor,
            "option_type": np.where(
                is_option, np.where(rng.random(count) < 0.5, "call", "put"), ""
            ),
            "option_position": np.where(
                is_option, np.where(rng.random(count) < 0.5, "bought", "sold"), ""
            ),
            "notional": rng.lognormal(13, 1.5, count),
            "maturity_years": maturity,
            "mtm": rng.normal(0, 50_000, count),
            "start_years": start,
            "end_years": start + maturity,
            "underlying_price": np.where(is_option, underlying, np.nan),
            "strike": np.where(
                is_option, underlying * rng.uniform(0.8, 1.2, count), np.nan
            ),
            "exercise_years": np.where(is_option, np.minimum(maturity, 5.0), np.nan),
            "shift": 0.0,
            "attachment": np.nan,
            "detachment": np.nan,
            "margined": margined_set[netting_set],
            "threshold": 0.0,
            "minimum_transfer_amount": np.where(
                margined_set[netting_set], 50_000.0, 0.0
            ),
            "nica": 0.0,
            "variation_margin_net_held": 0.0,
            "remargin_period_days": 1.0,
            "mpor_days": 0.0,
        }
    )
    return frame


def as_trade_table(frame: pd.DataFrame) -> TradeTable:
    """Build the engine's input from an already valid synthetic frame."""
    trades = frame.copy()
    for column in CATEGORY_COLUMNS:
        trades[column] = trades[column].astype("category")
    columns = [
        "counterparty_id",
        "margined",
        "threshold",
        "minimum_transfer_amount",
        "nica",
        "variation_margin_net_held",
        "remargin_period_days",
        "mpor_days",
    ]
    netting_sets = frame.groupby("netting_set_id", sort=False)[columns].first()
    return TradeTable(trades=trades, netting_sets=netting_sets)


def time_engine(table: TradeTable, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        calculate_exposure(table)
        best = min(best, time.perf_counter() - started)
    return best


def peak_memory_mib(table: TradeTable) -> float:
    tracemalloc.start()
    calculate_exposure(table)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def time_import(frame: pd.DataFrame) -> float:
    """Return the seconds ``read_trade_file`` takes on the book written as CSV."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trades.csv"
        frame.drop(columns=["row"]).to_csv(path, index=False)
        started = time.perf_counter()
        read_trade_file(path)
        return time.perf_counter() - started


def main() -> None:
    """Print trades per second and peak memory for each book size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000]
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="engine runs per size; best is kept"
    )
    parser.add_argument(
        "--import-limit",
        type=int,
        default=100_000,
        help="largest book whose CSV-style import is also timed",
    )
    args = parser.parse_args()

    header = ("trades", "engine s", "trades/s", "peak MiB", "import s")
    widths = (10, 9, 12, 9, 9)
    print(
        " ".join(f"{name:>{width}}" for name, width in zip(header, widths, strict=True))
    )
    for size in args.sizes:
        frame = synthetic_trades(size)
        table = as_trade_table(frame)
        seconds = time_engine(table, args.repeats)
        memory = peak_memory_mib(table)
        imported = time_import(frame) if size <= args.import_limit else float("nan")
        print(
            f"{size:>10,} {seconds:>9.3f} {size / seconds:>12,.0f} {memory:>9.1f} "
            f"{imported:>9.2f}"
        )


if __name__ == "__main__":
    main()
