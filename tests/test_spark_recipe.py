"""The Spark recipe of the Dask guide, run as written, gives the single-process classes.

The recipe is read from ``docs/dask.md`` (the code block after ``<!-- spark-recipe -->``),
so the page and the test cannot drift apart. It needs pyspark (the ``spark`` extra) and a
Java runtime; without them the test is skipped, saying which is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from aftersales_crm import features, synthetic
from aftersales_crm.segmentation import ParetoABC

# pyspark warns that it does not fully support pandas 3 (and calls pandas with a keyword
# pandas 3 deprecates), which the recipe's plain frames do not need.
pytestmark = [
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:Cannot infer the eval type from type hints:UserWarning"),
]

PAGE = Path(__file__).resolve().parent.parent / "docs" / "dask.md"
RECIPE = re.compile(r"<!-- spark-recipe -->\s*```python\n(.*?)```", re.DOTALL)
AS_OF = date(2026, 6, 30)


def recipe() -> dict[str, Any]:
    found = RECIPE.search(PAGE.read_text(encoding="utf-8"))
    assert found is not None, "docs/dask.md has no Spark recipe"
    namespace: dict[str, Any] = {}
    exec(compile(found.group(1), str(PAGE), "exec"), namespace)
    return namespace


def test_the_recipe_on_the_page_compiles() -> None:
    assert callable(recipe()["spark_pareto"])


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pyspark_sql = pytest.importorskip("pyspark.sql", reason="pyspark is not installed")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime: Spark cannot start")
    # The Python workers run this interpreter (with the library's dependencies).
    names = ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")
    before = {name: os.environ.get(name) for name in names}
    os.environ.update(dict.fromkeys(names, sys.executable))
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("aftersales-crm-recipe")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    try:
        yield session
    finally:
        session.stop()
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_the_spark_recipe_gives_the_single_process_classes(spark: Any) -> None:
    tables = synthetic.tables(500, seed=4)
    got = recipe()["spark_pareto"](spark, tables, AS_OF, npartitions=3)
    feats = features.compute(tables, as_of=AS_OF)
    expected = ParetoABC().fit(feats).assign(feats)
    order = feats.ids.argsort()
    assert got["customer_id"].tolist() == feats.ids[order].tolist()
    assert got["tier"].tolist() == expected.values()[order].tolist()
