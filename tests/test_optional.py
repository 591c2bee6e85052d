"""Optional integrations are imported lazily, with an error naming the extra."""

from __future__ import annotations

import pytest

from aftersales_crm._optional import require
from aftersales_crm.errors import MissingDependencyError


def test_a_missing_optional_module_raises_an_error_naming_the_extra() -> None:
    with pytest.raises(MissingDependencyError, match=r"aftersales-crm\[arrow\]"):
        require("no_such_module_for_aftersales_tests", extra="arrow")


def test_a_missing_optional_module_is_still_an_import_error() -> None:
    with pytest.raises(ImportError):
        require("no_such_module_for_aftersales_tests", extra="arrow")
