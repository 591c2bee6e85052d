"""Regenerate ``tests/records/schemas.json``, the snapshot ``test_schemas.py`` pins.

Run it from the project root after an intended schema change, then review the diff::

    .venv/bin/python tests/records/update_schemas.py

What the snapshot holds, and how it is written, is defined once in ``test_schemas.py``.
"""

from __future__ import annotations


def main() -> None:
    """Write the current schemas of records and value types to the snapshot."""
    # Imported here, not at the top: pytest's --doctest-modules imports this file without
    # tests/records on sys.path; run as a script, this folder is sys.path[0].
    from test_schemas import SNAPSHOT, current_snapshot, render

    SNAPSHOT.write_text(render(current_snapshot()), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
