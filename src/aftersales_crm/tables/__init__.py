"""Columnar tables: the whole customer base as numpy columns, checked on the way in.

[`Tables`][aftersales_crm.tables.Tables] holds one table for each registered fact kind (dealers, chapters, customers,
consent changes, vehicles, ownerships, repair orders and their lines, contacts, complaints
and their updates, referrals, club activities, and any kind you register) as read-only
numpy columns: categoricals as small integer
codes of their enum, money as int64 minor units with the currency kept once, dates as
``datetime64[D]`` and instants as ``datetime64[us]`` in UTC. Build them from a
[`Book`][aftersales_crm.records.Book], from plain arrays, from pandas or from Arrow;
every bad row is reported in one [`TableValidationError`][aftersales_crm.errors.TableValidationError]
and none is dropped. The way back is lossless: tables → records gives equal records and
tables → pandas → tables gives equal tables.

Examples:
    >>> from aftersales_crm import synthetic
    >>> from aftersales_crm.tables import Tables
    >>> tables = synthetic.columns(100, seed=1).tables()
    >>> tables.lines["labour_fen"].dtype, tables.customers["birthday"].dtype
    (dtype('int64'), dtype('<M8[D]'))
"""

from __future__ import annotations

from aftersales_crm.records import Column, ColumnKind, TableSchema
from aftersales_crm.tables._ingest import resolve
from aftersales_crm.tables._schemas import SCHEMAS
from aftersales_crm.tables._table import Table
from aftersales_crm.tables._tables import Tables

__all__ = ["SCHEMAS", "Column", "ColumnKind", "Table", "TableSchema", "Tables", "resolve"]
