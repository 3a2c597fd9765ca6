"""Command line: ``python -m calc CALCULATOR INPUT.json`` prints the result as JSON.

``INPUT.json`` may be ``-`` for standard input. ``python -m calc list`` prints the
calculators. ``python -m calc saccr TRADES.csv`` reads a trade file instead of JSON.
Exit status: 0 on success, 2 on invalid input (the message names the field).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from calc.errors import CalculationInputError
from calc.registry import CALCULATORS, get_calculator


def _read_input(name: str, source: str) -> object:
    if name == "saccr" and source != "-" and not source.lower().endswith(".json"):
        return {"trades_file": source}
    text = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8-sig")
    return json.loads(text)


def main(argv: list[str] | None = None) -> int:
    """Run one calculator from the command line and print its result as JSON."""
    parser = argparse.ArgumentParser(prog="python -m calc", description=__doc__)
    parser.add_argument("calculator", help="calculator name, or 'list'")
    parser.add_argument("input", nargs="?", help="input JSON file, or - for stdin")
    args = parser.parse_args(argv)

    if args.calculator == "list":
        for name, (_, description) in sorted(CALCULATORS.items()):
            print(f"{name:24} {description}")
        return 0
    if args.input is None:
        parser.error("INPUT is required: a JSON file, or - for standard input")

    try:
        inputs = _read_input(args.calculator, args.input)
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
        print(f"error: cannot read {args.input}: {error}", file=sys.stderr)
        return 2
    if not isinstance(inputs, dict):
        print("error: the input must be a JSON object", file=sys.stderr)
        return 2

    try:
        result = get_calculator(args.calculator)(inputs)
    except CalculationInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    json.dump(result.to_dict(), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
