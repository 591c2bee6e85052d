"""Identifiers drawn a column at a time: row ids, VINs, national IDs, advisor ids.

Every identifier is valid: VIN check digits follow ISO 3779 and national ID check
characters GB 11643, computed over the whole column by [`aftersales_crm.values`][aftersales_crm.values].
Nothing here builds a Python object per row except where a text column of the tables
needs one.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from aftersales_crm.synthetic._world import ADVISORS_PER_DEALER
from aftersales_crm.values import Gender, national_id, vin

_VINS_PER_VDS: Final = 23 * 1_000_000
_VIN_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_MODEL_YEAR_CODES: Final = {
    2016: "G", 2017: "H", 2018: "J", 2019: "K", 2020: "L", 2021: "M", 2022: "N",
    2023: "P", 2024: "R", 2025: "S", 2026: "T", 2027: "V", 2028: "W", 2029: "X",
}  # fmt: skip
_MALE: Final = list(Gender).index(Gender.MALE)

#: Code points of "0000" … "9999", to write four digits with one gather.
_FOUR_DIGITS = (np.arange(10_000)[:, None] // np.array([1000, 100, 10, 1]) % 10 + ord("0")).astype(
    np.uint32
)


def digits(values: NDArray[np.int64], width: int, prefix: str = "") -> NDArray[np.str_]:
    """Zero-padded decimal strings of non-negative ints after a prefix, from code points.

    Four digits at a time through a lookup table: many times faster than ``np.char`` on
    millions of rows.
    """
    rest = np.asarray(values, dtype=np.int64)
    n = len(rest)
    codes = np.empty((n, len(prefix) + width), dtype=np.uint32)
    codes[:, : len(prefix)] = [ord(c) for c in prefix]
    end = len(prefix) + width
    while end > len(prefix):
        take = min(4, end - len(prefix))
        rest, chunk = np.divmod(rest, 10_000)
        codes[:, end - take : end] = _FOUR_DIGITS[chunk, 4 - take :]
        end -= take
    return codes.view(f"U{len(prefix) + width}").reshape(n)


def ids(prefix: str, n: int, width: int = 7) -> NDArray[np.str_]:
    """Ids ``prefix + zero-padded row number``, at least ``width`` digits, wider if needed."""
    return digits(np.arange(n), max(width, len(str(max(n - 1, 0)))), prefix)


def pick(
    rng: np.random.Generator, options: tuple[str, ...], n: int, dtype: type = str
) -> NDArray[Any]:
    """``n`` options drawn uniformly; ``dtype=object`` shares one text object per option."""
    return np.asarray(options, dtype=dtype)[rng.integers(0, len(options), n)]


def _char_matrix(strings: NDArray[np.str_], width: int) -> NDArray[np.str_]:
    return strings.astype(f"U{width}").view("U1").reshape(len(strings), width)


def vins(
    rng: np.random.Generator, wmis: tuple[str, ...], years: NDArray[np.int64]
) -> NDArray[np.str_]:
    """Unique valid VINs, one per vehicle row, with the model-year code of ``years``."""
    n = len(years)
    alphabet = np.asarray(list(_VIN_ALPHABET))
    wmi = pick(rng, wmis, n)
    vds = alphabet[rng.integers(0, len(_VIN_ALPHABET), (n, 5))]
    year_code = np.asarray([_MODEL_YEAR_CODES[int(y)] for y in range(2016, 2030)])[
        np.clip(years - 2016, 0, 13)
    ]
    index = np.arange(n)
    # Serial, plant letter and the last VDS character together number the vehicle: every
    # VIN is unique up to 10^6 × 23 × 33 vehicles.
    plant = alphabet[10 + (index // 1_000_000) % 23]
    vds[:, 4] = np.where(index < _VINS_PER_VDS, vds[:, 4], alphabet[(index // _VINS_PER_VDS) % 33])
    serial = digits(index % 1_000_000, 6)
    body = np.concatenate(
        [_char_matrix(wmi, 3), vds, np.full((n, 1), "0"), year_code[:, None], plant[:, None],
         _char_matrix(serial, 6)],
        axis=1,
    )  # fmt: skip
    # Position 9 holds "0" until the check characters, computed over the whole column, replace it.
    body[:, vin.CHECK_POSITION] = vin.check_digits(body.view("U17").reshape(n))
    return body.view("U17").reshape(n)


def national_ids(
    rng: np.random.Generator, counties: NDArray[np.int64], birthdays: NDArray[np.datetime64],
    genders: NDArray[np.int64],
) -> NDArray[np.str_]:  # fmt: skip
    """Valid national IDs that agree with each row's county, birthday and gender."""
    n = len(counties)
    days = birthdays.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    ymd = (
        year * 10_000
        + (months.astype(np.int64) % 12 + 1) * 100
        + (days - months).astype(np.int64)
        + 1
    )
    sequence = rng.integers(0, 500, n) * 2 + np.where(genders == _MALE, 1, 0)
    body = digits(counties * 10**11 + ymd * 1_000 + sequence, 17)
    check = national_id.check_digits(body)
    out = np.empty((n, 18), dtype=np.uint32)
    out[:, :17] = body.view(np.uint32).reshape(n, 17)
    out[:, 17] = check.view(np.uint32) if n else 0
    return out.view("U18").reshape(n)


def advisors(dealer: NDArray[np.int64], n_dealers: int) -> NDArray[np.object_]:
    """The service advisor of each order: ``SA``, the dealer's row in four digits, a desk.

    The desk is the order's row modulo ``ADVISORS_PER_DEALER``, so each dealer's
    advisors share its orders in turn. Orders of one dealer and desk share one text object.

    Args:
        dealer: int64 array of shape (n_orders,), the dealer row of each order.
        n_dealers: how many dealers there are.

    Returns:
        Object array of shape (n_orders,) of advisor ids such as ``"SA00073"``.
    """
    desks = ADVISORS_PER_DEALER
    names = np.array(
        [f"SA{d:04d}{k}" for d in range(n_dealers) for k in range(desks)], dtype=object
    )
    chosen: NDArray[np.object_] = names[dealer * desks + np.arange(len(dealer)) % desks]
    return chosen
