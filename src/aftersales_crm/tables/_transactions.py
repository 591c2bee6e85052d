"""A plain transaction log (customer, when, amount) as tables: one repair order per row.

The log's columns are mapped by name onto the outside columns of
[`from_arrays`][aftersales_crm.tables.Tables.from_arrays], and the tables are built by the same
checked path, so every bad value is a [`RowProblem`][aftersales_crm.errors.RowProblem] of a
[`TableValidationError`][aftersales_crm.errors.TableValidationError]. Problems are reported against the
log itself: table ``transactions``, the log's row, the log's column name.

What the library makes of a log, and why:

- each row is one repair order with one line; rows are never merged, so a customer's two
  purchases on one day are two orders (``visits`` 2) on one visit day (``visit_days`` 1);
- an order names a vehicle only when a ``vin`` column is mapped (with its ``mileage``):
  without one the orders have no vehicle, which every feature handles, rather than a
  made-up VIN;
- the order id is the mapped ``order`` column, or ``T<row>`` from the row's position;
- without a ``dealer`` column every order names one placeholder dealer, ``LOG_DEALER``;
- the line's kind is the mapped ``service_kind`` column or ``parts_sale`` (零件外购, a
  counter sale: it is no workshop service, so it moves no service interval); its pay
  type is the mapped ``pay`` column or ``customer``; the whole amount is the line's
  ``parts`` amount and its labour is 0;
- customers are the distinct customer ids, in the order of their first row, each named by
  its id (a log holds no names); ids are first put in normal form (NFKC, zero-width
  characters removed, trimmed; integers as their text); vehicles are the distinct VINs
  with the record defaults and model ``unknown``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm._args import to_time_zone
from aftersales_crm._optional import require
from aftersales_crm._suggest import did_you_mean
from aftersales_crm.errors import (
    FloatMoneyError,
    InvalidType,
    InvalidValue,
    RowProblem,
    TableValidationError,
)
from aftersales_crm.values import PayType, ServiceKind, currency_exponent, normalise_id
from aftersales_crm.values._money import shifted

if TYPE_CHECKING:
    from aftersales_crm.tables._tables import Tables

__all__ = ["LOG_DEALER", "LOG_TIME_ZONE", "from_transactions"]

LOG_DEALER: Final = "LOG"
"""The id (and name) of the one dealer of a log without a ``dealer`` column."""

LOG_TIME_ZONE: Final = "Asia/Shanghai"
"""The default zone a log's dates are placed in: that of the feature engine's business dates."""

_DEFAULT_KIND: Final = ServiceKind.PARTS_SALE
_DEFAULT_PAY: Final = PayType.CUSTOMER
_NOON: Final = dt.time(12)
_US_PER_DAY: Final = 86_400_000_000
_EPOCH_DAY: Final = dt.date(1970, 1, 1).toordinal()
#: Amounts beyond 10**18 minor units do not fit the int64 columns.
_MAX_DIGITS: Final = 18
_TABLE: Final = "transactions"


def from_transactions(
    tables: type[Tables],
    frame: Any,
    roles: Mapping[str, object],
    *,
    currency: str,
    time_zone: str | dt.tzinfo,
) -> Tables:
    """Build the tables of a transaction log; see ``Tables.from_transactions``."""
    currency_exponent(currency)  # raises for an unknown code, naming it
    zone = to_time_zone(time_zone)
    mapped: dict[str, str] = {}
    for role, name in roles.items():  # callers may pass anything: the annotations are the contract
        if name is not None and not isinstance(name, str):
            msg = f"{role} is {name!r} ({type(name).__name__}), expected the name of a column"
            raise InvalidType(msg)
        if name is not None:
            mapped[role] = name
    if ("vin" in mapped) != ("mileage" in mapped):
        msg = (
            "vin and mileage go together: an order with a vehicle has its odometer reading;"
            f" got only {'vin' if 'vin' in mapped else 'mileage'}"
        )
        raise InvalidValue(msg, code="vin_without_mileage")
    columns = _columns(frame, mapped)
    n = len(columns[mapped["customer"]])
    problems: list[RowProblem] = []
    customer = _ids(columns[mapped["customer"]])
    opened = _instants(columns[mapped["at"]], zone)
    amount = _minor_units(columns[mapped["amount"]], mapped["amount"], currency, problems)
    orders: dict[str, Any] = {
        "id": _ids(columns[mapped["order"]])
        if "order" in mapped
        else np.array([f"T{row}" for row in range(n)], dtype=object),
        "customer_id": customer,
        "opened_at": opened,
    }
    first_rows: dict[str, NDArray[np.intp]] = {}
    data: dict[str, dict[str, Any]] = {}
    if "dealer" in mapped:
        dealer = _ids(columns[mapped["dealer"]])
        ids, first_rows["dealers"] = _distinct(dealer)
        data["dealers"] = {"id": ids, "name": ids}
        orders["dealer_id"] = dealer
    else:
        data["dealers"] = {"id": [LOG_DEALER], "name": [LOG_DEALER]}
        first_rows["dealers"] = np.zeros(1, dtype=np.intp)
        orders["dealer_id"] = np.full(n, LOG_DEALER, dtype=object)
    ids, first_rows["customers"] = _distinct(customer)
    data["customers"] = {"id": ids, "name": ids}
    if "vin" in mapped:
        vin = columns[mapped["vin"]]
        ids, first_rows["vehicles"] = _distinct(vin)
        data["vehicles"] = {"vin": ids, "model": np.full(len(ids), "unknown", dtype=object)}
        orders["vin"] = vin
        orders["mileage"] = columns[mapped["mileage"]]
    data["orders"] = orders
    data["lines"] = {
        "order_id": orders["id"],
        "kind": columns[mapped["service_kind"]]
        if "service_kind" in mapped
        else np.full(n, _DEFAULT_KIND.value, dtype=object),
        "pay": columns[mapped["pay"]]
        if "pay" in mapped
        else np.full(n, _DEFAULT_PAY.value, dtype=object),
        "labour": np.zeros(n, dtype=np.int64),
        "parts": amount,
    }
    try:
        built = tables.from_arrays(currency=currency, **data)
    except TableValidationError as err:
        problems += _in_log_terms(err, mapped, first_rows)
    else:
        if not problems:
            return built
    raise TableValidationError(sorted(problems, key=lambda p: p.row), table=_TABLE)


# -- the log's columns ------------------------------------------------------------------------


def _columns(frame: Any, mapped: Mapping[str, str]) -> dict[str, NDArray[Any]]:
    """The mapped columns of ``frame`` as numpy arrays of one length."""
    module = type(frame).__module__.split(".")[0]
    if module == "pandas":
        return _pandas_columns(frame, mapped)
    if module == "pyarrow":
        return _arrow_columns(frame, mapped)
    if isinstance(frame, np.ndarray) and frame.dtype.names is not None:
        names: list[str] = list(frame.dtype.names)
        _check_names(mapped, names)
        picked = {name: np.asarray(frame[name]) for name in set(mapped.values())}
    elif isinstance(frame, Mapping):
        names = [str(name) for name in frame]
        _check_names(mapped, names)
        picked = {name: _array(frame[name]) for name in set(mapped.values())}
    else:
        msg = (
            f"the log is a {type(frame).__name__}, expected a mapping of columns, a numpy"
            " structured array, a pandas DataFrame or a pyarrow Table"
        )
        raise InvalidType(msg)
    lengths = {name: len(values) for name, values in picked.items()}
    if len(set(lengths.values())) > 1:
        msg = f"the log's columns have different lengths: {dict(sorted(lengths.items()))}"
        raise InvalidValue(msg, code="column_length")
    return picked


def _array(values: Any) -> NDArray[Any]:
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            msg = f"a log column has shape {values.shape}, expected one dimension"
            raise InvalidValue(msg, code="column_length")
        return values
    items = list(values)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _check_names(mapped: Mapping[str, str], names: list[str]) -> None:
    """Every mapped column is in the log; one error names each missing one."""
    missing = [(role, name) for role, name in mapped.items() if name not in names]
    if missing:
        parts = []
        for role, name in missing:
            hint = did_you_mean(name, names)
            parts.append(f"{role}={name!r}" + (f" ({hint})" if hint else ""))
        msg = f"the log has no column {', '.join(parts)}; its columns are {names}"
        raise InvalidValue(msg, code="missing_column")


def _naive(name: str) -> InvalidValue:
    msg = (
        f"column {name!r} holds naive datetimes; instants must be tz-aware (localise them to"
        " the zone they were recorded in, e.g. .dt.tz_localize('Asia/Shanghai')), or give"
        " dates (.dt.date)"
    )
    return InvalidValue(msg, code="naive_instant")


def _pandas_columns(frame: Any, mapped: Mapping[str, str]) -> dict[str, NDArray[Any]]:
    pd = require("pandas", extra="pandas")
    from aftersales_crm.tables._interop import from_frames  # pandas loads on use

    if not isinstance(frame, pd.DataFrame):
        msg = f"the log is a {type(frame).__name__}, expected a pandas DataFrame"
        raise InvalidType(msg)
    _check_names(mapped, [str(name) for name in frame.columns])
    at = mapped["at"]
    dtype = frame[at].dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "M" and not frame[at].isna().all():
        raise _naive(at)
    used = list(dict.fromkeys(mapped.values()))
    return from_frames({_TABLE: frame[used]})[_TABLE]


def _arrow_columns(frame: Any, mapped: Mapping[str, str]) -> dict[str, NDArray[Any]]:
    pa = require("pyarrow", extra="arrow")
    from aftersales_crm.tables._interop import from_arrow_tables  # pyarrow loads on use

    if not isinstance(frame, pa.Table | pa.RecordBatch):
        msg = f"the log is a {type(frame).__name__}, expected a pyarrow Table"
        raise InvalidType(msg)
    _check_names(mapped, [str(name) for name in frame.column_names])
    at = mapped["at"]
    kind = frame.schema.field(at).type
    if pa.types.is_timestamp(kind) and kind.tz is None and frame.column(at).null_count < len(frame):
        raise _naive(at)
    used = list(dict.fromkeys(mapped.values()))
    return from_arrow_tables({_TABLE: frame.select(used)})[_TABLE]


# -- values -----------------------------------------------------------------------------------


def _ids(values: NDArray[Any]) -> NDArray[Any]:
    """Ids in normal form ([`normalise_id`][aftersales_crm.values.normalise_id]), integers as their decimal text.

    CDNOW numbers its customers; spreadsheets pad ids with spaces.
    """
    if values.dtype.kind in "iu":
        return values.astype(str).astype(object)
    items = values.tolist()
    out = np.empty(len(items), dtype=object)
    out[:] = [
        str(v) if type(v) is int else normalise_id(v) if isinstance(v, str) else v for v in items
    ]
    return out


def _distinct(values: NDArray[Any]) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """The distinct present values in order of first appearance, and the row of each."""
    seen: dict[Any, int] = {}
    for row, value in enumerate(values.tolist()):
        if value is None or value == "" or (isinstance(value, float) and value != value):
            continue
        seen.setdefault(value, row)
    ids = np.empty(len(seen), dtype=object)
    ids[:] = list(seen)
    return ids, np.fromiter(seen.values(), dtype=np.intp, count=len(seen))


def _instants(values: NDArray[Any], zone: dt.tzinfo) -> NDArray[Any]:
    """The ``at`` column as instants: dates become noon of that day in ``zone``.

    Noon keeps the day in every zone within twelve hours of ``zone``, so the feature
    engine reads back the same business date. Instants pass as they are; the ingest
    checks them (naive datetimes are row problems there).
    """
    if values.dtype.kind == "M":
        if np.datetime_data(values.dtype)[0] != "D":
            return values  # datetime64 instants, in UTC as everywhere in the tables
        days = values.astype(np.int64)
        out = _noon(days, zone).astype("datetime64[us]")
        out[np.isnat(values)] = np.datetime64("NaT")
        return out
    items = values.tolist()
    made: dict[Any, Any] = {}
    out_items = []
    for value in items:
        try:
            out_items.append(made[value])
        except KeyError:
            made[value] = converted = _instant(value, zone)
            out_items.append(converted)
        except TypeError:  # an unhashable value: the ingest reports its type
            out_items.append(value)
    out = np.empty(len(items), dtype=object)
    out[:] = out_items
    return out


def _noon(days: NDArray[np.int64], zone: dt.tzinfo) -> NDArray[np.int64]:
    """µs since the epoch of noon on each day (days since the epoch) in ``zone``."""
    unique, inverse = np.unique(days, return_inverse=True)
    offsets = np.array(
        [
            _offset_us(dt.date.fromordinal(int(day) + _EPOCH_DAY), zone)
            if day != np.iinfo(np.int64).min
            else 0
            for day in unique.tolist()
        ],
        dtype=np.int64,
    )
    noon: NDArray[np.int64] = days * _US_PER_DAY + _US_PER_DAY // 2 - offsets[inverse]
    return noon


def _offset_us(day: dt.date, zone: dt.tzinfo) -> int:
    offset = dt.datetime.combine(day, _NOON, tzinfo=zone).utcoffset()
    return 0 if offset is None else offset // dt.timedelta(microseconds=1)


def _instant(value: Any, zone: dt.tzinfo) -> Any:
    """One ``at`` value: a date (or date text) as noon in ``zone``, anything else as given."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value  # instant text, or bad text the ingest reports
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, _NOON, tzinfo=zone)
    return value


def _minor_units(
    values: NDArray[Any], name: str, currency: str, problems: list[RowProblem]
) -> NDArray[Any]:
    """Amounts as integer minor units: integers as they are, Decimal or text as major units."""
    if values.dtype.kind == "f":
        msg = (
            f"column {name!r} holds floats; money never goes through float: give integer"
            " minor units, decimal.Decimal or decimal text"
        )
        raise FloatMoneyError(msg)
    if values.dtype.kind not in "OUS":
        return values  # integers (the ingest checks them)
    exponent = currency_exponent(currency)
    items = values.tolist()
    if any(isinstance(v, float) for v in items):
        row = next(r for r, v in enumerate(items) if isinstance(v, float))
        msg = (
            f"column {name!r} holds floats (row {row}); money never goes through float: give"
            " integer minor units, decimal.Decimal or decimal text"
        )
        raise FloatMoneyError(msg)
    majors = any(isinstance(v, str | bytes | decimal.Decimal) for v in items)
    out = np.empty(len(items), dtype=object)
    for row, value in enumerate(items):
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        if isinstance(value, str | decimal.Decimal):
            out[row] = _minor(value, row, name, currency, exponent, problems)
        elif majors and isinstance(value, int) and not isinstance(value, bool):
            problems.append(
                RowProblem(
                    row,
                    name,
                    "mixed_units",
                    f"{name} is the integer {value} among decimal amounts; give every amount"
                    " as a decimal, or every one as integer minor units",
                )
            )
            out[row] = 0
        else:
            out[row] = value  # integers and missing values: the ingest checks them
    return out


def _minor(
    value: str | decimal.Decimal,
    row: int,
    name: str,
    currency: str,
    exponent: int,
    problems: list[RowProblem],
) -> int:
    """A major-unit amount in minor units, exactly; a row problem and 0 when it cannot be."""
    try:
        amount = decimal.Decimal(value.strip()) if isinstance(value, str) else value
    except decimal.InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        problems.append(
            RowProblem(row, name, "invalid_amount", f"{name} {value!r} is not a decimal amount")
        )
        return 0
    if amount.adjusted() + exponent >= _MAX_DIGITS:
        problems.append(
            RowProblem(row, name, "amount_too_large", f"{name} {value!r} is too large an amount")
        )
        return 0
    minor = shifted(amount, exponent)
    if minor != minor.to_integral_value():
        problems.append(
            RowProblem(
                row,
                name,
                "amount_precision",
                f"{name} {value!r} has more decimal places than {currency} has ({exponent})",
            )
        )
        return 0
    return int(minor)


# -- problems in the log's terms --------------------------------------------------------------

#: Outside column of each table → the role whose log column it comes from.
_ROLES: Final[Mapping[str, Mapping[str, str]]] = {
    "dealers": {"id": "dealer", "name": "dealer"},
    "customers": {"id": "customer", "name": "customer"},
    "vehicles": {"vin": "vin"},
    "orders": {
        "id": "order",
        "customer_id": "customer",
        "opened_at": "at",
        "dealer_id": "dealer",
        "vin": "vin",
        "mileage": "mileage",
    },
    "lines": {"kind": "service_kind", "pay": "pay", "parts": "amount", "order_id": "order"},
}


def _in_log_terms(
    err: TableValidationError,
    mapped: Mapping[str, str],
    first_rows: Mapping[str, NDArray[np.intp]],
) -> list[RowProblem]:
    """The problems of a built table as problems of the log: its rows, its column names."""
    out = []
    for problem in err.problems:
        table = problem.table or err.table  # one error holds the problems of every table
        row = problem.row
        if table in first_rows and 0 <= row < len(first_rows[table]):
            row = int(first_rows[table][row])
        role = _ROLES.get(table, {}).get(problem.column)
        column = mapped.get(role or "", problem.column)
        message = problem.message
        if message.startswith(problem.column):
            message = column + message[len(problem.column) :]
        out.append(RowProblem(row, column, problem.code, message))
    return out
