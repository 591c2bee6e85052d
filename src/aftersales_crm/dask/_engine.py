"""The computations on Dask: each part a task, the global fits gathered, the results joined.

dask is imported on first use (the ``dask`` extra). The tasks run on whatever scheduler is
active: a ``distributed.Client`` when one is made, else dask's default; the examples use the
synchronous scheduler.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm import features as _features
from aftersales_crm._kinds import policy_kind
from aftersales_crm._optional import require
from aftersales_crm.care import Agenda, Planner
from aftersales_crm.dask._fits import (
    IDS,
    WHOLE,
    gathered_table,
    prefitted,
    reading,
    relative,
    sample_rows,
)
from aftersales_crm.dask._merge import merge_agendas, merge_features
from aftersales_crm.dask._partition import (
    NETWORK_TABLES,
    Part,
    build_part,
    merge_rows,
    outside_parts,
    part_rows,
    take_part,
    text_hash,
)
from aftersales_crm.errors import InvalidType, InvalidValue, UnknownFeatureError
from aftersales_crm.features import FeatureTable, MileageModel
from aftersales_crm.membership import Balances
from aftersales_crm.membership import balances as _balances
from aftersales_crm.records import ColumnKind
from aftersales_crm.tables import SCHEMAS, Tables

__all__ = [
    "PartitionedFeatures",
    "PartitionedTables",
    "agenda",
    "assign",
    "balances",
    "features",
    "fit",
    "from_tables",
]

_ROUNDS: Final = 8
"""At most this many gathering rounds for a fit that asks for columns one after another."""


def _dask() -> Any:
    return require("dask", extra="dask")


def _delayed(func: Callable[..., Any]) -> Any:
    return _dask().delayed(func, pure=False)


@attrs.frozen(eq=False)
class PartitionedTables:
    """A customer base cut into parts on Dask: one task per [`Part`][aftersales_crm.dask.Part].

    Made by [`from_tables`][aftersales_crm.dask.from_tables]. The parts are dask ``Delayed``
    values, persisted: on a ``distributed`` cluster each lives on a worker.

    Attributes:
        parts: per part, a ``Delayed`` computing to its [`Part`][aftersales_crm.dask.Part].
        sizes: the number of customers in each part.
        currency: the tables' currency.

    Examples:
        >>> import dask
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm import dask as acd
        >>> with dask.config.set(scheduler="synchronous"):
        ...     parts = acd.from_tables(synthetic.tables(200, seed=1), npartitions=3)
        ...     one = parts.compute()[0]
        >>> parts.npartitions, sum(parts.sizes), type(one).__name__
        (3, 200, 'Part')
    """

    parts: tuple[Any, ...]
    sizes: tuple[int, ...]
    currency: str

    @property
    def npartitions(self) -> int:
        """The number of parts."""
        return len(self.parts)

    def compute(self) -> list[Part]:
        """The parts, brought to this process (for a look at a small base)."""
        return list(_dask().compute(*self.parts))


@attrs.frozen(eq=False)
class PartitionedFeatures:
    """Customer features on Dask, one [`FeatureTable`][aftersales_crm.features.FeatureTable] per part.

    Made by [`features`][aftersales_crm.dask.features]; read by [`fit`][aftersales_crm.dask.fit] and
    [`assign`][aftersales_crm.dask.assign]. [`compute`][aftersales_crm.dask.PartitionedFeatures.compute]
    gives the single-process table.

    Attributes:
        parts: per part, a ``Delayed`` computing to ``(part, features)``: the
            [`Part`][aftersales_crm.dask.Part] and its FeatureTable.
        sizes: the number of customers in each part.

    Examples:
        >>> import dask
        >>> from datetime import date
        >>> from aftersales_crm import features as single, synthetic
        >>> from aftersales_crm import dask as acd
        >>> tables = synthetic.tables(150, seed=1)
        >>> with dask.config.set(scheduler="synchronous"):
        ...     feats = acd.features(acd.from_tables(tables, npartitions=2), as_of=date(2026, 6, 30))
        ...     whole = feats.compute()
        >>> one = single.compute(tables, as_of=date(2026, 6, 30))
        >>> bool((whole["spend_fen"] == one["spend_fen"]).all()), whole.ids.tolist() == one.ids.tolist()
        (True, True)
    """

    parts: tuple[Any, ...]
    sizes: tuple[int, ...]

    @property
    def npartitions(self) -> int:
        """The number of parts."""
        return len(self.parts)

    def compute(self) -> FeatureTable:
        """The features of the whole base, in the order of its customer table."""
        pairs = _dask().compute(*self.parts)
        return merge_features([f for _, f in pairs], [p.rows for p, _ in pairs])


def _check(data: object, expected: type, maker: str) -> None:
    """Refuse ``data`` that is not ``expected``, saying which function makes one."""
    if not isinstance(data, expected):
        msg = f"data is {data!r:.80}, expected {expected.__name__} ({maker} gives them)"
        raise InvalidType(msg)


def _persist(values: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(_dask().persist(*values))


def _scatter(value: Any) -> Any:
    """``value`` sent ahead to the cluster when a distributed client is active."""
    try:
        distributed = require("distributed", extra="dask")
        client = distributed.get_client()
    except (ImportError, ValueError):  # no distributed, or no client: the graph carries it
        return value
    # In a list: a scattered dict would name its futures by its keys, the same in every part.
    return client.scatter([value], hash=False)[0]


def _build(
    cut: tuple[int, Mapping[str, Mapping[str, NDArray[Any]]], Mapping[str, NDArray[np.int64]]],
    currency: str,
) -> Part:
    return build_part(*cut, currency)


def from_tables(
    tables: Tables,
    npartitions: int,
    *,
    network: Sequence[str] = NETWORK_TABLES,
    checked: bool = False,
) -> PartitionedTables:
    """The customer base cut into ``npartitions`` parts along its connected components, on Dask.

    The cut ([`split`][aftersales_crm.dask.split]) is made here and each part is sent to the
    cluster, where it stays (persisted). With ``checked=True`` each part's tables are built
    again through [`from_arrays`][aftersales_crm.tables.Tables.from_arrays] in a task of their
    own, every check of the ingest run on the workers.

    Args:
        tables: the customer base.
        npartitions: the number of parts (a few per worker core).
        network: the tables copied to every part (default
            [`NETWORK_TABLES`][aftersales_crm.dask.NETWORK_TABLES]).
        checked: whether to check each part's tables again, as an ingest does (default
            False: the parts are taken from tables checked already).

    Returns:
        The parts.

    Raises:
        InvalidValue: ``npartitions`` is not a whole number >= 1.
        MissingDependencyError: dask is not installed (the ``dask`` extra).

    Examples:
        >>> import dask
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm import dask as acd
        >>> tables = synthetic.tables(100, seed=1)
        >>> with dask.config.set(scheduler="synchronous"):
        ...     parts = acd.from_tables(tables, npartitions=2)
        ...     again = acd.from_tables(tables, npartitions=2, checked=True)
        >>> parts.npartitions, parts.sizes == again.sizes
        (2, True)
    """
    _dask()
    flag: object = checked  # callers may pass anything; the annotation is the contract
    if not isinstance(flag, bool):
        msg = f"checked is {flag!r:.80}, expected True or False"
        raise InvalidType(msg)
    if checked:
        cut = outside_parts(tables, npartitions, network=network)
        build = _delayed(_build)
        parts = _persist([build(_scatter(piece), tables.currency) for piece in cut])
        sizes = tuple(len(rows["customers"]) for _, _, rows in cut)
    else:
        rows = part_rows(tables, npartitions, network=network)
        kept = _delayed(_kept)
        parts = _persist([kept(_scatter(take_part(tables, i, r))) for i, r in enumerate(rows)])
        sizes = tuple(len(r["customers"]) for r in rows)
    return PartitionedTables(parts=parts, sizes=sizes, currency=tables.currency)


def _kept(part: Part) -> Part:
    return part


def _part_features(part: Part, as_of: Any, options: Mapping[str, Any]) -> tuple[Part, FeatureTable]:
    return part, _features.compute(part.tables, as_of=as_of, **options)


def features(data: PartitionedTables, as_of: dt.date | str, **options: Any) -> PartitionedFeatures:
    """The customer features of every part, as [`features.compute`][aftersales_crm.features.compute] gives them.

    A customer's features read only their facts, and a part holds every fact of its
    customers: each part's features are the whole base's rows for its customers.

    Args:
        data: the parts ([`from_tables`][aftersales_crm.dask.from_tables]).
        as_of: the day to describe.
        **options: the other arguments of [`features.compute`][aftersales_crm.features.compute]
            (``window``, ``time_zone``, ``mileage``, ``threads``).

    Returns:
        The features, persisted part by part.

    Examples:
        >>> import dask
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm import dask as acd
        >>> with dask.config.set(scheduler="synchronous"):
        ...     feats = acd.features(acd.from_tables(synthetic.tables(100, seed=1), 2), "2026-06-30")
        >>> sum(feats.sizes), feats.npartitions
        (100, 2)
    """
    return _features_on(data, as_of, options)


def _features_on(
    data: PartitionedTables, as_of: dt.date | str | None, options: Mapping[str, Any]
) -> PartitionedFeatures:
    _check(data, PartitionedTables, "from_tables")
    given = dict(options)
    given["mileage"] = mileage_model(data, as_of, given)
    run = _delayed(_part_features)
    parts = _persist([run(part, as_of, given) for part in data.parts])
    return PartitionedFeatures(parts=parts, sizes=data.sizes)


class _Rates(MileageModel):
    """A km/day model that keeps the vehicles' own rates its fit reads, and which are trusted."""

    def fitted_on(
        self, tables: Tables, rate: NDArray[np.float64], trusted: NDArray[np.bool_], as_of: dt.date
    ) -> MileageModel:
        """The fitted copy, keeping ``rate`` and ``trusted`` on it."""
        fitted = super().fitted_on(tables, rate, trusted, as_of)
        fitted.rates_ = (rate, trusted)  # type: ignore[attr-defined]
        return fitted


def _trusted_rates(
    part: Part, as_of: Any, options: Mapping[str, Any]
) -> tuple[NDArray[Any], NDArray[np.float64]]:
    """The model name and own km/day of each vehicle of the part whose readings are trusted."""
    given: MileageModel = options["mileage"]
    probe = _Rates(
        default_km_per_day=given.default_km_per_day,
        max_km_per_day=given.max_km_per_day,
        min_model_vehicles=given.min_model_vehicles,
    )
    rest = {k: v for k, v in options.items() if k != "mileage"}
    rate, trusted = probe.fit(part.tables, as_of=as_of, **rest).rates_  # type: ignore[attr-defined]
    model = part.tables.vehicles["model"]
    names = np.asarray([*part.tables.vehicles.labels["model"], ""], dtype=object)
    keep = np.flatnonzero(trusted & (model >= 0))
    return names[model[keep]], np.asarray(rate, dtype=np.float64)[keep]


def mileage_model(data: PartitionedTables, as_of: Any, options: Mapping[str, Any]) -> MileageModel:
    """The km/day model of the whole base: its model medians over every part's vehicles.

    A [`MileageModel`][aftersales_crm.features.MileageModel] falls back, for a vehicle
    without trusted readings of its own, to the median rate of its model's trusted
    vehicles: a population fit. Each part gives the trusted vehicles' models and rates;
    the medians over all of them are those the single process finds. A model given in
    ``options`` with its medians fitted or given is kept as it is.
    """
    given = options.get("mileage")
    model = MileageModel() if given is None else given
    if not isinstance(model, MileageModel):
        msg = f"mileage is {model!r:.80}, expected a MileageModel or None"
        raise InvalidValue(msg, code="invalid_argument")
    if model.fitted or model.model_km_per_day is not None:
        return model
    _, _, least = model.checked()
    rest = {k: v for k, v in options.items() if k in ("time_zone", "threads")}
    run = _delayed(_trusted_rates)
    pairs = _dask().compute(*[run(part, as_of, {**rest, "mileage": model}) for part in data.parts])
    names = np.concatenate([n for n, _ in pairs]) if pairs else np.empty(0, dtype=object)
    rates = np.concatenate([r for _, r in pairs]) if pairs else np.empty(0)
    medians: dict[str, float] = {}
    for name in sorted(set(names.tolist())):
        values = rates[names == name]
        if len(values) >= least:
            medians[name] = float(np.median(values))
    return MileageModel(
        default_km_per_day=model.default_km_per_day,
        max_km_per_day=model.max_km_per_day,
        min_model_vehicles=model.min_model_vehicles,
        model_km_per_day=medians,
    )


def _probe(policy: Any, pair: tuple[Part, FeatureTable]) -> set[str]:
    """The columns the fit of ``policy`` reads, on one part's features."""
    read: set[str] = set()
    with contextlib.suppress(Exception):  # a part too small to fit on still shows what is read
        policy_kind(type(policy).kind).fit(policy, reading(pair[1], read))
    return read


def _columns(
    pair: tuple[Part, FeatureTable], names: Sequence[str], fraction: float | None
) -> tuple[dict[str, NDArray[Any]], int]:
    feats = pair[1]
    columns = {name: feats.ids if name == IDS else feats[name] for name in names}
    if fraction is None:
        return columns, len(feats)
    rows = sample_rows(text_hash(feats.ids), fraction)
    return {name: column[rows] for name, column in columns.items()}, len(rows)


def _no_rows(pair: tuple[Part, FeatureTable]) -> FeatureTable:
    """The part's features without rows: their key, day, currency and categories."""
    return pair[1].take(np.zeros(0, dtype=np.intp))


def _whole(data: PartitionedFeatures, fraction: float | None) -> FeatureTable:
    table = data.compute()
    if fraction is None:
        return table
    return table.take(sample_rows(text_hash(table.ids), fraction))


def _fraction(sample: object) -> float | None:
    if sample is None:
        return None
    if isinstance(sample, bool) or not isinstance(sample, float | int) or not 0 < sample <= 1:
        msg = f"sample is {sample!r}, expected a share of customers in (0, 1] or None"
        raise InvalidValue(msg, code="invalid_argument")
    return float(sample)


def fit(policy: Any, data: PartitionedFeatures, *, sample: float | None = None) -> Any:
    """``policy`` fitted on the whole base, from the feature columns its fit reads.

    A policy that learns nothing from the population is given back as it is. Otherwise
    its kind's [`fit`][aftersales_crm.policies.PolicyKindSpec.fit] runs once on one
    [`FeatureTable`][aftersales_crm.features.FeatureTable] of the columns it reads, gathered
    from every part: exactly the single-process fit, for any policy whose fit depends on
    the customers' rows and not on their order. The columns are found by running the fit
    on one part first; a fit that reads the table whole gets it whole.

    With ``sample``, only the customers whose id hashes into that share are gathered: a
    fixed sample, the same in every run, for bases whose columns do not fit in one
    process. A quantile or Pareto cut-off fitted on ``m`` sampled customers then misplaces
    at most [`dkw_bound(m)`][aftersales_crm.dask.dkw_bound] of the customers, with
    probability ``1 - delta``.

    Args:
        policy: a policy of a kind that reads features (tier, dimension, loyalty, card,
            churn model).
        data: the features ([`features`][aftersales_crm.dask.features]).
        sample: the share of customers to fit on, in (0, 1]; ``None`` (default) for all,
            exact.

    Returns:
        The fitted copy (the policy itself when there is nothing to fit).

    Raises:
        InvalidValue: ``sample`` outside (0, 1].
        UnknownPolicyError: the policy's kind is not declared.

    Examples:
        >>> import dask
        >>> from datetime import date
        >>> from aftersales_crm import features as single, synthetic
        >>> from aftersales_crm import dask as acd
        >>> from aftersales_crm.segmentation import ParetoABC
        >>> tables = synthetic.tables(300, seed=2)
        >>> with dask.config.set(scheduler="synchronous"):
        ...     feats = acd.features(acd.from_tables(tables, 3), as_of=date(2026, 6, 30))
        ...     tiers = acd.fit(ParetoABC(), feats)
        >>> one = ParetoABC().fit(single.compute(tables, as_of=date(2026, 6, 30)))
        >>> tiers.cutoffs_ == one.cutoffs_
        True
    """
    fraction = _fraction(sample)
    _check(data, PartitionedFeatures, "features")
    if not relative(policy):
        return policy
    spec = policy_kind(type(policy).kind)
    dask = _dask()
    largest = int(np.argmax(data.sizes)) if data.sizes else 0
    names = set(dask.compute(_delayed(_probe)(policy, data.parts[largest]))[0])
    like = None
    for _ in range(_ROUNDS):
        if WHOLE in names:
            return spec.fit(policy, _whole(data, fraction))
        wanted = sorted(names)
        gathered = dask.compute(*[_delayed(_columns)(p, wanted, fraction) for p in data.parts])
        if like is None:
            like = dask.compute(_delayed(_no_rows)(data.parts[0]))[0]
        read: set[str] = set()
        table = gathered_table(list(gathered), like, read)
        try:
            fitted = spec.fit(policy, table)
        except UnknownFeatureError:
            if read <= names:
                raise
            names |= read
            continue
        if read <= names:
            return fitted
        names |= read  # the fit asked for more than the part showed: gather that too
    return spec.fit(policy, _whole(data, fraction))


def _run(policy: Any, pair: tuple[Part, FeatureTable]) -> tuple[Any, NDArray[np.int64]]:
    part, feats = pair
    result = policy_kind(type(policy).kind).run(policy, feats)
    return result, positions(result, part)


_TABLE_OF_KEY: Final[dict[str, str]] = {}


def _table_of_key() -> dict[str, str]:
    """Which table an id names: ``customer_id`` the customers, ``vin`` the vehicles."""
    if not _TABLE_OF_KEY:
        for schema in SCHEMAS.values():
            for column in schema.columns:
                if column.kind is ColumnKind.REF and column.target is not None:
                    _TABLE_OF_KEY.setdefault(column.external, column.target)
    return _TABLE_OF_KEY


def positions(result: Any, part: Part) -> NDArray[np.int64]:
    """Where each row of a per-row result of ``part`` is in the whole base's table.

    The result names its rows by ids: ``ids`` with a ``key`` (``Labels``, ``Scores``,
    ``FeatureTable``), or an id array named like a reference (``member_id``).

    Raises:
        InvalidValue: the result has no ids, or an id is not in the part.

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm.dask import split
        >>> from aftersales_crm.policies import Labels
        >>> part = split(synthetic.tables(20, seed=1), 2)[1]
        >>> ids = part.tables.customers["id"][:2]
        >>> positions(Labels(np.array([0, 0]), ("x",), ids=ids), part).tolist() == part.rows["customers"][:2].tolist()
        True
    """
    keys = _table_of_key()
    ids = getattr(result, "ids", None)
    key = getattr(result, "key", None)
    table = keys.get(key) if isinstance(key, str) else None
    if not isinstance(ids, np.ndarray) or table is None:
        for name, target in keys.items():
            found = getattr(result, name, None)
            if isinstance(found, np.ndarray):
                ids, table = found, target
                break
    if not isinstance(ids, np.ndarray) or table is None:
        msg = f"a {type(result).__name__} names no rows (no ids): it cannot be joined"
        raise InvalidValue(msg, code="invalid_argument")
    schema_key = part.tables[table].schema.key
    assert schema_key is not None  # a reference points into a table with ids
    local = np.asarray(part.tables[table][schema_key.name], dtype=str)
    wanted = np.asarray(ids, dtype=str)
    if len(wanted) == len(local) and np.array_equal(wanted, local):
        found_rows = np.arange(len(local))
    else:
        order = np.argsort(local, kind="stable")
        at = np.searchsorted(local[order], wanted)
        at = np.minimum(at, max(len(local) - 1, 0))
        if len(wanted) and (not len(local) or (local[order][at] != wanted).any()):
            msg = f"a {type(result).__name__} names ids that are not in the part's {table}"
            raise InvalidValue(msg, code="invalid_argument")
        found_rows = order[at]
    return np.asarray(part.rows[table], dtype=np.int64)[found_rows]


def assign(policy: Any, data: PartitionedFeatures) -> Any:
    """The result of the ready ``policy`` on every part, joined in the whole base's order.

    Runs the policy's kind ([`run`][aftersales_crm.policies.PolicyKindSpec.run]: ``assign``
    of a tier, ``score`` of a churn model…) on each part; the parts' results (``Labels``,
    ``Scores``) are joined row by row in the order of the whole customer table. A
    population-relative policy must be fitted on the whole base first
    ([`fit`][aftersales_crm.dask.fit]).

    Args:
        policy: a ready policy of a kind that reads features.
        data: the features ([`features`][aftersales_crm.dask.features]).

    Returns:
        The result, as the single-process call gives it.

    Examples:
        >>> import dask
        >>> from datetime import date
        >>> from aftersales_crm import features as single, synthetic
        >>> from aftersales_crm import dask as acd
        >>> from aftersales_crm.segmentation import QuantileTiers
        >>> tables = synthetic.tables(300, seed=2)
        >>> with dask.config.set(scheduler="synchronous"):
        ...     feats = acd.features(acd.from_tables(tables, 3), as_of=date(2026, 6, 30))
        ...     labels = acd.assign(acd.fit(QuantileTiers(), feats), feats)
        >>> one = single.compute(tables, as_of=date(2026, 6, 30))
        >>> labels == QuantileTiers().fit(one).assign(one)
        True
    """
    _check(data, PartitionedFeatures, "features")
    shared = _scatter(policy)  # a fitted policy may hold a population's worth of state
    pairs = _dask().compute(*[_delayed(_run)(shared, p) for p in data.parts])
    return merge_rows([r for r, _ in pairs], [w for _, w in pairs])


def _part_agenda(planner: Any, part: Part, days: Mapping[str, Any]) -> Any:
    return planner.agenda(part.tables, **days)


def agenda(
    planner: Planner,
    data: PartitionedTables,
    on: dt.date | str | None = None,
    *,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    as_of: dt.date | str | None = None,
    features: PartitionedFeatures | None = None,
) -> Agenda:
    """The care agenda of the whole base, as [`Planner.agenda`][aftersales_crm.care.Planner.agenda] gives it.

    Care tasks are per customer, so each part plans its own. The planner's
    population-relative parts (the win-back matrix, which the rule fits on the customers
    it sees) are fitted on the whole base first ([`fit`][aftersales_crm.dask.fit], on the
    features on ``as_of``) and kept as fitted in every part. The parts' agendas are
    joined in the agenda's order: due day, priority, customer id, kind.

    Args:
        planner: a [`Planner`][aftersales_crm.care.Planner].
        data: the parts ([`from_tables`][aftersales_crm.dask.from_tables]).
        on: the day; or ``start`` (and ``end``) instead.
        start: the first day of a range.
        end: the last day of a range.
        as_of: facts known by the end of this day count (default ``on`` or ``start``).
        features: the customer features on ``as_of`` in the planner's time zone, when
            computed already ([`features`][aftersales_crm.dask.features]); by default they
            are computed when a rule needs a fit on the whole base.

    Returns:
        The [`Agenda`][aftersales_crm.care.Agenda].

    Examples:
        >>> import dask
        >>> from datetime import date
        >>> from aftersales_crm import synthetic
        >>> from aftersales_crm import dask as acd
        >>> from aftersales_crm.care import Agenda, Planner
        >>> from aftersales_crm.care import WinBack
        >>> tables = synthetic.tables(300, seed=1)
        >>> planner = Planner(rules=[WinBack(hand_over=False)])
        >>> with dask.config.set(scheduler="synchronous"):
        ...     tasks = acd.agenda(planner, acd.from_tables(tables, 3), on=date(2026, 6, 30))
        >>> tasks == planner.agenda(tables, on=date(2026, 6, 30)), len(tasks) > 0
        (True, True)
    """
    _check(data, PartitionedTables, "from_tables")
    given: object = planner  # callers may pass anything; the annotation is the contract
    if not isinstance(given, Planner):
        msg = f"planner is {given!r:.80}, expected a care.Planner"
        raise InvalidType(msg)
    days = {"on": on, "start": start, "end": end, "as_of": as_of}
    known = as_of if as_of is not None else on if on is not None else start
    if features is not None:
        _check(features, PartitionedFeatures, "features")
    cache = {"features": features}
    params = planner.get_params()
    # The vehicles without trusted readings take their model's median km/day over the
    # whole base, as in one process, not over their part.
    zone = {"time_zone": planner.time_zone}
    whole = mileage_model(data, known, {**zone, "mileage": params["mileage"]})

    def fit_whole(policy: Any) -> Any:
        found = cache["features"]
        if found is None:
            found = _features_on(data, known, {**zone, "mileage": whole})
            cache["features"] = found
        return fit(policy, found)

    rules = type(planner).RULES if params["rules"] is None else params["rules"]
    # The default rules are walked like given ones.
    planner = type(planner)(**{**params, "rules": rules, "mileage": whole})
    ready = prefitted(planner, fit_whole)
    run = _delayed(_part_agenda)
    shared = _scatter(ready)  # once, not once a part: its fitted matrix may be large
    parts = _dask().compute(*[run(shared, part, days) for part in data.parts])
    return merge_agendas(list(parts))


def _part_balances(
    part: Part, as_of: dt.datetime, options: Mapping[str, Any]
) -> tuple[Balances, NDArray[np.int64]]:
    result = _balances(part.tables, as_of, **options)
    return result, positions(result, part)


def balances(data: PartitionedTables, as_of: dt.datetime, **options: Any) -> Balances:
    """Every member's points at ``as_of``, as [`membership.balances`][aftersales_crm.membership.balances] gives them.

    A member's points are theirs alone: each part folds its members' entries, and the
    rows are joined in the order of the whole ``members`` table.

    Args:
        data: the parts ([`from_tables`][aftersales_crm.dask.from_tables]).
        as_of: an aware instant.
        **options: the other arguments of [`membership.balances`][aftersales_crm.membership.balances]
            (``within_days``, ``allow_debt``, ``time_zone``).

    Returns:
        The [`Balances`][aftersales_crm.membership.Balances].

    Examples:
        >>> import dask
        >>> from datetime import datetime, timezone
        >>> from aftersales_crm import membership, synthetic
        >>> from aftersales_crm import dask as acd
        >>> from aftersales_crm.tables import Tables
        >>> tables = Tables.from_book(synthetic.book(60, seed=1))
        >>> at = datetime(2026, 6, 30, tzinfo=timezone.utc)
        >>> with dask.config.set(scheduler="synchronous"):
        ...     points = acd.balances(acd.from_tables(tables, 2), as_of=at)
        >>> one = membership.balances(tables, as_of=at)
        >>> points.member_id.tolist() == one.member_id.tolist(), bool((points.balance == one.balance).all())
        (True, True)
    """
    _check(data, PartitionedTables, "from_tables")
    run = _delayed(_part_balances)
    pairs = _dask().compute(*[run(part, as_of, dict(options)) for part in data.parts])
    return merge_rows([r for r, _ in pairs], [w for _, w in pairs])  # type: ignore[no-any-return]
