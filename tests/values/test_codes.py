"""NONE_CODE: the one code of "none" that every integer-coded column shares."""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import itertools

import numpy as np

from aftersales_crm import features, synthetic
from aftersales_crm.values import MISSING_SECTOR_CODE, NONE_CODE, sector_codes

_codes = importlib.import_module("aftersales_crm.values._codes")  # where NONE_CODE is written


def test_the_docstring_example_of_none_code_runs() -> None:
    tree = ast.parse(inspect.getsource(_codes))
    body = tree.body
    docstring = next(
        after.value.value
        for node, after in itertools.pairwise(body)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "NONE_CODE"
        and isinstance(after, ast.Expr)
        and isinstance(after.value, ast.Constant)
    )
    assert isinstance(docstring, str)
    test = doctest.DocTestParser().get_doctest(docstring, {}, "NONE_CODE", _codes.__file__, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).attempted > 0
    assert runner.summarize(verbose=False).failed == 0


def test_a_missing_sector_a_missing_reference_and_a_missing_row_share_the_none_code() -> None:
    assert MISSING_SECTOR_CODE == NONE_CODE == -1
    assert sector_codes([float("nan")]).tolist() == [NONE_CODE]
    tables = synthetic.tables(n_customers=30, seed=2)
    # Only some orders are comebacks: the rest point to no order, with the none code.
    comeback = tables.orders["comeback"]
    assert (comeback == NONE_CODE).any()
    assert set(np.unique(comeback[comeback < 0]).tolist()) == {NONE_CODE}
    feats = features.compute(tables, as_of=synthetic.DEFAULT_AS_OF)
    owners = feats.vehicle_owners()
    assert owners.min() >= NONE_CODE
