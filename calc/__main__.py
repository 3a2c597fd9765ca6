"""Command line: ``python -m calc CALCULATOR INPUT.json`` prints the result as JSON.

``INPUT.json`` may be ``-`` for standard input. ``python -m calc list`` prints the
calculators. ``python -m calc saccr TRADES.csv`` reads a trade file instead of JSON.
Exit status: 0 on success, 2 on invalid input (the message names the field).
"""

from __future__ import annotations

import argparse
import codecs
import json
import sys
from pathlib import Path
from typing import Any

from calc.errors import CalculationInputError
from calc.registry import CALCULATORS, get_calculator


def _object_without_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, raising on a repeated key instead of keeping the last."""
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise CalculationInputError(
                key,
                value,
                "appears twice in the same JSON object",
                "Keep one entry per key: a repeated key would silently replace "
                "the earlier value.",
            )
        mapping[key] = value
    return mapping


def _decode(data: bytes) -> str:
    """Decode UTF-8 (with or without a byte order mark) or BOM-marked UTF-16."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def _read_input(name: str, source: str) -> object:
    if name == "saccr" and source != "-" and not source.lower().endswith(".json"):
        return {"trades_file": source}
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        data = Path(source).read_bytes()
    return json.loads(_decode(data), object_pairs_hook=_object_without_duplicate_keys)


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
    except RecursionError:
        print(
            f"error: cannot read {args.input}: the JSON is nested too deeply. "
            "Give the inputs as a flat object of fields.",
            file=sys.stderr,
        )
        return 2
    except CalculationInputError as error:
        print(f"error: {error}", file=sys.stderr)
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
