"""FeatureTable: features aligned with the rows of the customer (or vehicle) table."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from aftersales_crm._args import ARGUMENT_CODE, as_of_date, positions
from aftersales_crm._display import Displayed, MoneyUnit, major_units
from aftersales_crm._frozen import frozen_reduce
from aftersales_crm._optional import require
from aftersales_crm._suggest import did_you_mean
from aftersales_crm.errors import InvalidValue, UnknownFeatureError
from aftersales_crm.values import NONE_CODE

__all__ = ["MISSING_ROW", "FeatureTable", "unknown_row"]

MISSING_ROW: Final = NONE_CODE
"""The row of no vehicle, or of no owner."""

SUGGEST_AMONG_IDS: Final = 100_000
"""Close ids are suggested for an unknown row only in tables up to this size (the search
is a pass over every id)."""

_ID_PREFIX: Final = {"customer_id": "C", "vin": "V"}


def _unknown_column(name: object, known: Iterator[str] | list[str]) -> UnknownFeatureError:
    names = sorted(known)
    hint = (did_you_mean(name, names) if isinstance(name, str) else None) or (
        "the columns are " + ", ".join(names) if names else "the table has no columns"
    )
    return UnknownFeatureError(f"no feature column {name!r}; {hint}")


def unknown_row(id_: object, ids: NDArray[np.str_], key: str) -> UnknownFeatureError:
    """The error for an id no row has, suggesting close ids (in tables that are not huge)."""
    hint = None
    if isinstance(id_, str) and len(ids) <= SUGGEST_AMONG_IDS:
        hint = did_you_mean(id_, ids.tolist())
    hint = hint or f"the table has {len(ids):,} rows"
    return UnknownFeatureError(f"no {key} row {id_!r}; {hint}", code="unknown_row")


def _column(name: object, values: object, rows: int | None) -> NDArray[Any]:
    """A column given by a user, checked: a 1-D array of ``rows`` values."""
    if not isinstance(name, str) or not name:
        msg = f"column name {name!r} is not a non-empty text"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    try:
        array = np.array(values)  # a copy: the caller's array stays theirs
    except (TypeError, ValueError) as err:
        msg = f"column {name!r} is not an array: {err}"
        raise InvalidValue(msg, code=ARGUMENT_CODE) from None
    if array.ndim != 1:
        msg = f"column {name!r} has shape {array.shape}, expected one dimension"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    if rows is not None and len(array) != rows:
        msg = f"column {name!r} has {len(array)} values, expected {rows} (one per row)"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    return array


def _columns(columns: object, rows: int | None) -> dict[str, NDArray[Any]]:
    """Columns given by a user, checked: equally long 1-D arrays (``rows`` long, if given)."""
    if not isinstance(columns, Mapping):
        msg = f"columns is {columns!r:.80} ({type(columns).__name__}), expected a mapping of name to array"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    out: dict[str, NDArray[Any]] = {}
    for name, values in columns.items():
        out[name] = _column(name, values, rows)
        rows = len(out[name])
    return out


def _read_only(array: NDArray[Any]) -> NDArray[Any]:
    given: object = array
    if not isinstance(given, np.ndarray) or given.ndim != 1:
        msg = f"expected a one-dimensional numpy array, got {type(given).__name__} {given!r:.80}"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    array = array.view()
    array.flags.writeable = False
    return array


def _frozen_columns(columns: Mapping[str, NDArray[Any]]) -> Mapping[str, NDArray[Any]]:
    given: object = columns
    if not isinstance(given, Mapping):
        msg = f"columns is {given!r:.80} ({type(given).__name__}), expected a mapping of name to array"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    return MappingProxyType({name: _read_only(values) for name, values in columns.items()})


def _frozen_enums(enums: Mapping[str, type[enum.Enum]]) -> Mapping[str, type[enum.Enum]]:
    given: object = enums
    if not isinstance(given, Mapping) or not all(
        isinstance(kind, type) and issubclass(kind, enum.Enum) for kind in given.values()
    ):
        msg = f"categories is {given!r:.80}, expected a mapping of column name to enum class"
        raise InvalidValue(msg, code=ARGUMENT_CODE)
    return MappingProxyType(dict(enums))


def _python(value: Any) -> Any:
    item = value.item() if isinstance(value, np.generic) else value
    return None if isinstance(item, float) and item != item else item  # NaN is missing


@attrs.frozen(eq=False, repr=False)
class FeatureTable(Displayed):
    """Features, one row per customer (or per vehicle), in the order of the input table.

    Columns are numpy arrays (read-only); what each one means is listed in
    [`aftersales_crm.features`][aftersales_crm.features]. A customer FeatureTable carries the vehicle-level
    table as ``vehicles``.

    Attributes:
        key: the name of the id column (``"customer_id"`` or ``"vin"``).
        ids: the id of each row.
        columns: feature name → array aligned with ``ids``.
        as_of: the day the features describe; no later fact counted.
        currency: the currency of the money columns (``*_fen``, minor units).
        categories: for categorical columns (int8 codes), their enum.
        vehicles: the vehicle-level features, for a customer table.

    Examples:
        >>> from datetime import date
        >>> from aftersales_crm import features, synthetic
        >>> feats = features.compute(synthetic.columns(50, seed=1).tables(), as_of=date(2026, 6, 30))
        >>> len(feats), feats.key, feats.vehicles.key
        (50, 'customer_id', 'vin')
    """

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by constructor arguments (a read-only mapping itself cannot be pickled)."""
        return frozen_reduce(self)

    key: str
    ids: NDArray[np.str_] = attrs.field(converter=_read_only)
    columns: Mapping[str, NDArray[Any]] = attrs.field(converter=_frozen_columns)
    as_of: date
    currency: str
    categories: Mapping[str, type[enum.Enum]] = attrs.field(factory=dict, converter=_frozen_enums)
    vehicles: FeatureTable | None = None

    def __attrs_post_init__(self) -> None:
        checks: tuple[tuple[str, object, type | tuple[type, ...]], ...] = (
            ("key", self.key, str),
            ("as_of", self.as_of, date),
            ("currency", self.currency, str),
            ("vehicles", self.vehicles, (FeatureTable, type(None))),
        )
        for name, value, expected in checks:
            if not isinstance(value, expected):
                msg = f"FeatureTable {name} is {value!r:.80} ({type(value).__name__}), of the wrong type"
                raise InvalidValue(msg, code=ARGUMENT_CODE)
        for name, column in self.columns.items():
            if not isinstance(column, np.ndarray) or column.shape != self.ids.shape:
                msg = f"FeatureTable column {name!r} is not an array of one value per id"
                raise InvalidValue(msg, code=ARGUMENT_CODE)

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.ids)

    def __getitem__(self, name: str) -> NDArray[Any]:
        """The feature column ``name``.

        Raises:
            UnknownFeatureError: no column has that name (a ``KeyError``); the message
                suggests close names.

        Examples:
            >>> from datetime import date
            >>> feats = FeatureTable.from_columns({"spend_fen": [5, 7]}, as_of=date(2026, 6, 30))
            >>> feats["spend"]
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.UnknownFeatureError: no feature column 'spend'; did you mean 'spend_fen'?
        """
        try:
            return self.columns[name]
        except (KeyError, TypeError):  # TypeError: a name that cannot be a key (a list)
            raise _unknown_column(name, list(self.columns)) from None

    def __iter__(self) -> Iterator[str]:
        """The feature names."""
        return iter(self.columns)

    def __repr__(self) -> str:
        """``FeatureTable(50 customer_id rows × 48 features, as of 2026-06-30)``."""
        return (
            f"FeatureTable({len(self)} {self.key} rows × {len(self.columns)} features,"
            f" as of {self.as_of.isoformat()})"
        )

    def _display_arrays(self) -> Mapping[str, Any]:
        return {self.key: self.ids, **self.columns}

    def row(self, id_: str) -> dict[str, Any]:
        """The features of the row with id ``id_`` as a dict of Python values.

        Missing values (NaN, NaT) are ``None``, so two rows compare equal with ``==``.

        Raises:
            UnknownFeatureError: no row has that id (a ``KeyError``), suggesting close ids.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.columns(20, seed=1).tables(), as_of=date(2026, 6, 30))
            >>> feats.row(feats.ids[0])["visits"] >= 0
            True
        """
        if not isinstance(id_, str):
            raise unknown_row(id_, self.ids, self.key)
        where = np.flatnonzero(self.ids == id_)
        if not len(where):
            raise unknown_row(id_, self.ids, self.key)
        i = int(where[0])
        return {name: _python(column[i]) for name, column in self.columns.items()}

    def take(self, rows: NDArray[np.intp]) -> FeatureTable:
        """The rows at positions ``rows``, in that order.

        The vehicle table is kept whole, but its ``owner`` column is renumbered to the new
        rows: a vehicle whose owner is not among them gets ``-1``.

        Examples:
            >>> from datetime import date
            >>> import numpy as np
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.columns(20, seed=1).tables(), as_of=date(2026, 6, 30))
            >>> two = feats.take(np.array([1, 0]))
            >>> len(two), two.ids.tolist() == feats.ids[[1, 0]].tolist()
            (2, True)
            >>> owners = two.vehicles["owner"]
            >>> sorted(set(two.ids[owners[owners >= 0]])) == sorted(set(two.ids))
            True
        """
        rows = positions(rows, len(self), parameter="rows")
        vehicles = self.vehicles
        if vehicles is not None and "owner" in vehicles.columns:
            renumber = np.full(len(self) + 1, -1, dtype=np.int64)  # the last slot keeps -1
            renumber[rows] = np.arange(len(rows))
            owner = vehicles["owner"]
            columns = dict(vehicles.columns)
            columns["owner"] = renumber[np.where(owner >= 0, owner, len(self))]
            vehicles = attrs.evolve(vehicles, columns=columns)
        return attrs.evolve(
            self,
            ids=self.ids[rows],
            columns={k: v[rows] for k, v in self.columns.items()},
            vehicles=vehicles,
        )

    def to_pandas(self, *, money: MoneyUnit = "minor") -> Any:
        """A pandas DataFrame indexed by id (needs the ``pandas`` extra).

        Categorical columns become pandas ``Categorical`` of the enum values. Money
        columns stay integer minor units (``spend_fen``) unless ``money="major"``, which
        gives the integer ones in the table's currency as exact Decimal amounts, without
        the suffix (``spend``, yuan); averages (float fen) keep their unit and name.

        Examples:
            >>> from datetime import date
            >>> from aftersales_crm import features, synthetic
            >>> feats = features.compute(synthetic.columns(20, seed=1).tables(), as_of=date(2026, 6, 30))
            >>> df = feats.to_pandas()
            >>> df.index.name, len(df) == 20, str(df["sector"].dtype)
            ('customer_id', True, 'category')
            >>> feats["spend_fen"][0], feats.to_pandas(money="major")["spend"].iloc[0]
            (np.int64(328442), Decimal('3284.42'))
        """
        pd = require("pandas", extra="pandas")
        data: dict[str, Any] = {}
        for name, column in self.columns.items():
            kind = self.categories.get(name)
            if kind is None:
                data[name] = column
            else:
                data[name] = pd.Categorical.from_codes(
                    column, categories=[m.value for m in kind], validate=False
                )
        frame = pd.DataFrame(data, index=pd.Index(self.ids.astype(object), name=self.key))
        return major_units(frame, money, currency=self.currency)

    @classmethod
    def from_columns(
        cls,
        columns: Mapping[str, ArrayLike],
        /,
        *,
        as_of: date | str,
        ids: ArrayLike | None = None,
        key: str = "customer_id",
        currency: str = "CNY",
        categories: Mapping[str, type[enum.Enum]] | None = None,
        vehicles: FeatureTable | None = None,
    ) -> FeatureTable:
        """A FeatureTable from columns of your own: for tests, examples and plugins.

        Args:
            columns: feature name → values, one per row (anything numpy takes).
            as_of: the day the features describe (a date or an ISO date string).
            ids: the id of each row; by default ``C0``, ``C1``, … for customers,
                ``V0``, ``V1``, … for vehicles (``key="vin"``), else ``0``, ``1``, ….
            key: the name of the id column.
            currency: the currency of the money columns.
            categories: for categorical columns (int8 codes), their enum.
            vehicles: the vehicle-level table of a customer table, whose ``owner``
                column holds rows of this one.

        Returns:
            The table; columns are read-only copies of what numpy makes of ``columns``.

        Raises:
            InvalidValue: columns of different lengths or not one-dimensional, ids that
                repeat or do not match the rows, or an argument of the wrong type.

        Examples:
            >>> feats = FeatureTable.from_columns(
            ...     {"spend_fen": [120_000, 0, 35_000], "visits": [4, 0, 1]}, as_of="2026-06-30"
            ... )
            >>> feats.ids.tolist(), feats.row("C2")
            (['C0', 'C1', 'C2'], {'spend_fen': 35000, 'visits': 1})
            >>> FeatureTable.from_columns({"a": [1, 2], "b": [1]}, as_of="2026-06-30")
            Traceback (most recent call last):
            ...
            aftersales_crm.errors.InvalidValue: column 'b' has 1 values, expected 2 (one per row)
        """
        on = as_of_date(as_of)
        for name, value in (("key", key), ("currency", currency)):
            if not isinstance(value, str) or not value:
                msg = f"{name} is {value!r}, expected a non-empty text"
                raise InvalidValue(msg, code=ARGUMENT_CODE)
        given_rows = None if ids is None else len(np.asarray(ids))
        checked = _columns(columns, given_rows)
        rows = given_rows if given_rows is not None else len(next(iter(checked.values()), []))
        if ids is None:
            prefix = _ID_PREFIX.get(key, "")
            ids = [f"{prefix}{i}" for i in range(rows)]
        names = _column("ids", ids, rows).astype(str)
        if len(np.unique(names)) != len(names):
            msg = "ids repeat: each row needs its own id"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        kinds = dict(categories or {})
        for name, kind in kinds.items():
            if name not in checked or not (isinstance(kind, type) and issubclass(kind, enum.Enum)):
                msg = f"categories[{name!r}] must name a column and give its enum class"
                raise InvalidValue(msg, code=ARGUMENT_CODE)
        if not isinstance(vehicles, FeatureTable | None):
            msg = f"vehicles is {vehicles!r:.80}, expected a FeatureTable or None"  # type: ignore[unreachable]
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        return cls(key, names, checked, on, currency, categories=kinds, vehicles=vehicles)

    def with_columns(
        self, columns: Mapping[str, ArrayLike] | None = None, /, **named: ArrayLike
    ) -> FeatureTable:
        """A copy with columns added, or replaced, by name: your own features beside ours.

        A replaced column loses its category (its enum), as its codes may mean other
        things now. The receiver is not changed.

        Args:
            columns: feature name → values, one per row.
            **named: more columns, by keyword.

        Raises:
            InvalidValue: a column of the wrong length or not one-dimensional.

        Examples:
            >>> feats = FeatureTable.from_columns({"spend_fen": [100, 300]}, as_of="2026-06-30")
            >>> rich = feats.with_columns(big=feats["spend_fen"] > 200)
            >>> rich.row("C1"), sorted(feats)
            ({'spend_fen': 300, 'big': True}, ['spend_fen'])
        """
        given: object = columns
        if given is not None and not isinstance(given, Mapping):
            msg = f"columns is {given!r:.80} ({type(given).__name__}), expected a mapping of name to array"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        added = _columns({**(columns or {}), **named}, len(self))
        kinds = {k: v for k, v in self.categories.items() if k not in added}
        return attrs.evolve(self, columns={**self.columns, **added}, categories=kinds)

    # -- owner roll-ups: the vehicle features seen from their owners ----------------------

    def _vehicle_table(self) -> FeatureTable:
        if self.vehicles is None:
            msg = (
                f"this {self.key} FeatureTable has no vehicle features (vehicles is None); "
                "compute it with features.compute"
            )
            raise InvalidValue(msg, code="missing_feature")
        return self.vehicles

    def vehicle_owners(self) -> NDArray[np.intp]:
        """Per vehicle, the row in this table of its owner on ``as_of``; -1 for none.

        Read from ``vehicles["owner"]`` ([`take`][aftersales_crm.features.FeatureTable.take] renumbers it); an owner row outside
        the table counts as none.

        Returns:
            intp array of shape (n_vehicles,).

        Raises:
            InvalidValue: with code ``"missing_feature"`` without vehicle features, or
                ``"vehicles_not_aligned"`` when some customer would own more vehicles
                than their ``vehicles_owned``: the owner rows do not refer to these rows
                (a table put together by hand).

        Examples:
            >>> vehicles = FeatureTable.from_columns({"owner": [1, -1, 1]}, key="vin", as_of="2026-06-30")
            >>> feats = FeatureTable.from_columns({"vehicles_owned": [0, 2]}, as_of="2026-06-30", vehicles=vehicles)
            >>> feats.vehicle_owners().tolist()
            [1, -1, 1]
        """
        vehicles = self._vehicle_table()
        n = len(self)
        owner = np.asarray(vehicles["owner"], dtype=np.intp)
        rows = np.where((owner >= 0) & (owner < n), owner, MISSING_ROW)
        if n and "vehicles_owned" in self.columns:
            owned = np.bincount(rows[rows >= 0], minlength=n)
            if (owned > self["vehicles_owned"]).any():
                msg = (
                    "the vehicles' owner rows do not match the customer rows (some customer"
                    " would own more vehicles than vehicles_owned); build the table with"
                    " features.compute and pick rows with FeatureTable.take"
                )
                raise InvalidValue(msg, code="vehicles_not_aligned")
        return rows

    def newest_vehicles(self) -> NDArray[np.intp]:
        """Per row, the vehicle row of the owner's most recently bought vehicle; -1 for none.

        Among the vehicles the customer owns on ``as_of``, the one with the fewest
        completed years since purchase (``age_years``); vehicles without a purchase date
        come last, and equal ages are broken by VIN, so the choice does not depend on row
        order.

        Returns:
            intp array of shape (n_customers,), rows of ``vehicles``.

        Raises:
            InvalidValue: as [`vehicle_owners`][aftersales_crm.features.FeatureTable.vehicle_owners].

        Examples:
            >>> vehicles = FeatureTable.from_columns(
            ...     {"owner": [0, 0, 1], "age_years": [7.0, 2.0, float("nan")]}, key="vin", as_of="2026-06-30"
            ... )
            >>> feats = FeatureTable.from_columns({"vehicles_owned": [2, 1, 0]}, as_of="2026-06-30", vehicles=vehicles)
            >>> feats.newest_vehicles().tolist()
            [1, 2, -1]
        """
        vehicles = self._vehicle_table()
        rows = self.vehicle_owners()
        owned = np.flatnonzero(rows >= 0)
        owner = rows[owned]
        age = np.asarray(vehicles["age_years"], dtype=np.float64)[owned]
        age[np.isnan(age)] = np.inf
        newest_age = np.full(len(self), np.inf)
        np.minimum.at(newest_age, owner, age)
        newest = age == newest_age[owner]  # each owner's newest vehicles: one, or a tie
        candidate, candidate_owner = owned[newest], owner[newest]
        out = np.full(len(self), MISSING_ROW, dtype=np.intp)
        out[candidate_owner] = candidate
        # Owners whose newest vehicles share an age: the smallest VIN among those, sorting
        # the few VINs involved rather than every VIN.
        tied = np.bincount(candidate_owner, minlength=len(self))[candidate_owner] > 1
        if tied.any():
            vehicle, by_owner = candidate[tied], candidate_owner[tied]
            order = np.lexsort((vehicles.ids[vehicle], by_owner))
            vehicle, by_owner = vehicle[order], by_owner[order]
            lead = np.ones(len(by_owner), dtype=bool)
            lead[1:] = by_owner[1:] != by_owner[:-1]
            out[by_owner[lead]] = vehicle[lead]
        return out

    def newest_vehicle(self, name: str, missing: Any = None) -> NDArray[Any]:
        """Per row, the vehicle feature ``name`` of the owner's newest vehicle.

        Args:
            name: a column of ``vehicles``.
            missing: the value for rows without a vehicle; by default NaN for floats, NaT
                for dates, -1 for integers (the "none" code) and None otherwise.

        Returns:
            array of shape (n_customers,), of the column's dtype.

        Raises:
            InvalidValue: as [`vehicle_owners`][aftersales_crm.features.FeatureTable.vehicle_owners]; UnknownFeatureError for an unknown
                column.

        Examples:
            >>> vehicles = FeatureTable.from_columns(
            ...     {"owner": [0, 0], "age_years": [7.0, 2.0], "body_type": [1, 3]}, key="vin", as_of="2026-06-30"
            ... )
            >>> feats = FeatureTable.from_columns({"vehicles_owned": [2, 0]}, as_of="2026-06-30", vehicles=vehicles)
            >>> feats.newest_vehicle("body_type").tolist(), feats.newest_vehicle("age_years").tolist()
            ([3, -1], [2.0, nan])
        """
        values = self._vehicle_table()[name]
        return _at_rows(values, self.newest_vehicles(), _missing(values, missing))

    def per_owner(
        self,
        values: ArrayLike | str,
        how: Literal["min", "max"],
        *,
        where: ArrayLike | None = None,
        missing: Any = None,
    ) -> NDArray[Any]:
        """Per row, the least or greatest of a vehicle value over the vehicles owned on ``as_of``.

        The roll-up of a vehicle-level value to its owners: the best status of a
        customer's vehicles (``how="min"`` over status codes), the most-driven vehicle's
        km a year (``how="max"``).

        Args:
            values: a column of ``vehicles``, or values aligned with its rows.
            how: ``"min"`` or ``"max"``.
            where: which vehicles take part (bool, aligned with the vehicles); all by
                default.
            missing: the value for rows without a taking part vehicle; defaults as for
                [`newest_vehicle`][aftersales_crm.features.FeatureTable.newest_vehicle].

        Returns:
            array of shape (n_customers,), of the values' dtype.

        Raises:
            InvalidValue: as [`vehicle_owners`][aftersales_crm.features.FeatureTable.vehicle_owners], an unknown ``how`` or values not
                aligned with the vehicles.

        Examples:
            >>> vehicles = FeatureTable.from_columns({"owner": [0, 0, 1], "km": [9.5, 30.0, 4.0]}, key="vin", as_of="2026-06-30")
            >>> feats = FeatureTable.from_columns({"vehicles_owned": [2, 1, 0]}, as_of="2026-06-30", vehicles=vehicles)
            >>> feats.per_owner("km", "max").tolist(), feats.per_owner("km", "min").tolist()
            ([30.0, 4.0, nan], [9.5, 4.0, nan])
        """
        vehicles = self._vehicle_table()
        column = (
            vehicles[values]
            if isinstance(values, str)
            else _column("values", values, len(vehicles))
        )
        if how not in ("min", "max"):
            msg = f"how is {how!r}, expected 'min' or 'max'"
            raise InvalidValue(msg, code=ARGUMENT_CODE)
        rows = self.vehicle_owners()
        take = rows >= 0
        if where is not None:
            take &= _column("where", where, len(vehicles)).astype(bool)
        owners, chosen = rows[take], column[take]
        seen = np.zeros(len(self), dtype=bool)
        seen[owners] = True
        start = _identity(column.dtype, how)
        if start is not None:  # numbers: start from the identity of min or max
            out = np.full(len(self), start, dtype=column.dtype)
        else:  # anything else: start from one of the owner's own values
            out = np.empty(len(self), dtype=column.dtype)
            first = np.full(len(self), -1, dtype=np.intp)
            first[owners[::-1]] = np.flatnonzero(take)[::-1]
            out[seen] = column[first[seen]]
        (np.minimum if how == "min" else np.maximum).at(out, owners, chosen)
        out[~seen] = _missing(column, missing)
        return out


def _identity(dtype: np.dtype[Any], how: str) -> Any:
    """The start of a ``how`` roll-up that any value replaces, or None for other dtypes."""
    low = how == "max"
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return info.min if low else info.max
    if dtype.kind == "f":
        return -np.inf if low else np.inf
    if dtype.kind == "b":
        return not low
    return None


def _missing(values: NDArray[Any], missing: Any) -> Any:
    """The fill of a roll-up: ``missing``, or NaN / NaT / -1 / None by dtype."""
    if missing is not None:
        return missing
    kind = values.dtype.kind
    if kind == "f":
        return np.nan
    if kind == "M":
        return np.datetime64("NaT")
    if kind == "i":
        return MISSING_ROW
    return None


def _at_rows(values: NDArray[Any], rows: NDArray[np.intp], fill: Any) -> NDArray[Any]:
    """``values[rows]`` with ``fill`` where a row is -1."""
    out = np.full(len(rows), fill, dtype=values.dtype)
    found = rows >= 0
    out[found] = values[rows[found]]
    return out
