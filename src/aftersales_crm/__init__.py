"""aftersales_crm: automotive after-sales customer relationship management, as pure domain logic.

The library models the work of keeping car owners coming back after the sale. This
release holds exact values and identifiers; validated records of customers, vehicles,
repair orders, contacts, complaints and club activities, kept whole by a ``Book``;
columnar tables and the feature engine over many customers; segmentation; and loyalty
with the loyalty × value matrix. It reads no clock, opens no files and draws no unseeded
random numbers; every time-dependent call takes ``as_of``.

The top level exports only the entry points; everything else lives in a subpackage.

Examples:
    >>> import aftersales_crm as crm
    >>> crm.__version__
    '0.1.0'
    >>> crm.values.Money.parse("¥1,234.50")
    Money('1234.50', 'CNY')
    >>> crm.Book.from_records(crm.synthetic.book(n_customers=3, seed=1).records())
    Book(dealers=2, chapters=..., customers=3, consents=..., vehicles=..., ownerships=..., repair_orders=..., contacts=...)
"""

from __future__ import annotations

from aftersales_crm import errors, records, synthetic, values
from aftersales_crm.records import Book

__version__ = "0.1.0"

__all__ = ["Book", "__version__", "errors", "records", "synthetic", "values"]
