"""The command line's parts: report sections, the vendor export, renderers, progress.

Private to ``aftersales_crm.__main__``, the only module that prints or touches files:
the sections and renderers here are pure (they return lines, data and bytes), and only
``aftersales_crm._cli._export`` reads files, for the ``report`` command.
"""

from __future__ import annotations

__all__: list[str] = []
