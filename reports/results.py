"""A uniform read-only view of calculation results for the report builders.

Reports accept either a ``calc.position.FirmPosition`` or a mapping of
calculator name to ``CalculationResult`` or to its ``to_dict()`` form (as saved
by storage), and read figures through ``ResultsView``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calc.result import CalculationResult


@dataclass(frozen=True)
class ResultsView:
    """Results keyed by calculator name, each in ``CalculationResult.to_dict`` form."""

    results: Mapping[str, Mapping[str, Any]]

    @classmethod
    def of(cls, source: Any) -> ResultsView:
        """Build a view from a FirmPosition or a mapping of results."""
        if isinstance(source, ResultsView):
            return source
        results = getattr(source, "results", source)
        if not isinstance(results, Mapping):
            raise TypeError(
                "Reports need a FirmPosition or a mapping of calculator name to "
                f"CalculationResult, got {type(source).__name__}."
            )
        return cls(
            {
                str(name): result.to_dict()
                if isinstance(result, CalculationResult)
                else dict(result)
                for name, result in results.items()
            }
        )

    def has(self, name: str) -> bool:
        """True when the calculator ``name`` has a result."""
        return name in self.results

    def value(self, name: str) -> float | None:
        """Return the headline value of ``name``, or None when absent."""
        result = self.results.get(name)
        return None if result is None else result.get("value")

    def figure(self, name: str, key: str) -> Any:
        """Return ``figures[key]`` of ``name``, or None when absent."""
        result = self.results.get(name)
        return None if result is None else result.get("figures", {}).get(key)

    def input(self, name: str, key: str) -> Any:
        """Return ``inputs[key]`` of ``name``, or None when absent."""
        result = self.results.get(name)
        return None if result is None else result.get("inputs", {}).get(key)

    def rule(self, name: str) -> str:
        """Return the rule reference of ``name`` ("" when absent)."""
        result = self.results.get(name)
        return "" if result is None else str(result.get("rule", ""))

    def title(self, name: str) -> str:
        """Return the title of ``name`` (the name itself when absent)."""
        result = self.results.get(name)
        return name if result is None else str(result.get("title", name))
