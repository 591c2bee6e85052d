"""Customer partitions: the customer base cut along its connected components (no dask here).

Per-customer computations (features, care tasks, points balances) give exactly the
single-process answer on a part of the tables if that part holds every fact of its
customers, and every fact those facts point to. Some facts point across customers: a
vehicle owned in turn by two customers (``ownerships``), a repair order or a contact of a
later owner (``orders.vin``, ``contacts.vin``), a comeback of another customer's order
(``orders.comeback_of``), a referral (``referrals``) and a member referred by another
(``members.referred_by``). So the parts are the connected components of the graph whose
nodes are the rows of every table and whose edges are its reference columns, read from
the table schemas ([`SCHEMAS`][aftersales_crm.tables.SCHEMAS]), so that a fact kind
registered later takes part without an edit here. The network's master data
([`NETWORK_TABLES`][aftersales_crm.dask.NETWORK_TABLES]: dealers and chapters) is shared
by every customer: it is no node, and every part gets a copy.

Each component goes to the part given by a hash of its smallest customer id (or, for a
component without a customer, of its first row's id), so a customer's part depends on
their id and the number of parts only, not on the order of the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from aftersales_crm.errors import InvalidType, InvalidValue
from aftersales_crm.records import ColumnKind
from aftersales_crm.tables import SCHEMAS, Table, Tables

__all__ = [
    "NETWORK_TABLES",
    "Part",
    "build_part",
    "components",
    "merge_rows",
    "outside_parts",
    "part_of_rows",
    "part_rows",
    "split",
    "take_part",
]

NETWORK_TABLES: Final[tuple[str, ...]] = ("dealers", "chapters")
"""The network's master data: copied whole into every part, never split.

Dealers and the club's chapters are shared by all customers; every other table is cut
along the customers' connected components.

Examples:
    >>> NETWORK_TABLES
    ('dealers', 'chapters')
"""

_I64 = NDArray[np.int64]

# FNV-1a, 64 bits: a hash of text that every numpy gives alike (Python's hash() is salted).
_FNV_OFFSET: Final = np.uint64(0xCBF29CE484222325)
_FNV_PRIME: Final = np.uint64(0x100000001B3)


def text_hash(texts: NDArray[Any]) -> NDArray[np.uint64]:
    """A stable 64-bit hash of each text (FNV-1a over its code points).

    The same text gives the same hash in any array, whatever the array's width.

    Examples:
        >>> import numpy as np
        >>> a = text_hash(np.array(["C1", "C22"]))
        >>> b = text_hash(np.array(["C1"]))
        >>> bool(a[0] == b[0]), bool(a[0] != a[1])
        (True, True)
    """
    given = np.asarray(texts, dtype=str)
    if given.ndim != 1:
        given = given.reshape(-1)
    width = given.dtype.itemsize // 4
    h = np.full(len(given), _FNV_OFFSET, dtype=np.uint64)
    if not len(given) or not width:
        return h
    points = given.view(np.uint32).reshape(len(given), width).astype(np.uint64)
    for j in range(width):
        column = points[:, j]
        mixed = (h ^ column) * _FNV_PRIME
        h = np.where(column > 0, mixed, h)  # padding past a text's end leaves it alone
    return h


def _root_labels(n: int, a: _I64, b: _I64) -> _I64:
    """Each node's component as its smallest node, for the undirected edges ``a``–``b``.

    Hooking and pointer jumping (Shiloach and Vishkin, "An O(log n) parallel connectivity
    algorithm", J. Algorithms 3, 1982), vectorised: every round hooks the larger root of
    each edge under the smaller, then flattens the trees, until no edge joins two roots.
    """
    label = np.arange(n, dtype=np.int64)
    while len(a):
        la, lb = label[a], label[b]
        apart = la != lb
        if not apart.any():
            break
        a, b = a[apart], b[apart]  # edges inside one component stay there
        la, lb = la[apart], lb[apart]
        np.minimum.at(label, np.maximum(la, lb), np.minimum(la, lb))
        while True:
            up = label[label]
            if np.array_equal(up, label):
                break
            label = up
    return label


def _split_tables(tables: Tables, network: Sequence[str]) -> list[str]:
    whole: object = tables
    if not isinstance(whole, Tables):
        msg = f"tables is {whole!r:.80}, expected a Tables"
        raise InvalidType(msg)
    given: object = network  # callers may pass anything; the annotation is the contract
    if isinstance(given, str) or not isinstance(given, Sequence):
        msg = f"network is {given!r:.80}, expected a sequence of table names"
        raise InvalidType(msg)
    unknown = [name for name in network if not isinstance(name, str) or name not in tables]
    if unknown:
        msg = f"network tables {unknown} are not tables; the tables are {list(SCHEMAS)}"
        raise InvalidValue(msg, code="unknown_table")
    return [table.name for table in tables if table.name not in network]


def components(tables: Tables, *, network: Sequence[str] = NETWORK_TABLES) -> dict[str, _I64]:
    """The connected component of every row of every table but the network's.

    Rows are joined by each reference column between two split tables (all of them but
    ``network``): an ownership joins its customer and its vehicle, a referral its two
    customers, a repair order its customer, its vehicle and the order it comes back to.

    Args:
        tables: the customer base.
        network: the tables shared by everyone, not split (default
            [`NETWORK_TABLES`][aftersales_crm.dask.NETWORK_TABLES]).

    Returns:
        Per split table, int64 array of shape (n_rows,): the component of each row, named
        by its smallest node (nodes are the rows of the tables in building order).

    Examples:
        >>> from aftersales_crm import synthetic
        >>> tables = synthetic.tables(300, seed=1)
        >>> comp = components(tables)
        >>> sorted(comp)[:3], len(comp["customers"]) == 300
        (['activities', 'complaint_updates', 'complaints'], True)
        >>> owner = tables.ownerships["customer"]
        >>> bool((comp["ownerships"] == comp["customers"][owner]).all())
        True
    """
    names = _split_tables(tables, network)
    offset: dict[str, int] = {}
    n = 0
    for name in names:
        offset[name] = n
        n += len(tables[name])
    a: list[_I64] = []
    b: list[_I64] = []
    for name in names:
        table = tables[name]
        for column in table.schema.columns:
            if column.kind is not ColumnKind.REF or column.target not in offset:
                continue
            refs = np.asarray(table[column.name], dtype=np.int64)
            rows = np.flatnonzero(refs >= 0)
            a.append(rows + offset[name])
            b.append(refs[rows] + offset[column.target or ""])
    edges = (np.concatenate(a), np.concatenate(b)) if a else (np.zeros(0, np.int64),) * 2
    label = _root_labels(n, *edges)
    return {name: label[offset[name] : offset[name] + len(tables[name])] for name in names}


def part_of_rows(
    tables: Tables, n_parts: int, *, network: Sequence[str] = NETWORK_TABLES
) -> dict[str, _I64]:
    """The part of every row of every split table: its component's, by a stable hash.

    A component's part is the hash of its smallest customer id modulo ``n_parts``; a
    component without a customer (a vehicle nobody owns) goes by the id of its first row.

    Args:
        tables: the customer base.
        n_parts: the number of parts, at least 1.
        network: the tables copied to every part, not split.

    Returns:
        Per split table, int64 array of shape (n_rows,) in ``range(n_parts)``.

    Raises:
        InvalidValue: ``n_parts`` is not a whole number >= 1, or ``network`` names an
            unknown table.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> parts = part_of_rows(synthetic.tables(300, seed=1), 4)
        >>> sorted(set(parts["customers"].tolist()))
        [0, 1, 2, 3]
    """
    count = _n_parts(n_parts)
    comp = components(tables, network=network)
    names = list(comp)
    sizes = [len(tables[name]) for name in names]
    label = np.concatenate([comp[name] for name in names]) if names else np.zeros(0, np.int64)
    # Each component's text: its smallest customer id, else its root row's id.
    text: dict[int, str] = {}
    if "customers" in comp and len(comp["customers"]):
        ids = np.asarray(tables.customers["id"], dtype=str)
        order = np.lexsort((ids, comp["customers"]))
        roots = comp["customers"][order]
        first = np.r_[True, roots[1:] != roots[:-1]]
        text = dict(zip(roots[first].tolist(), ids[order[first]].tolist(), strict=True))
    roots = np.unique(label)
    lonely = roots[~np.isin(roots, np.fromiter(text, dtype=np.int64, count=len(text)))]
    if len(lonely):
        bounds = np.cumsum([0, *sizes])
        for node in lonely.tolist():
            i = int(np.searchsorted(bounds, node, side="right")) - 1
            name, row = names[i], node - int(bounds[i])
            key = tables[name].schema.key
            text[node] = f"{name}:{tables[name][key.name][row] if key is not None else row}"
    slot = np.searchsorted(roots, label)
    hashed = text_hash(np.asarray([text[r] for r in roots.tolist()], dtype=str))[slot]
    part = (_mix(hashed) % np.uint64(count)).astype(np.int64)
    out: dict[str, _I64] = {}
    start = 0
    for name, size in zip(names, sizes, strict=True):
        out[name] = part[start : start + size]
        start += size
    return out


def _mix(h: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """A finaliser (splitmix64's), so that the low bits of the hash are spread too."""
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def _n_parts(n_parts: object) -> int:
    if isinstance(n_parts, bool) or not isinstance(n_parts, int | np.integer) or n_parts < 1:
        msg = f"the number of parts is {n_parts!r}, expected a whole number >= 1"
        raise InvalidValue(msg, code="invalid_argument")
    return int(n_parts)


@attrs.frozen(eq=False)
class Part:
    """One part of a customer base: its tables, and where their rows were in the whole.

    Attributes:
        index: the part's number, from 0.
        tables: the part's tables: the rows of its customers' components, and the network
            tables whole.
        rows: per table, int64 array of the rows' positions in the whole tables (for the
            network tables, every row), increasing: a part keeps the rows' order.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> tables = synthetic.tables(200, seed=1)
        >>> parts = split(tables, 3)
        >>> sum(len(p.tables.customers) for p in parts), parts[0].index
        (200, 0)
        >>> p = parts[1]
        >>> bool((p.tables.customers["id"] == tables.customers["id"][p.rows["customers"]]).all())
        True
    """

    index: int
    tables: Tables
    rows: Mapping[str, _I64]

    def __len__(self) -> int:
        """The number of customers in the part."""
        return len(self.tables.customers)


def part_rows(
    tables: Tables, n_parts: int, *, network: Sequence[str] = NETWORK_TABLES
) -> list[dict[str, _I64]]:
    """Each part's rows of every table: its components' rows, and the network tables whole.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> rows = part_rows(synthetic.tables(20, seed=1), 2)
        >>> sum(len(r["customers"]) for r in rows), len(rows[0]["dealers"]) == len(rows[1]["dealers"])
        (20, True)
    """
    count = _n_parts(n_parts)
    part = part_of_rows(tables, count, network=network)
    out = []
    for index in range(count):
        rows: dict[str, _I64] = {}
        for table in tables:
            if table.name in part:
                rows[table.name] = np.flatnonzero(part[table.name] == index).astype(np.int64)
            else:
                rows[table.name] = np.arange(len(table), dtype=np.int64)
        out.append(rows)
    return out


def take_part(tables: Tables, index: int, rows: Mapping[str, _I64]) -> Part:
    """The [`Part`][aftersales_crm.dask.Part] of ``rows``, taken from the checked ``tables``.

    Each table keeps its rows ([`Table.take`][aftersales_crm.tables.Table.take]) and its
    references are renumbered to the rows kept; a reference to a row left out becomes
    ``-2``, which the [`Tables`][aftersales_crm.tables.Tables] constructor refuses, naming
    the column: a cut that left a reference dangling cannot go unnoticed.

    Raises:
        InvalidValue: a reference points to a row outside the part.

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm import synthetic
        >>> tables = synthetic.tables(20, seed=1)
        >>> take_part(tables, 0, part_rows(tables, 1)[0]).tables == tables
        True
        >>> rows = part_rows(tables, 1)[0] | {"customers": np.arange(1)}
        >>> take_part(tables, 0, rows)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: ownerships.customer points outside customers (rows 0..0)
    """
    renumbered: dict[str, _I64] = {}
    for table in tables:
        kept = np.asarray(rows[table.name], dtype=np.int64)
        new = np.full(len(table) + 1, -2, dtype=np.int64)  # the last slot: none stays none
        new[kept] = np.arange(len(kept))
        new[-1] = -1
        renumbered[table.name] = new
    taken: dict[str, Table] = {}
    for table in tables:
        kept = np.asarray(rows[table.name], dtype=np.int64)
        part = table.take(kept)
        columns = dict(part.columns)
        for column in table.schema.columns:
            if column.kind is ColumnKind.REF and column.target is not None:
                refs = np.asarray(columns[column.name], dtype=np.int64)
                columns[column.name] = renumbered[column.target][refs]  # -1 reads the last slot
        taken[table.name] = Table(table.schema, columns, part.labels)
    return Part(index=index, tables=Tables(tables.currency, **taken), rows=dict(rows))


def outside_parts(
    tables: Tables, n_parts: int, *, network: Sequence[str] = NETWORK_TABLES
) -> list[tuple[int, dict[str, dict[str, NDArray[Any]]], dict[str, _I64]]]:
    """Each part's tables in outside form (ids, enum values), with the rows it took.

    The cheap half of ``split(..., checked=True)``: row masks over
    [`to_arrays`][aftersales_crm.tables.Tables.to_arrays]; building and checking each part's
    [`Tables`][aftersales_crm.tables.Tables] is the other half, done where the part is used.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> (index, arrays, rows), = outside_parts(synthetic.tables(20, seed=1), 1)
        >>> index, len(arrays["customers"]["id"]), rows["customers"][:3].tolist()
        (0, 20, [0, 1, 2])
    """
    cut = part_rows(tables, n_parts, network=network)
    outside = tables.to_arrays()
    return [
        (index, {name: {c: v[rows[name]] for c, v in outside[name].items()} for name in rows}, rows)
        for index, rows in enumerate(cut)
    ]


def build_part(
    index: int,
    arrays: Mapping[str, Mapping[str, NDArray[Any]]],
    rows: Mapping[str, _I64],
    currency: str,
) -> Part:
    """A [`Part`][aftersales_crm.dask.Part] from its outside arrays, checked.

    [`from_arrays`][aftersales_crm.tables.Tables.from_arrays] checks them: a reference left
    dangling by the cut would be an error naming its row.

    Examples:
        >>> from aftersales_crm import synthetic
        >>> tables = synthetic.tables(20, seed=1)
        >>> (index, arrays, rows), = outside_parts(tables, 1)
        >>> build_part(index, arrays, rows, tables.currency).tables == tables
        True
    """
    built = Tables.from_arrays(currency=currency, **arrays)
    return Part(index=index, tables=built, rows=dict(rows))


def split(
    tables: Tables,
    n_parts: int,
    *,
    network: Sequence[str] = NETWORK_TABLES,
    checked: bool = False,
) -> list[Part]:
    """The customer base cut into ``n_parts`` parts along its connected components.

    Each part holds whole components (a customer with every fact of theirs and every
    customer those facts reach) and a copy of the network tables. Nothing is lost or
    made twice: every row of a split table is in exactly one part, in the same order
    as in ``tables``. A part may be empty.

    Args:
        tables: the customer base.
        n_parts: the number of parts, at least 1.
        network: the tables copied to every part (default
            [`NETWORK_TABLES`][aftersales_crm.dask.NETWORK_TABLES]).
        checked: ``False`` (default) takes each part's rows from the tables, checked
            already, renumbering the references (the constructor of
            [`Tables`][aftersales_crm.tables.Tables] refuses one left dangling);
            ``True`` builds each part again through
            [`to_arrays`][aftersales_crm.tables.Tables.to_arrays] and
            [`from_arrays`][aftersales_crm.tables.Tables.from_arrays], every check of the
            ingest run again (some fifty times slower; the parts are equal).

    Returns:
        The parts, numbered from 0.

    Raises:
        InvalidValue: ``n_parts`` is not a whole number >= 1, or ``network`` names an
            unknown table.
        InvalidType: ``tables`` is not a [`Tables`][aftersales_crm.tables.Tables].

    Examples:
        >>> from aftersales_crm import synthetic
        >>> tables = synthetic.tables(500, seed=1)
        >>> parts = split(tables, 4)
        >>> sum(len(p.tables.orders) for p in parts) == len(tables.orders)
        True
        >>> all(len(p.tables.dealers) == len(tables.dealers) for p in parts)
        True
        >>> split(tables, 0)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidValue: the number of parts is 0, expected a whole number >= 1
    """
    if checked:
        return [
            build_part(index, arrays, rows, tables.currency)
            for index, arrays, rows in outside_parts(tables, n_parts, network=network)
        ]
    return [
        take_part(tables, index, rows)
        for index, rows in enumerate(part_rows(tables, n_parts, network=network))
    ]


def merge_rows(results: Sequence[Any], rows: Sequence[_I64]) -> Any:
    """The per-part results of a row-aligned computation, as one result in the whole's order.

    Each result is an attrs instance (``Labels``, ``Scores``, ``Balances``…) whose array
    attributes with one value per row (first axis of the result's length) are joined and
    put back in the order of ``rows``, the rows' positions in the whole; its other
    attributes must be equal in every part.

    Args:
        results: one result per part.
        rows: per part, int64 array of the global position of each result row.

    Returns:
        One result of the same type.

    Raises:
        InvalidValue: no result, results of different types, or a non-row attribute that
            differs between parts.

    Examples:
        >>> import numpy as np
        >>> from aftersales_crm.policies import Labels
        >>> a = Labels(np.array([0, 1]), ("x", "y"), ids=np.array(["C0", "C3"]))
        >>> b = Labels(np.array([1]), ("x", "y"), ids=np.array(["C1"]))
        >>> merged = merge_rows([a, b], [np.array([0, 2]), np.array([1])])
        >>> merged.ids.tolist(), merged.codes.tolist()
        (['C0', 'C1', 'C3'], [0, 1, 1])
    """
    if not results:
        msg = "merge_rows needs at least one result"
        raise InvalidValue(msg, code="invalid_argument")
    kind = type(results[0])
    if not attrs.has(kind) or any(type(r) is not kind for r in results):
        msg = f"merge_rows joins results of one attrs class, got {[type(r).__name__ for r in results]}"
        raise InvalidValue(msg, code="invalid_argument")
    where = np.concatenate([np.asarray(r, dtype=np.int64) for r in rows])
    order = np.argsort(where, kind="stable")
    changes: dict[str, Any] = {}
    for field in attrs.fields(kind):
        if not field.init:
            continue
        values = [getattr(r, field.name) for r in results]
        first = values[0]
        lengths = [len(r) for r in results]
        if isinstance(first, np.ndarray) and all(
            isinstance(v, np.ndarray) and v.ndim >= 1 and len(v) == n
            for v, n in zip(values, lengths, strict=True)
        ):
            changes[field.name] = np.concatenate(values)[order]
        elif not all(_same(first, v) for v in values[1:]):
            msg = f"{kind.__name__}.{field.name} differs between the parts"
            raise InvalidValue(msg, code="invalid_argument")
    return attrs.evolve(results[0], **changes)


def _same(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    return bool(a == b)
