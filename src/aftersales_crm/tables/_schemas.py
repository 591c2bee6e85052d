"""``SCHEMAS``: every registered table's schema by name, a live view of the registry."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from aftersales_crm.records import TableSchema, table_schemas

__all__ = ["SCHEMAS"]


class _Schemas(Mapping[str, TableSchema]):
    """A read-only mapping that reads the registry of fact kinds on every use."""

    def __getitem__(self, name: str) -> TableSchema:
        return table_schemas()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(table_schemas())

    def __len__(self) -> int:
        return len(table_schemas())

    def __repr__(self) -> str:
        return f"SCHEMAS({list(self)})"

    def __reduce__(self) -> str:
        return "SCHEMAS"


SCHEMAS: Final[Mapping[str, TableSchema]] = _Schemas()
"""Every table's schema by name, in building order (targets before references).

A live view of the registry of fact kinds: a kind registered later shows its tables here.

Examples:
    >>> list(SCHEMAS)
    ['dealers', 'chapters', 'customers', 'consents', 'vehicles', 'ownerships', 'orders', 'lines', 'contacts', 'complaints', 'complaint_updates', 'referrals', 'activities']
"""
