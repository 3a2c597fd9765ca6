"""K-CON requirement and the concentration hard limits, MIFIDPRU 5.

For each client or group of connected clients (MIFIDPRU 5.4.1R):

* EV = net long trading-book positions in the client's instruments + the K-TCD
  exposure value of the 4.14.3R transactions with it;
* EVE = EV above the concentration risk soft limit (5.5.1R, 5.5.3R);
* OFRE = the client's own funds requirement x EVE / EV (5.7.3R);
* K-CON = OFRE x 200% while the excess has lasted 10 business days or less
  (5.7.4R(1)); after that the EVE is split into tranches by its size relative to
  own funds, the OFRE is pro-rated over the tranches and each part is multiplied
  by its Table 1 factor (5.7.4R(2)).

Hard limits (5.9.1R): while an excess is 10 business days old or less, the EV
must not exceed 500% of own funds. The EVEs of excesses older than 10 business
days must not add up to more than 600% of own funds. A breach is reported as a
warning and in the figures, not rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calc.errors import CalculationInputError, InconsistentInputError
from calc.own_funds import (
    prefix_field,
    read_amount,
    read_choice,
    read_count,
    read_list,
    read_number,
)
from calc.result import CalculationResult, Reading, Step
from calc.rules import (
    K_CON_AGGREGATE_HARD_LIMIT_SHARE,
    K_CON_INSTITUTION_SOFT_LIMIT_CAP_SHARE,
    K_CON_INSTITUTION_SOFT_LIMIT_GBP,
    K_CON_SHORT_EXCESS_DAYS,
    K_CON_SHORT_EXCESS_FACTOR,
    K_CON_SINGLE_CLIENT_HARD_LIMIT_SHARE,
    K_CON_SOFT_LIMIT_SHARE,
    K_CON_TRANCHE_FACTORS,
)

RULE = "MIFIDPRU 5.7"
CLIENT_TYPES = ("institution", "other")

SOFT_LIMIT_READING = Reading(
    "MIFIDPRU 5.5.1R",
    "The 5.5.1R text was not available. Soft limit = 25% of own funds; for a "
    "credit institution or investment firm the higher of 25% and GBP 150m, at "
    "most 100% of own funds (IFR Art 37(1) values, not verified). A "
    "soft_limit_gbp input overrides it.",
)
OFRE_READING = Reading(
    "MIFIDPRU 5.7.3R",
    "The OFRE formula is an image in the Handbook; OFRE = client own funds "
    "requirement x EVE / EV, as in IFR Art 39(1) (not verified).",
)
TRANCHE_READING = Reading(
    "MIFIDPRU 5.7.4R(2)",
    "Table 1 is an image in the Handbook; factors 200%, 300%, 400%, 500%, 600% "
    "and 900% for EVE up to 40%, 60%, 80%, 100%, 250% and above 250% of own funds "
    "are the IFR Art 39(2) values, not verified.",
)


@dataclass(frozen=True)
class ClientExposure:
    """Trading-book exposure to one client or group of connected clients (GBP).

    The OFRE is ``own_funds_requirement_for_excess_gbp`` when given. Otherwise it
    is computed from ``client_own_funds_requirement_gbp``, the TCD own funds
    requirement plus K-NPR specific risk for the client (5.7.3R(2)).
    ``exposure_value_excess_gbp`` is used when the EV is not given.
    """

    client_id: str
    business_days_in_excess: int
    net_long_trading_book_gbp: float | None = None
    k_tcd_exposure_value_gbp: float = 0.0
    client_type: str = "other"
    soft_limit_gbp: float | None = None
    client_own_funds_requirement_gbp: float | None = None
    own_funds_requirement_for_excess_gbp: float | None = None
    exposure_value_excess_gbp: float | None = None


def soft_limit(own_funds_gbp: float, client_type: str) -> float:
    """Return the concentration risk soft limit in GBP (MIFIDPRU 5.5.1R reading)."""
    # NOTE: the 5.5.1R text could not be read. 25%, GBP 150m and the 100% cap
    # are the IFR Art 37(1) values as recalled, not checked against any text.
    # Own funds below zero give a limit of 0, so the EVE never exceeds the EV.
    own_funds = max(0.0, own_funds_gbp)
    base = K_CON_SOFT_LIMIT_SHARE.value * own_funds
    if client_type == "other":
        return base
    return min(
        max(base, K_CON_INSTITUTION_SOFT_LIMIT_GBP.value),
        K_CON_INSTITUTION_SOFT_LIMIT_CAP_SHARE.value * own_funds,
    )


def tranche_requirement(
    ofre_gbp: float, eve_gbp: float, own_funds_gbp: float
) -> tuple[float, list[dict[str, float]]]:
    """Apply MIFIDPRU 5.7.4R(2): pro-rate the OFRE over the EVE tranches.

    Returns the K-CON in GBP and one row per tranche touched, with the tranche's
    EVE (GBP), its share of the EVE, its factor and its requirement (GBP).
    """
    # NOTE: the UK Table 1 is an image that could not be read. The factors are
    # the IFR Art 39(2) values as recalled, not checked against any text.
    rows = []
    total = 0.0
    lower = 0.0
    # Own funds below zero would give falling tranche bounds and shares of the
    # EVE above 1; at 0 the whole EVE falls in the top tranche.
    own_funds = max(0.0, own_funds_gbp)
    for upper_share, factor in K_CON_TRANCHE_FACTORS.value:
        upper = float("inf") if upper_share is None else upper_share * own_funds
        in_tranche = max(0.0, min(eve_gbp, upper) - lower)
        if in_tranche > 0:
            share = in_tranche / eve_gbp
            requirement = ofre_gbp * share * factor
            total += requirement
            rows.append(
                {
                    "tranche_upper_share_of_own_funds": upper_share,
                    "eve_in_tranche_gbp": in_tranche,
                    "share_of_eve": share,
                    "factor": factor,
                    "requirement_gbp": requirement,
                }
            )
        lower = upper
    return total, rows


def k_con_requirement(
    clients: list[ClientExposure], own_funds_gbp: float | None
) -> CalculationResult:
    """Compute the K-CON requirement and check the hard limits.

    Parameters
    ----------
    clients : list of ClientExposure
        One entry per client or group of connected clients.
    own_funds_gbp : float, optional
        The firm's own funds, GBP. The soft limit, the tranches beyond 10
        business days and the hard limits need it. It may be left out only when
        each client gives its OFRE and every excess is 10 business days or less.

    Returns
    -------
    CalculationResult
        ``value`` is the K-CON requirement in GBP; ``figures["clients"]`` contains
        each client's EV, soft limit, EVE, OFRE, factor rows and requirement, and
        ``figures["hard_limit_breaches"]`` each breach of 5.9.1R.
    """
    short_days = K_CON_SHORT_EXCESS_DAYS.value
    rows = []
    steps: list[Step] = []
    warnings: list[str] = []
    breaches: list[dict[str, Any]] = []
    readings: set[Reading] = set()
    total = 0.0
    long_excess_total = 0.0

    for client in clients:
        row: dict[str, Any] = {
            "client_id": client.client_id,
            "business_days_in_excess": client.business_days_in_excess,
        }
        ev = None
        if client.net_long_trading_book_gbp is not None:
            ev = client.net_long_trading_book_gbp + client.k_tcd_exposure_value_gbp
            limit = client.soft_limit_gbp
            if limit is None:
                limit = soft_limit(
                    _need_own_funds(own_funds_gbp, client), client.client_type
                )
                readings.add(SOFT_LIMIT_READING)
            eve = max(0.0, ev - limit)
            row.update({"exposure_value_gbp": ev, "soft_limit_gbp": limit})
            steps.append(Step(f"{client.client_id}: EV", ev, "GBP", "MIFIDPRU 5.4.1R"))
            steps.append(
                Step(f"{client.client_id}: soft limit", limit, "GBP", "MIFIDPRU 5.5.1R")
            )
        else:
            eve = client.exposure_value_excess_gbp
        row["exposure_value_excess_gbp"] = eve

        if client.own_funds_requirement_for_excess_gbp is not None:
            ofre = client.own_funds_requirement_for_excess_gbp
        elif ev and eve:
            ofre = client.client_own_funds_requirement_gbp * eve / ev
            readings.add(OFRE_READING)
        else:
            ofre = 0.0
        row["own_funds_requirement_for_excess_gbp"] = ofre
        if eve is not None:
            steps.append(
                Step(f"{client.client_id}: EVE", eve, "GBP", "MIFIDPRU 5.5.3R")
            )
        steps.append(Step(f"{client.client_id}: OFRE", ofre, "GBP", "MIFIDPRU 5.7.3R"))

        if ofre == 0.0 and not eve:
            requirement, tranches = 0.0, []
        elif client.business_days_in_excess <= short_days:
            requirement = ofre * K_CON_SHORT_EXCESS_FACTOR.value
            tranches = [
                {
                    "factor": K_CON_SHORT_EXCESS_FACTOR.value,
                    "requirement_gbp": requirement,
                }
            ]
            steps.append(
                Step(
                    f"{client.client_id}: OFRE x 200% "
                    f"(excess of {short_days} business days or less)",
                    requirement,
                    "GBP",
                    "MIFIDPRU 5.7.4R(1)",
                )
            )
            if ev is not None and own_funds_gbp is not None:
                hard_limit = K_CON_SINGLE_CLIENT_HARD_LIMIT_SHARE.value * own_funds_gbp
                if ev > hard_limit:
                    breaches.append(
                        {
                            "rule": "MIFIDPRU 5.9.1R(1)",
                            "client_id": client.client_id,
                            "amount_gbp": ev,
                            "limit_gbp": hard_limit,
                        }
                    )
        else:
            if eve is None:
                raise InconsistentInputError(
                    f"clients.{client.client_id}.exposure_value_excess_gbp",
                    None,
                    "is needed for an excess of more than 10 business days",
                    "Enter the EV and positions, or the EVE, with own_funds_gbp.",
                )
            requirement, tranches = tranche_requirement(
                ofre, eve, _need_own_funds(own_funds_gbp, client)
            )
            readings.add(TRANCHE_READING)
            long_excess_total += eve
            for tranche in tranches:
                steps.append(
                    Step(
                        f"{client.client_id}: tranche factor {tranche['factor']:.0%}",
                        tranche["requirement_gbp"],
                        "GBP",
                        "MIFIDPRU 5.7.4R(2)",
                        f"EVE in tranche {tranche['eve_in_tranche_gbp']:,.2f}",
                    )
                )
        row["tranches"] = tranches
        row["k_con_gbp"] = requirement
        total += requirement
        rows.append(row)

    if own_funds_gbp is not None:
        aggregate_limit = K_CON_AGGREGATE_HARD_LIMIT_SHARE.value * own_funds_gbp
        # 5.9.1R(2) applies only while some excess is older than 10 business
        # days; without one, negative own funds must not report a breach.
        if long_excess_total > 0 and long_excess_total > aggregate_limit:
            breaches.append(
                {
                    "rule": "MIFIDPRU 5.9.1R(2)",
                    "client_id": None,
                    "amount_gbp": long_excess_total,
                    "limit_gbp": aggregate_limit,
                }
            )
    if own_funds_gbp is not None and own_funds_gbp < 0:
        warnings.append(
            f"Own funds are negative (GBP {own_funds_gbp:,.2f}), so the soft limit "
            "and the tranche bounds are taken at 0 and each exposure is excess in "
            "full (MIFIDPRU 5.5.1R, 5.7.4R)."
        )
    for breach in breaches:
        subject = (
            f"client {breach['client_id']}"
            if breach["client_id"]
            else "excesses older than 10 business days"
        )
        warnings.append(
            f"Hard limit breached ({breach['rule']}): {subject} at GBP "
            f"{breach['amount_gbp']:,.2f} exceeds GBP {breach['limit_gbp']:,.2f}. "
            "Notify the FCA without delay (MIFIDPRU 5.9.3R)."
        )
    steps.append(Step("K-CON requirement = sum over clients", total, "GBP", RULE))
    return CalculationResult(
        calculator="k_con",
        title="K-CON requirement",
        value=total,
        rule=RULE,
        inputs={"own_funds_gbp": own_funds_gbp, "clients": clients},
        figures={
            "k_con_gbp": total,
            "clients": rows,
            "aggregate_eve_over_ten_days_gbp": long_excess_total,
            "hard_limit_breaches": breaches,
        },
        steps=tuple(steps),
        readings=tuple(sorted(readings, key=lambda reading: reading.rule)),
        warnings=tuple(warnings),
    )


def _need_own_funds(own_funds_gbp: float | None, client: ClientExposure) -> float:
    if own_funds_gbp is None:
        raise InconsistentInputError(
            "own_funds_gbp",
            None,
            f"is needed for client {client.client_id} (soft limit or tranches)",
            "Enter the firm's own funds in GBP.",
        )
    return own_funds_gbp


def _optional(entry: Mapping[str, Any], field: str) -> float | None:
    return None if entry.get(field) is None else read_amount(entry, field)


def _read_client(entry: Mapping[str, Any], default_id: str) -> ClientExposure:
    client = ClientExposure(
        client_id=str(entry.get("client_id", default_id)),
        business_days_in_excess=read_count(entry, "business_days_in_excess", 0),
        net_long_trading_book_gbp=_optional(entry, "net_long_trading_book_gbp"),
        k_tcd_exposure_value_gbp=read_amount(entry, "k_tcd_exposure_value_gbp", 0.0),
        client_type=read_choice(entry, "client_type", CLIENT_TYPES, "other"),
        soft_limit_gbp=_optional(entry, "soft_limit_gbp"),
        client_own_funds_requirement_gbp=_optional(
            entry, "client_own_funds_requirement_gbp"
        ),
        own_funds_requirement_for_excess_gbp=_optional(
            entry, "own_funds_requirement_for_excess_gbp"
        ),
        exposure_value_excess_gbp=_optional(entry, "exposure_value_excess_gbp"),
    )
    if (
        client.own_funds_requirement_for_excess_gbp is None
        and client.client_own_funds_requirement_gbp is None
    ):
        raise CalculationInputError(
            "client_own_funds_requirement_gbp",
            None,
            "is missing",
            "Enter the client's own funds requirement, or the OFRE as "
            "own_funds_requirement_for_excess_gbp.",
        )
    if (
        client.own_funds_requirement_for_excess_gbp is None
        and client.net_long_trading_book_gbp is None
    ):
        raise CalculationInputError(
            "net_long_trading_book_gbp",
            None,
            "is missing",
            "Enter the net long trading-book position so that the EV and EVE "
            "can be computed.",
        )
    return client


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Run K-CON from a JSON-style mapping.

    Fields: optional ``own_funds_gbp``; ``clients`` (array), or the fields of a
    single client at the top level: ``client_id``, ``business_days_in_excess``,
    ``net_long_trading_book_gbp``, ``k_tcd_exposure_value_gbp``, ``client_type``
    (institution or other), ``soft_limit_gbp``,
    ``client_own_funds_requirement_gbp``, ``own_funds_requirement_for_excess_gbp``
    and ``exposure_value_excess_gbp``.
    """
    own_funds = (
        None
        if inputs.get("own_funds_gbp") is None
        else read_number(inputs, "own_funds_gbp")
    )
    entries = read_list(inputs, "clients") if "clients" in inputs else [inputs]
    clients = []
    for index, entry in enumerate(entries):
        prefix = f"clients.{index}" if "clients" in inputs else ""
        if not isinstance(entry, Mapping):
            raise CalculationInputError(
                prefix, entry, "is not a JSON object", "Enter each client as an object."
            )
        try:
            clients.append(_read_client(entry, str(index + 1)))
        except CalculationInputError as error:
            raise (prefix_field(error, prefix) if prefix else error) from error
    ids = [client.client_id for client in clients]
    if len(set(ids)) != len(ids):
        raise InconsistentInputError(
            "clients",
            ids,
            "repeat a client id",
            "Give each client or group its own id.",
        )
    return k_con_requirement(clients, own_funds)
