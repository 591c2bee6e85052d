"""Places on the Earth: WGS-84 points, great-circle distances, bearings and compass sectors.

Region segmentation places each customer in a compass sector around the dealer and in a
distance ring (the CSI course's 区域分类: 东方/南方/西方/北方区域客户, "服务店覆盖的范围" of 5公里 and
10公里). [`GeoPoint`][aftersales_crm.values.GeoPoint] is one point; [`haversine_km`][aftersales_crm.values.haversine_km],
[`bearing_deg`][aftersales_crm.values.bearing_deg] and [`sector_codes`][aftersales_crm.values.sector_codes] do the same work over whole numpy columns, and
the methods of [`GeoPoint`][aftersales_crm.values.GeoPoint] call them, so each formula is written once.

Coordinates are WGS-84 degrees (the GPS datum). Maps in China do not use WGS-84: AMap
(Gaode) and Tencent Maps publish GCJ-02 coordinates, and Baidu Maps publishes BD-09, a
further transform of GCJ-02. Both are deliberately offset from WGS-84 by up to several
hundred metres, differently in different places, so a distance between a GCJ-02 point and
a WGS-84 point, or between points from different map providers, means nothing at the
scale of a 5 km ring. **This library does not convert datums**: convert map coordinates to
WGS-84 before building points (or at least use one datum for every point you compare).

Distances treat the Earth as a sphere of the IUGG mean radius, which is within 0.5% of the
ellipsoidal distance: ample for rings measured in kilometres.

Examples:
    >>> from aftersales_crm.values._geo import GeoPoint
    >>> tiananmen = GeoPoint(39.9087, 116.3975)
    >>> peoples_square = GeoPoint(31.2304, 121.4737)
    >>> round(tiananmen.distance_km(peoples_square), 1)
    1068.1
    >>> round(tiananmen.bearing_deg(peoples_square), 1), tiananmen.sector(peoples_square)
    (153.0, <CompassSector.SOUTH: 'south'>)
    >>> tiananmen.sector(peoples_square, winds=8).label("zh")
    '东南'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal, get_args

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic_core import core_schema

from aftersales_crm.errors import InvalidComponent, InvalidType, InvalidValue
from aftersales_crm.values._codes import NONE_CODE
from aftersales_crm.values._enums import CompassSector
from aftersales_crm.values._schema import value_object_schema

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = [
    "EARTH_MEAN_RADIUS_KM",
    "MISSING_SECTOR_CODE",
    "GeoPoint",
    "Winds",
    "bearing_deg",
    "haversine_km",
    "sector_codes",
]

EARTH_MEAN_RADIUS_KM: Final[float] = 6371.0088
"""Mean radius of the Earth in kilometres, used for every great-circle distance.

The IUGG mean radius R1 = (2a + b) / 3 of the GRS 80 ellipsoid (whose axes WGS-84 shares
to within 0.1 mm): 6 371 008.7714 m.

Examples:
    >>> EARTH_MEAN_RADIUS_KM
    6371.0088

References:
    H. Moritz, "Geodetic Reference System 1980", Journal of Geodesy 74 (2000) 128-133,
    table of derived geometric constants (mean radius R1).
"""

MISSING_SECTOR_CODE: Final[int] = NONE_CODE
"""The code [`sector_codes`][aftersales_crm.values.sector_codes] gives a missing bearing (NaN), as pandas codes a missing category.

Examples:
    >>> sector_codes([float("nan")]).tolist()
    [-1]
"""

Winds = Literal[4, 8]
"""How many compass sectors to use: 4 (cardinal) or 8 (cardinal and intercardinal).

Examples:
    >>> from typing import get_args
    >>> get_args(Winds)
    (4, 8)
"""

_LATITUDE_LIMIT_DEG: Final = 90.0
"""Latitudes lie in [-90, 90] degrees: the poles."""

_LONGITUDE_LIMIT_DEG: Final = 180.0
"""Longitudes lie in [-180, 180] degrees: the antimeridian, both ways from Greenwich."""

_FULL_TURN_DEG: Final = 360.0
"""A full turn of the compass in degrees; bearings lie in [0, 360)."""

_SECTORS: Final[tuple[CompassSector, ...]] = tuple(CompassSector)
"""Every sector clockwise from north; a sector's code is its position here."""

_WINDS: Final[tuple[int, ...]] = get_args(Winds)
"""The supported numbers of compass sectors, the values of ``Winds``."""

_NUMERIC_KINDS: Final = frozenset("iuf")
"""numpy dtype kinds accepted as degrees: signed and unsigned integers, floats."""


def _as_degrees(
    values: ArrayLike, *, axis: str, limit: float, missing_ok: bool
) -> NDArray[np.float64]:
    """Turn degrees into a float64 array, checking their type and range.

    Args:
        values: a number or an array-like of numbers, in degrees.
        axis: ``"latitude"`` or ``"longitude"``, for error codes and messages.
        limit: the largest absolute value allowed.
        missing_ok: whether NaN (a missing coordinate) is allowed.

    Returns:
        float64 array of the same shape as ``values``.

    Raises:
        InvalidValue: with code ``"<axis>_type"`` when the values are not numbers
            (booleans and strings are not).
        InvalidComponent: with code ``"<axis>_range"`` when a value is outside
            [-limit, limit] or infinite, or NaN without ``missing_ok``.
    """
    array = np.asarray(values)
    if array.dtype.kind not in _NUMERIC_KINDS:
        got = f"{values!r}" if array.ndim == 0 else f"an array of dtype {array.dtype}"
        raise InvalidValue(
            f"{axis} must be a real number of degrees, got {got}", code=f"{axis}_type"
        )
    degrees = array.astype(np.float64)
    outside = ~(np.abs(degrees) <= limit)
    if missing_ok:
        outside &= ~np.isnan(degrees)
    if outside.any():
        first = degrees[outside].flat[0]
        where = "" if degrees.ndim == 0 else f" ({np.count_nonzero(outside)} values out of range)"
        raise InvalidComponent(
            f"{axis} is {first}, must be a finite number of degrees in "
            f"[{-limit:g}, {limit:g}]{where}",
            code=f"{axis}_range",
        )
    return degrees


def _radians(lat: ArrayLike, lon: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Check latitudes and longitudes in degrees and return them in radians; NaN is missing."""
    phi = _as_degrees(lat, axis="latitude", limit=_LATITUDE_LIMIT_DEG, missing_ok=True)
    lam = _as_degrees(lon, axis="longitude", limit=_LONGITUDE_LIMIT_DEG, missing_ok=True)
    return np.radians(phi), np.radians(lam)


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle distance in kilometres between points, by the haversine formula.

    The arguments broadcast against each other like numpy arrays: distances from one
    dealer to every customer take two scalars and two columns. The Earth is a sphere of
    radius [`EARTH_MEAN_RADIUS_KM`][aftersales_crm.values.EARTH_MEAN_RADIUS_KM].

    Args:
        lat1: latitudes of the start points, WGS-84 degrees in [-90, 90].
        lon1: longitudes of the start points, WGS-84 degrees in [-180, 180].
        lat2: latitudes of the end points.
        lon2: longitudes of the end points.

    Returns:
        float64 array of the broadcast shape (0-dimensional for four scalars), each
        distance in [0, pi * EARTH_MEAN_RADIUS_KM]; NaN where a coordinate is NaN
        (missing).

    Raises:
        InvalidValue: with code ``"latitude_type"`` / ``"longitude_type"`` for
            non-numeric input (booleans, strings).
        InvalidComponent: with code ``"latitude_range"`` / ``"longitude_range"`` for a
            coordinate outside its range or infinite.

    Examples:
        >>> import numpy as np
        >>> lat = np.array([39.95, 39.9087, np.nan])
        >>> lon = np.array([116.40, 116.50, 116.40])
        >>> haversine_km(39.9087, 116.3975, lat, lon).round(3)
        array([4.597, 8.743,   nan])
        >>> haversine_km(91.0, 0.0, 0.0, 0.0)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: latitude is 91.0, must be ... in [-90, 90]

    References:
        R. W. Sinnott, "Virtues of the Haversine", Sky and Telescope 68(2) (1984) 159.
    """
    phi1, lam1 = _radians(lat1, lon1)
    phi2, lam2 = _radians(lat2, lon2)
    half_chord_sq = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    )
    # Rounding can push the squared half chord a hair above 1 for antipodal points.
    central_angle = 2 * np.arcsin(np.sqrt(np.clip(half_chord_sq, 0.0, 1.0)))
    return np.asarray(EARTH_MEAN_RADIUS_KM * central_angle, dtype=np.float64)


def bearing_deg(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Initial great-circle bearing from the first points to the second, in degrees.

    Bearings are measured clockwise from true north: 0 is north, 90 east, 180 south, 270
    west. From a point to itself the bearing is 0 by convention. The arguments broadcast
    like those of [`haversine_km`][aftersales_crm.values.haversine_km].

    Args:
        lat1: latitudes of the start points, WGS-84 degrees in [-90, 90].
        lon1: longitudes of the start points, WGS-84 degrees in [-180, 180].
        lat2: latitudes of the end points.
        lon2: longitudes of the end points.

    Returns:
        float64 array of the broadcast shape, each bearing in [0, 360); NaN where a
        coordinate is NaN (missing).

    Raises:
        InvalidValue: with code ``"latitude_type"`` / ``"longitude_type"`` for
            non-numeric input.
        InvalidComponent: with code ``"latitude_range"`` / ``"longitude_range"`` for a
            coordinate outside its range or infinite.

    Examples:
        >>> bearing_deg(0.0, 0.0, [1.0, 0.0, -1.0, 0.0], [0.0, 1.0, 0.0, -1.0]).tolist()
        [0.0, 90.0, 180.0, 270.0]

    References:
        C. Veness, "Calculate distance, bearing and more between latitude/longitude
        points", Movable Type Scripts (initial bearing formula).
    """
    phi1, lam1 = _radians(lat1, lon1)
    phi2, lam2 = _radians(lat2, lon2)
    delta_lam = lam2 - lam1
    east = np.sin(delta_lam) * np.cos(phi2)
    north = np.cos(phi1) * np.sin(phi2) - np.sin(phi1) * np.cos(phi2) * np.cos(delta_lam)
    bearing = np.mod(np.degrees(np.arctan2(east, north)), _FULL_TURN_DEG)
    # A tiny negative angle modulo 360 rounds up to exactly 360, which is north again.
    return np.asarray(np.where(bearing == _FULL_TURN_DEG, 0.0, bearing), dtype=np.float64)


def sector_codes(bearings: ArrayLike, winds: Winds = 4) -> NDArray[np.int8]:
    """Compass sector codes of bearings: positions in ``list(CompassSector)``.

    Each sector is centred on its compass direction and is a half-open interval of
    bearings ``[start, end)``: with 4 winds north is [315, 45), east [45, 135), south
    [135, 225) and west [225, 315); with 8 winds north is [337.5, 22.5), north-east
    [22.5, 67.5), and so on. A bearing exactly on a boundary therefore belongs to the next
    sector clockwise. Bearings outside [0, 360) are taken modulo 360.

    Codes index ``list(CompassSector)`` whatever the number of winds (north 0, north-east
    1, east 2, …, north-west 7), so with 4 winds only the even codes occur, and the codes
    can become a pandas ``Categorical`` with ``categories=list(CompassSector)``.

    Args:
        bearings: bearings in degrees clockwise from north, a number or an array-like.
        winds: 4 for north/east/south/west, 8 to add the intercardinal sectors.

    Returns:
        int8 array of the shape of ``bearings``; [`MISSING_SECTOR_CODE`][aftersales_crm.values.MISSING_SECTOR_CODE] (-1) where a
        bearing is NaN or infinite (missing).

    Raises:
        InvalidValue: with code ``"compass_winds"`` when ``winds`` is not 4 or 8, and
            ``"bearing_type"`` when the bearings are not numbers (booleans, strings).

    Examples:
        >>> codes = sector_codes([0.0, 44.9, 45.0, 180.0, 314.9, 315.0])
        >>> codes.tolist()
        [0, 0, 2, 4, 6, 0]
        >>> [list(CompassSector)[code].label("zh") for code in codes]
        ['北', '北', '东', '南', '西', '北']
        >>> sector_codes([22.5, 350.0, -10.0], winds=8).tolist()
        [1, 0, 0]
    """
    requested: object = winds  # typed Literal[4, 8], but callers may pass anything
    if isinstance(requested, bool) or not isinstance(requested, int) or requested not in _WINDS:
        raise InvalidValue(f"compass winds must be 4 or 8, not {winds!r}", code="compass_winds")
    width = _FULL_TURN_DEG / winds
    # Sector i (clockwise from north) ends where sector i + 1 starts: at (i + 1/2) widths.
    ends = (np.arange(winds) + 0.5) * width
    array = np.asarray(bearings)
    if array.dtype.kind not in _NUMERIC_KINDS:
        got = f"{bearings!r}" if array.ndim == 0 else f"an array of dtype {array.dtype}"
        raise InvalidValue(
            f"bearings must be real numbers of degrees, got {got}", code="bearing_type"
        )
    degrees = array.astype(np.float64)
    finite = np.isfinite(degrees)
    turned = np.mod(np.where(finite, degrees, 0.0), _FULL_TURN_DEG)
    # side="right": a bearing equal to an end already belongs to the next sector; the last
    # sector past 360 - width/2 wraps round to north.
    position = np.searchsorted(ends, turned, side="right") % winds
    codes = position * (len(_SECTORS) // winds)
    return np.where(finite, codes, MISSING_SECTOR_CODE).astype(np.int8)


def _coordinate(value: ArrayLike, *, axis: str, limit: float) -> float:
    """Check one coordinate of a [`GeoPoint`][aftersales_crm.values.GeoPoint] and return it as a float."""
    if np.ndim(value) != 0:
        raise InvalidValue(
            f"{axis} must be one real number of degrees, got {value!r}", code=f"{axis}_type"
        )
    return float(_as_degrees(value, axis=axis, limit=limit, missing_ok=False))


def _latitude(value: float) -> float:
    """Check the latitude of a [`GeoPoint`][aftersales_crm.values.GeoPoint] and return it as a float."""
    return _coordinate(value, axis="latitude", limit=_LATITUDE_LIMIT_DEG)


def _longitude(value: float) -> float:
    """Check the longitude of a [`GeoPoint`][aftersales_crm.values.GeoPoint] and return it as a float."""
    return _coordinate(value, axis="longitude", limit=_LONGITUDE_LIMIT_DEG)


def _point(other: object) -> None:
    """Refuse, with the library's error, anything but a [`GeoPoint`][aftersales_crm.values.GeoPoint] to measure to."""
    if not isinstance(other, GeoPoint):
        msg = f"expected a GeoPoint, got {type(other).__name__} {other!r:.80}"
        raise InvalidType(msg)


@attrs.frozen
class GeoPoint:
    """A point on the Earth in WGS-84 degrees (not GCJ-02 or BD-09: see the module notes).

    Integers are accepted and stored as floats; booleans, strings, NaN and infinities are
    not.

    Attributes:
        lat: latitude in degrees, [-90, 90], positive north.
        lon: longitude in degrees, [-180, 180], positive east.

    Raises:
        InvalidValue: with code ``"latitude_type"`` / ``"longitude_type"`` when a
            coordinate is not a real number.
        InvalidComponent: with code ``"latitude_range"`` / ``"longitude_range"`` when a
            coordinate is outside its range, NaN or infinite.

    Examples:
        >>> GeoPoint(39.9087, 116.3975)
        GeoPoint(lat=39.9087, lon=116.3975)
        >>> GeoPoint(116.3975, 39.9087)
        Traceback (most recent call last):
        ...
        aftersales_crm.errors.InvalidComponent: latitude is 116.3975, must be ... in [-90, 90]

        In a pydantic model a point reads and writes ``{"lat": ..., "lon": ...}``:

        >>> from pydantic import BaseModel
        >>> class Site(BaseModel):
        ...     location: GeoPoint
        >>> site = Site.model_validate_json('{"location": {"lat": 39.9, "lon": 116.4}}')
        >>> site.location, site.model_dump_json()
        (GeoPoint(lat=39.9, lon=116.4), '{"location":{"lat":39.9,"lon":116.4}}')

    References:
        NIMA TR8350.2, "Department of Defense World Geodetic System 1984" (WGS-84).
    """

    lat: float = attrs.field(converter=_latitude)
    lon: float = attrs.field(converter=_longitude)

    def distance_km(self, other: GeoPoint) -> float:
        """Great-circle distance to another point, in kilometres (see [`haversine_km`][aftersales_crm.values.haversine_km]).

        Args:
            other: the other point.

        Returns:
            The distance, symmetric and zero from a point to itself.

        Examples:
            >>> dealer, home = GeoPoint(39.9087, 116.3975), GeoPoint(39.95, 116.40)
            >>> round(dealer.distance_km(home), 2)
            4.6
        """
        _point(other)
        return float(haversine_km(self.lat, self.lon, other.lat, other.lon))

    def bearing_deg(self, other: GeoPoint) -> float:
        """Initial bearing from this point towards another, in degrees ([`bearing_deg`][aftersales_crm.values.GeoPoint.bearing_deg]).

        Args:
            other: the point looked at.

        Returns:
            Degrees clockwise from north in [0, 360); 0 towards the point itself.

        Examples:
            >>> round(GeoPoint(39.9087, 116.3975).bearing_deg(GeoPoint(39.95, 116.40)), 1)
            2.7
        """
        _point(other)
        return float(bearing_deg(self.lat, self.lon, other.lat, other.lon))

    def sector(self, other: GeoPoint, *, winds: Winds = 4) -> CompassSector:
        """The compass sector in which another point lies, seen from this one.

        Sectors are half-open intervals of the bearing, as [`sector_codes`][aftersales_crm.values.sector_codes] describes:
        with 4 winds a point due north-east (bearing exactly 45) is east. The point itself
        is north by convention (its bearing is 0).

        Args:
            other: the point looked at (a customer's home, seen from the dealer).
            winds: 4 for north/east/south/west, 8 to add the intercardinal sectors.

        Returns:
            The sector; with 4 winds always one of the cardinal sectors.

        Raises:
            InvalidValue: with code ``"compass_winds"`` when ``winds`` is not 4 or 8.

        Examples:
            >>> dealer, home = GeoPoint(39.9087, 116.3975), GeoPoint(39.95, 116.40)
            >>> dealer.sector(home), dealer.sector(home).label("zh")
            (<CompassSector.NORTH: 'north'>, '北')
            >>> home.sector(dealer, winds=8).label("en")
            'south'
        """
        return _SECTORS[int(sector_codes(self.bearing_deg(other), winds=winds))]

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """Read and write points as ``{"lat": ..., "lon": ...}`` in pydantic models."""
        coordinate = {
            "lat": _LATITUDE_LIMIT_DEG,
            "lon": _LONGITUDE_LIMIT_DEG,
        }
        return value_object_schema(
            cls,
            parse=lambda data: cls(data["lat"], data["lon"]),
            dump=lambda point: {"lat": point.lat, "lon": point.lon},
            json_schema=core_schema.typed_dict_schema(
                {
                    name: core_schema.typed_dict_field(
                        core_schema.float_schema(
                            ge=-limit, le=limit, allow_inf_nan=False, strict=True
                        )
                    )
                    for name, limit in coordinate.items()
                },
                extra_behavior="forbid",
            ),
        )
