"""SA-CCR exposure at default per netting set (Basel Framework CRE52, UK CRR 274-280e).

EAD = α · (RC + PFE) with α = 1.4. RC is the replacement cost net of collateral,
PFE = multiplier · AddOn_aggregate, and the add-ons are built per hedging set
from each trade's effective notional D = δ · d · MF. A margined netting set's EAD
is capped at the EAD of the same set computed as if unmargined (CRE52.2).

Money is in GBP, the currency of the trade file. The computation is
vectorised: trades are grouped by integer codes and summed with
``np.bincount``. Python loops run only over asset classes and distinct
sub-classes, and the option delta calls ``math.erfc`` once per option.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from calc.errors import CalculationInputError
from calc.result import CalculationResult, Reading, Step
from calc.saccr import aggregation
from calc.saccr.delta import option_delta, tranche_delta
from calc.saccr.maturity import (
    margin_period_of_risk,
    margined_maturity_factor,
    supervisory_duration,
    unmargined_maturity_factor,
)
from calc.saccr.parameters import (
    ALPHA,
    ASSET_CLASSES,
    BASEL_TABLE_2,
    BASIS_FACTOR_SCALE,
    MULTIPLIER_FLOOR,
    SUPERVISORY_PARAMETERS,
    VOLATILITY_FACTOR_SCALE,
)
from calc.saccr.replacement_cost import replacement_cost
from calc.saccr.trades import TradeTable, read_trade_file, trade_table_from_records

RULE = "Basel Framework CRE52 (SA-CCR); UK CRR Articles 274-280e"

READINGS = (
    Reading(
        "CRE52.34",
        "The supervisory duration is floored at 10 business days (10/250 years), "
        "the same floor as the maturity factor.",
    ),
    Reading(
        "CRE52.2",
        "The unmargined EAD used to cap a margined netting set keeps the same V "
        "and C and uses max(V - C, 0) as RC and the unmargined maturity factors.",
    ),
    Reading(
        "CRE52.45-52.47",
        "A basis or volatility trade forms its own hedging set keyed by the "
        "trade file's hedging_set label; IR volatility trades use the IR "
        "supervisory duration for their adjusted notional.",
    ),
)

_COMMODITY_GROUPS = ("energy", "metals", "agricultural", "other")


@dataclass(frozen=True)
class SaccrExposure:
    """SA-CCR figures at every level, for the totals and the drill-down.

    Attributes
    ----------
    netting_sets : DataFrame
        One row per netting set, indexed by ``netting_set_id``: V, C, RC, the
        add-on of each asset class, the aggregate add-on, multiplier, PFE, the
        margined and unmargined EADs and the EAD after the cap.
    hedging_sets : DataFrame
        One row per hedging set: netting set, asset class, transaction kind,
        label, effective notional and add-on. Indexed by ``hedging_set_key``.
    risk_factors : DataFrame
        Credit entities, equity names and commodity types: their hedging set,
        correlation and signed add-on.
    trades : DataFrame
        One row per trade: supervisory duration, adjusted notional, maturity
        factor, delta, supervisory factor, effective notional and its
        ``hedging_set_key``.
    """

    netting_sets: pd.DataFrame
    hedging_sets: pd.DataFrame
    risk_factors: pd.DataFrame
    trades: pd.DataFrame


def calculate_exposure(table: TradeTable) -> SaccrExposure:
    """Compute SA-CCR exposures for every netting set in a validated trade table.

    Parameters
    ----------
    table : TradeTable
        Output of ``read_trade_file`` or ``trade_table_from_records``.

    Returns
    -------
    SaccrExposure
        Netting-set totals and the hedging-set, risk-factor and trade detail.
    """
    trades = table.trades
    netting_set_codes = trades["netting_set_id"].cat.codes.to_numpy(np.int64)
    netting_set_names = trades["netting_set_id"].cat.categories
    netting_set_count = len(netting_set_names)
    terms = table.netting_sets.reindex(netting_set_names.astype(object))

    class_codes = _asset_class_codes(trades)
    kind_codes = (
        trades["transaction_kind"]
        .cat.set_categories(["linear", "basis", "volatility"])
        .cat.codes.to_numpy(np.int64)
    )
    factor, correlation, volatility, commodity_group = _sub_class_parameters(
        trades, class_codes
    )
    factor = factor * np.choose(
        kind_codes, [1.0, BASIS_FACTOR_SCALE, VOLATILITY_FACTOR_SCALE]
    )

    notional = trades["notional"].to_numpy(float)
    start = trades["start_years"].to_numpy(float)
    end = trades["end_years"].to_numpy(float)
    uses_duration = (class_codes == ASSET_CLASSES.index("interest_rate")) | (
        class_codes == ASSET_CLASSES.index("credit")
    )
    duration = np.where(uses_duration, supervisory_duration(start, end), 1.0)
    adjusted_notional = notional * duration

    delta = _supervisory_delta(trades, volatility)

    trade_count = np.bincount(netting_set_codes, minlength=netting_set_count)
    margined_set = terms["margined"].to_numpy(bool)
    mpor = margin_period_of_risk(
        terms["remargin_period_days"].to_numpy(float),
        terms["mpor_days"].to_numpy(float),
        trade_count,
    )
    mpor = np.where(margined_set, mpor, np.nan)
    unmargined_factor = unmargined_maturity_factor(
        trades["maturity_years"].to_numpy(float)
    )
    margined_factor_of_set = margined_maturity_factor(np.nan_to_num(mpor, nan=0.0))
    is_margined_trade = margined_set[netting_set_codes]
    maturity_factor = np.where(
        is_margined_trade, margined_factor_of_set[netting_set_codes], unmargined_factor
    )
    effective_notional = delta * adjusted_notional * maturity_factor
    unmargined_notional = delta * adjusted_notional * unmargined_factor

    groups, label_codes = _hedging_set_groups(
        trades, netting_set_codes, class_codes, kind_codes, commodity_group, end
    )
    hs_netting_set = netting_set_codes[groups.representative_trade]
    hs_class = class_codes[groups.representative_trade]
    add_on, set_notional, factor_add_on = aggregation.hedging_set_add_ons(
        groups, effective_notional, factor, correlation, class_codes
    )
    class_add_ons = aggregation.asset_class_add_ons(
        add_on, hs_netting_set, hs_class, netting_set_count
    )
    if margined_set.any():
        unmargined_add_on, _, _ = aggregation.hedging_set_add_ons(
            groups, unmargined_notional, factor, correlation, class_codes
        )
        unmargined_class_add_ons = aggregation.asset_class_add_ons(
            unmargined_add_on, hs_netting_set, hs_class, netting_set_count
        )
    else:
        unmargined_class_add_ons = class_add_ons

    value = np.bincount(
        netting_set_codes,
        weights=trades["mtm"].to_numpy(float),
        minlength=netting_set_count,
    )
    netting_sets = _netting_set_frame(
        netting_set_names,
        terms,
        value,
        class_add_ons,
        unmargined_class_add_ons,
        mpor,
        trade_count,
    )

    hedging_sets = _hedging_set_frame(
        trades, groups, label_codes, hs_class, kind_codes, add_on, set_notional
    )
    risk_factors = _risk_factor_frame(trades, groups, correlation, factor_add_on)
    trade_detail = pd.DataFrame(
        {
            "trade_id": trades["trade_id"],
            "netting_set_id": trades["netting_set_id"],
            "asset_class": trades["asset_class"],
            "hedging_set_key": groups.hedging_set_of_trade,
            "risk_factor_key": groups.risk_factor_of_trade,
            "supervisory_duration": duration,
            "adjusted_notional": adjusted_notional,
            "maturity_factor": maturity_factor,
            "supervisory_delta": delta,
            "supervisory_factor": factor,
            "effective_notional": effective_notional,
            "mtm": trades["mtm"],
        }
    )
    return SaccrExposure(netting_sets, hedging_sets, risk_factors, trade_detail)


def _asset_class_codes(trades: pd.DataFrame) -> np.ndarray:
    return (
        trades["asset_class"]
        .cat.set_categories(list(ASSET_CLASSES))
        .cat.codes.to_numpy(np.int64)
    )


def _sub_class_parameters(
    trades: pd.DataFrame, class_codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Broadcast SF, ρ, σ and the commodity hedging group to each trade.

    The lookup runs once per distinct (asset class, sub-class) pair.
    """
    sub_codes = trades["sub_class"].cat.codes.to_numpy(np.int64)
    sub_names = trades["sub_class"].cat.categories
    pair = class_codes * (len(sub_names) + 1) + (sub_codes + 1)
    pair_ids, pair_values = pd.factorize(pair)
    table_factor = np.empty(len(pair_values))
    table_correlation = np.empty(len(pair_values))
    table_volatility = np.empty(len(pair_values))
    table_group = np.empty(len(pair_values), dtype=np.int64)
    for index, value in enumerate(pair_values):
        asset_class = ASSET_CLASSES[int(value) // (len(sub_names) + 1)]
        sub_code = int(value) % (len(sub_names) + 1) - 1
        sub_class = "" if sub_code < 0 else str(sub_names[sub_code])
        if asset_class in ("interest_rate", "fx"):
            sub_class = ""
        parameters = SUPERVISORY_PARAMETERS[asset_class][sub_class]
        table_factor[index] = parameters.supervisory_factor
        table_correlation[index] = parameters.correlation or 0.0
        table_volatility[index] = parameters.supervisory_volatility
        table_group[index] = (
            _COMMODITY_GROUPS.index(parameters.hedging_set)
            if parameters.hedging_set
            else 0
        )
    return (
        table_factor[pair_ids],
        table_correlation[pair_ids],
        table_volatility[pair_ids],
        table_group[pair_ids],
    )


def _supervisory_delta(trades: pd.DataFrame, volatility: np.ndarray) -> np.ndarray:
    is_long = (trades["direction"] == "long").to_numpy()
    delta = np.where(is_long, 1.0, -1.0)

    option_type = trades["option_type"]
    is_option = option_type.isin(["call", "put"]).to_numpy()
    if is_option.any():
        rows = np.flatnonzero(is_option)
        delta[rows] = option_delta(
            is_call=(option_type == "call").to_numpy()[rows],
            is_bought=(trades["option_position"] == "bought").to_numpy()[rows],
            underlying_price=trades["underlying_price"].to_numpy(float)[rows],
            strike=trades["strike"].to_numpy(float)[rows],
            shift=trades["shift"].to_numpy(float)[rows],
            exercise_years=trades["exercise_years"].to_numpy(float)[rows],
            supervisory_volatility=volatility[rows],
        )

    attachment = trades["attachment"].to_numpy(float)
    is_tranche = ~np.isnan(attachment)
    if is_tranche.any():
        rows = np.flatnonzero(is_tranche)
        delta[rows] = tranche_delta(
            attachment[rows], trades["detachment"].to_numpy(float)[rows], is_long[rows]
        )
    return delta


def _hedging_set_groups(
    trades: pd.DataFrame,
    netting_set_codes: np.ndarray,
    class_codes: np.ndarray,
    kind_codes: np.ndarray,
    commodity_group: np.ndarray,
    end_years: np.ndarray,
) -> tuple[aggregation.HedgingSetGroups, np.ndarray]:
    """Assign each trade to a hedging set and, where used, a risk factor.

    Hedging sets (CRE52.45-52.47, 52.55-52.71) are IR by currency, FX by currency
    pair, one set each for credit and equity, and commodity by energy, metals,
    agricultural and other. A basis or volatility trade goes to the set named by
    its ``hedging_set`` label within its class and kind.
    """
    label_codes = trades["hedging_set"].cat.codes.to_numpy(np.int64)
    label_count = len(trades["hedging_set"].cat.categories)
    is_linear = kind_codes == 0
    credit_or_equity = (class_codes == ASSET_CLASSES.index("credit")) | (
        class_codes == ASSET_CLASSES.index("equity")
    )
    commodity = class_codes == ASSET_CLASSES.index("commodity")
    # Label code: the file's label, or a fixed slot after the labels for the
    # single credit/equity set and the four commodity groups.
    label_codes = np.where(is_linear & credit_or_equity, label_count, label_codes)
    label_codes = np.where(
        is_linear & commodity, label_count + 1 + commodity_group, label_codes
    )
    hedging_set = aggregation.combine_codes(
        netting_set_codes, class_codes, kind_codes, label_codes
    )
    hedging_set_count = int(hedging_set.max()) + 1
    representative = aggregation.representatives(hedging_set, hedging_set_count)

    uses_factors = credit_or_equity | commodity
    risk_factor = np.full(len(trades), -1, dtype=np.int64)
    factor_rows = np.flatnonzero(uses_factors)
    if factor_rows.size:
        factor_codes = trades["risk_factor"].cat.codes.to_numpy(np.int64)[factor_rows]
        is_index = trades["sub_class"].isin(["IG_index", "SG_index", "index"])
        index_flag = is_index.to_numpy(np.int64)[factor_rows]
        risk_factor[factor_rows] = aggregation.combine_codes(
            hedging_set[factor_rows], factor_codes, index_flag
        )
    factor_count = int(risk_factor.max()) + 1 if factor_rows.size else 0
    factor_representative = np.zeros(factor_count, dtype=np.int64)
    factor_representative[risk_factor[factor_rows]] = factor_rows

    groups = aggregation.HedgingSetGroups(
        hedging_set_of_trade=hedging_set,
        representative_trade=representative,
        risk_factor_of_trade=risk_factor,
        representative_of_risk_factor=factor_representative,
        bucket=aggregation.interest_rate_bucket(end_years),
    )
    return groups, label_codes


def _netting_set_frame(
    names: pd.Index,
    terms: pd.DataFrame,
    value: np.ndarray,
    class_add_ons: np.ndarray,
    unmargined_class_add_ons: np.ndarray,
    mpor: np.ndarray,
    trade_count: np.ndarray,
) -> pd.DataFrame:
    margined = terms["margined"].to_numpy(bool)
    nica = terms["nica"].to_numpy(float)
    collateral = terms["variation_margin_net_held"].to_numpy(float) + nica
    threshold = terms["threshold"].to_numpy(float)
    transfer = terms["minimum_transfer_amount"].to_numpy(float)

    rc = replacement_cost(value, collateral, margined, threshold, transfer, nica)
    add_on = class_add_ons.sum(axis=1)
    multiplier = pfe_multiplier(value, collateral, add_on)
    pfe = multiplier * add_on
    ead = ALPHA * (rc + pfe)

    unmargined_rc = np.maximum(value - collateral, 0.0)
    unmargined_add_on = unmargined_class_add_ons.sum(axis=1)
    unmargined_pfe = (
        pfe_multiplier(value, collateral, unmargined_add_on) * unmargined_add_on
    )
    unmargined_ead = ALPHA * (unmargined_rc + unmargined_pfe)
    capped_ead = np.where(margined, np.minimum(ead, unmargined_ead), ead)

    frame = pd.DataFrame(
        {
            "counterparty_id": terms["counterparty_id"].to_numpy(object),
            "margined": margined,
            "trade_count": trade_count,
            "margin_period_of_risk_days": mpor,
            "value": value,
            "collateral": collateral,
            "threshold": threshold,
            "minimum_transfer_amount": transfer,
            "nica": nica,
            "replacement_cost": rc,
        },
        index=pd.Index(names.astype(object), name="netting_set_id"),
    )
    for position, asset_class in enumerate(ASSET_CLASSES):
        frame[f"add_on_{asset_class}"] = class_add_ons[:, position]
    frame["add_on_aggregate"] = add_on
    frame["multiplier"] = multiplier
    frame["potential_future_exposure"] = pfe
    frame["ead_before_cap"] = ead
    frame["ead_unmargined_basis"] = unmargined_ead
    frame["unmargined_cap_binds"] = margined & (unmargined_ead < ead)
    frame["exposure_at_default"] = capped_ead
    return frame


def pfe_multiplier(
    value: np.ndarray, collateral: np.ndarray, add_on: np.ndarray
) -> np.ndarray:
    """Return min(1, 0.05 + 0.95 · exp((V - C) / (2 · 0.95 · AddOn))) (CRE52.23).

    The multiplier is 1 where V - C >= 0 or where the aggregate add-on is zero
    (then the PFE is zero whatever the multiplier).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        exponent = np.minimum(value - collateral, 0.0) / (
            2.0 * (1.0 - MULTIPLIER_FLOOR) * add_on
        )
    exponent = np.where(add_on > 0, exponent, 0.0)
    return np.minimum(
        1.0, MULTIPLIER_FLOOR + (1.0 - MULTIPLIER_FLOOR) * np.exp(exponent)
    )


def _hedging_set_frame(
    trades: pd.DataFrame,
    groups: aggregation.HedgingSetGroups,
    label_codes: np.ndarray,
    hs_class: np.ndarray,
    kind_codes: np.ndarray,
    add_on: np.ndarray,
    set_notional: np.ndarray,
) -> pd.DataFrame:
    representative = groups.representative_trade
    labels = trades["hedging_set"].cat.categories.astype(object).tolist()
    labels += ["(single set)", *_COMMODITY_GROUPS]
    label_of_set = np.asarray(labels, dtype=object)[label_codes[representative]]
    kinds = np.asarray(["linear", "basis", "volatility"], dtype=object)
    return pd.DataFrame(
        {
            "netting_set_id": _category_values(
                trades["netting_set_id"], representative
            ),
            "asset_class": np.asarray(ASSET_CLASSES, dtype=object)[hs_class],
            "transaction_kind": kinds[kind_codes[representative]],
            "hedging_set": label_of_set,
            "effective_notional": set_notional,
            "add_on": add_on,
        },
        index=pd.RangeIndex(len(representative), name="hedging_set_key"),
    )


def _risk_factor_frame(
    trades: pd.DataFrame,
    groups: aggregation.HedgingSetGroups,
    correlation: np.ndarray,
    factor_add_on: np.ndarray,
) -> pd.DataFrame:
    representative = groups.representative_of_risk_factor
    return pd.DataFrame(
        {
            "hedging_set_key": groups.hedging_set_of_trade[representative],
            "risk_factor": _category_values(trades["risk_factor"], representative),
            "correlation": correlation[representative],
            "add_on": factor_add_on,
        },
        index=pd.RangeIndex(len(representative), name="risk_factor_key"),
    )


def _category_values(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Return the values of a categorical column at ``rows`` without a full copy."""
    codes = column.cat.codes.to_numpy()[rows]
    return column.cat.categories.to_numpy(dtype=object)[codes]


def breakdown(exposure: SaccrExposure, netting_set_id: str) -> dict[str, Any]:
    """Return one netting set as nested dicts: asset class → hedging set → trade.

    Each level carries its add-on, so the dashboard can show how the netting-set
    EAD is built. Raises ``CalculationInputError`` for an unknown netting set.
    """
    if netting_set_id not in exposure.netting_sets.index:
        raise CalculationInputError(
            "netting_set_id",
            netting_set_id,
            "is not a netting set in these results",
            "Choose one of the netting sets listed in the results table.",
        )
    totals = exposure.netting_sets.loc[netting_set_id].to_dict()
    sets = exposure.hedging_sets[
        exposure.hedging_sets["netting_set_id"] == netting_set_id
    ]
    trades = exposure.trades[exposure.trades["netting_set_id"] == netting_set_id]
    factors = exposure.risk_factors
    classes: dict[str, Any] = {}
    for asset_class in ASSET_CLASSES:
        in_class = sets[sets["asset_class"] == asset_class]
        if in_class.empty:
            continue
        hedging: dict[str, Any] = {}
        for key, row in in_class.iterrows():
            name = f"{row['hedging_set']} ({row['transaction_kind']})"
            set_trades = trades[trades["hedging_set_key"] == key]
            set_factors = factors[factors["hedging_set_key"] == key]
            hedging[name] = {
                "add_on": row["add_on"],
                "effective_notional": row["effective_notional"],
                "risk_factors": set_factors.set_index("risk_factor")[
                    ["correlation", "add_on"]
                ].to_dict("index"),
                "trades": set_trades.drop(
                    columns=["netting_set_id", "hedging_set_key", "risk_factor_key"]
                ).to_dict("records"),
            }
        classes[asset_class] = {
            "add_on": totals[f"add_on_{asset_class}"],
            "hedging_sets": hedging,
        }
    return {"netting_set_id": netting_set_id, **totals, "asset_classes": classes}


def load_trade_table(inputs: Mapping[str, Any]) -> TradeTable:
    """Return the validated trade table from ``trades_file`` or ``trades`` inputs."""
    if "trades_file" in inputs:
        return read_trade_file(str(inputs["trades_file"]))
    if "trades" in inputs:
        return trade_table_from_records(inputs["trades"])
    raise CalculationInputError(
        "trades_file",
        None,
        "is missing",
        "Give 'trades_file' (a CSV or Excel trade file) or 'trades' (a list of "
        "trade rows).",
    )


def run(inputs: Mapping[str, Any]) -> CalculationResult:
    """Compute SA-CCR EADs for the trades in ``inputs`` and return the result.

    ``inputs`` contains ``trades_file`` (path to a CSV or Excel trade file, see
    ``docs/trade-file.md``) or ``trades`` (list of rows keyed by the same
    columns). The headline value is the sum of the netting-set EADs.
    """
    table = load_trade_table(inputs)
    exposure = calculate_exposure(table)
    sets = exposure.netting_sets
    total = float(sets["exposure_at_default"].sum())
    figures = {
        "exposure_at_default_total": total,
        "netting_sets": [
            {"netting_set_id": name, **row}
            for name, row in sets.to_dict("index").items()
        ],
    }
    steps = (
        Step("Trades", float(len(table.trades)), "count", RULE),
        Step("Netting sets", float(len(sets)), "count", RULE),
        Step(
            "Replacement cost, summed over netting sets",
            float(sets["replacement_cost"].sum()),
            "GBP",
            "CRE52.3-52.19",
        ),
        Step(
            "Potential future exposure, summed over netting sets",
            float(sets["potential_future_exposure"].sum()),
            "GBP",
            "CRE52.20-52.24",
        ),
        Step(
            "Netting sets where the unmargined cap binds",
            float(sets["unmargined_cap_binds"].sum()),
            "count",
            "CRE52.2",
        ),
        Step(
            "EAD = 1.4 x (RC + PFE), summed over netting sets",
            total,
            "GBP",
            "CRE52.1",
            note=f"Supervisory parameters: {BASEL_TABLE_2}.",
        ),
    )
    recorded_inputs = {key: inputs[key] for key in inputs if key != "trades"} | {
        "trade_count": len(table.trades)
    }
    return CalculationResult(
        calculator="saccr",
        title="SA-CCR exposure at default",
        value=total,
        rule=RULE,
        inputs=recorded_inputs,
        figures=figures,
        steps=steps,
        readings=READINGS,
        unit="GBP",
    )
