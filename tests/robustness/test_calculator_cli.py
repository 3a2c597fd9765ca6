"""``python -m calc``: bad files give exit status 2 and a one-line message."""

from __future__ import annotations

import codecs
import json
import subprocess
import sys
from pathlib import Path

import pytest

from calc.__main__ import main
from tests.robustness.calc_inputs import load_example

ROOT = Path(__file__).resolve().parent.parent.parent


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the CLI in this process; return (exit status, stdout, stderr)."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def assert_one_line_error(status: int, out: str, err: str) -> None:
    assert status == 2
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


PMR = json.dumps({"permissions": ["portfolio_management"]}).encode()


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("utf-8", PMR),
        ("utf-8-bom", codecs.BOM_UTF8 + PMR),
        ("utf-16-le-bom", PMR.decode().encode("utf-16")),
        ("utf-16-be-bom", codecs.BOM_UTF16_BE + PMR.decode().encode("utf-16-be")),
    ],
)
def test_encodings_read(capsys, tmp_path, label: str, data: bytes) -> None:
    status, out, err = run_cli(capsys, "pmr", write(tmp_path, f"{label}.json", data))
    assert status == 0, err
    assert json.loads(out)["value"] == 75_000


@pytest.mark.parametrize(
    ("label", "data", "expected"),
    [
        ("empty", b"", "cannot read"),
        ("whitespace", b"  \n", "cannot read"),
        ("truncated", b'{"permissions": ["portfolio_management"', "cannot read"),
        ("latin-1", '{"permissions": ["caf\u00e9"]}'.encode("latin-1"), "cannot read"),
        ("array", b"[]", "must be a JSON object"),
        ("array-of-object", b"[" + PMR + b"]", "must be a JSON object"),
        ("string", b'"pmr"', "must be a JSON object"),
        ("null", b"null", "must be a JSON object"),
        ("nan-literal", b'{"permissions": NaN}', "permissions"),
        ("deep-array", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (
            "deep-object",
            b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
            "nested too deeply",
        ),
    ],
)
def test_bad_file_exit_two(capsys, tmp_path, label, data, expected) -> None:
    status, out, err = run_cli(capsys, "pmr", write(tmp_path, f"{label}.json", data))
    assert_one_line_error(status, out, err)
    assert expected in err


def test_duplicate_key_rejected(capsys, tmp_path) -> None:
    # json.loads keeps the last of two equal keys, so the first permission would
    # silently disappear and the PMR would be that of the second one only.
    data = (
        b'{"permissions": ["portfolio_management"],'
        b' "permissions": ["deal_on_own_account"]}'
    )
    status, out, err = run_cli(capsys, "pmr", write(tmp_path, "dup.json", data))
    assert_one_line_error(status, out, err)
    assert err.startswith("error: permissions: appears twice")


def test_duplicate_date_key_rejected(capsys, tmp_path) -> None:
    inputs = load_example("k_aum")
    text = json.dumps(inputs).replace(
        '"2025-10": 200000000', '"2025-10": 200000000, "2025-10": 900000000'
    )
    assert text.count('"2025-10"') == 2
    status, out, err = run_cli(
        capsys, "k_aum", write(tmp_path, "dup.json", text.encode())
    )
    assert_one_line_error(status, out, err)
    assert "2025-10: appears twice" in err


def test_missing_file_exit_two(capsys, tmp_path) -> None:
    status, out, err = run_cli(capsys, "pmr", str(tmp_path / "absent.json"))
    assert_one_line_error(status, out, err)


def test_directory_exit_two(capsys, tmp_path) -> None:
    status, out, err = run_cli(capsys, "pmr", str(tmp_path))
    assert_one_line_error(status, out, err)


def test_unknown_calculator_exit_two(capsys, tmp_path) -> None:
    status, out, err = run_cli(capsys, "k_xyz", write(tmp_path, "in.json", PMR))
    assert_one_line_error(status, out, err)
    assert "k_aum" in err


def test_huge_number_exit_two(capsys, tmp_path) -> None:
    inputs = load_example("k_aum")
    text = json.dumps(inputs).replace("100000000", "1" + "0" * 400, 1)
    status, out, err = run_cli(
        capsys, "k_aum", write(tmp_path, "big.json", text.encode())
    )
    assert_one_line_error(status, out, err)
    assert "month_end_aum_gbp.2025-09" in err


def test_newline_in_key_one_line(capsys, tmp_path) -> None:
    inputs = load_example("k_aum")
    inputs["month_end_aum_gbp"]["2025-09\nrm -rf /"] = 1
    data = json.dumps(inputs).encode()
    status, out, err = run_cli(capsys, "k_aum", write(tmp_path, "nl.json", data))
    assert_one_line_error(status, out, err)


@pytest.mark.slow
def test_large_valid_file_runs(capsys, tmp_path) -> None:
    # About 10 MB: 80,000 trades padded with a long note each.
    inputs = load_example("k_coh")
    inputs["trades"] = [
        {**trade, "note": "n" * 100} for trade in inputs["trades"] * 20_000
    ]
    path = write(tmp_path, "large.json", json.dumps(inputs).encode())
    assert Path(path).stat().st_size > 10_000_000
    status, out, err = run_cli(capsys, "k_coh", path)
    assert status == 0, err
    assert json.loads(out)["value"] > 0


def test_process_exit_status_two(tmp_path) -> None:
    # A real process, so that the exit status and stderr are those of a shell.
    path = write(tmp_path, "array.json", b"[1, 2]")
    completed = subprocess.run(
        [sys.executable, "-m", "calc", "k_aum", path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == "error: the input must be a JSON object\n"


def test_stdin_bom_read(tmp_path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "calc", "pmr", "-"],
        cwd=ROOT,
        input=codecs.BOM_UTF8 + PMR,
        capture_output=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["value"] == 75_000
