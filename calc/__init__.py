"""MIFIDPRU own funds, liquidity and ICARA calculations.

Pure Python with numpy and pandas: no Streamlit, no database. Every calculator
validates its input, raises ``calc.errors.CalculationInputError`` subclasses that
name the field, and returns a ``calc.result.CalculationResult``.
"""

from calc.rules import CALCULATOR_VERSION, RULES_VERSION

__all__ = ["CALCULATOR_VERSION", "RULES_VERSION"]
