"""Points, distances, bearings and compass sectors."""

from __future__ import annotations

import ast
import doctest
import inspect
import math
import sys
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from aftersales_crm.errors import InvalidComponent, InvalidValue
from aftersales_crm.values import (
    CompassSector,
    GeoPoint,
    bearing_deg,
    haversine_km,
    sector_codes,
)

# Independent of the code under test: the IUGG mean radius (Moritz 2000) and the codes.
IUGG_MEAN_RADIUS_KM = 6371.0088
MISSING = -1
SECTORS = list(CompassSector)

TIANANMEN = GeoPoint(39.9087, 116.3975)
PEOPLES_SQUARE = GeoPoint(31.2304, 121.4737)

latitudes = st.floats(min_value=-90.0, max_value=90.0, allow_nan=False)
longitudes = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
points = st.builds(GeoPoint, latitudes, longitudes)
bearings = st.floats(min_value=0.0, max_value=360.0, exclude_max=True, allow_nan=False)


def unit_vector(p: GeoPoint) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The point on the unit sphere, in Earth-centred Cartesian coordinates."""
    phi, lam = math.radians(p.lat), math.radians(p.lon)
    return np.array([math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)])


def chord_distance_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance from the straight chord between the points: another formula."""
    chord = float(np.linalg.norm(unit_vector(a) - unit_vector(b)))
    return 2 * IUGG_MEAN_RADIUS_KM * math.asin(min(chord / 2, 1.0))


def cosine_law_distance_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance by the spherical law of cosines: fine for long distances."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    delta_lam = math.radians(b.lon - a.lon)
    cos_angle = math.sin(phi1) * math.sin(phi2) + math.cos(phi1) * math.cos(phi2) * math.cos(
        delta_lam
    )
    return IUGG_MEAN_RADIUS_KM * math.acos(cos_angle)


def vector_bearing_deg(a: GeoPoint, b: GeoPoint) -> float:
    """Bearing from the local east and north unit vectors at ``a``: another formula."""
    phi, lam = math.radians(a.lat), math.radians(a.lon)
    east = np.array([-math.sin(lam), math.cos(lam), 0.0])
    north = np.array(
        [-math.sin(phi) * math.cos(lam), -math.sin(phi) * math.sin(lam), math.cos(phi)]
    )
    target = unit_vector(b)
    return math.degrees(math.atan2(float(target @ east), float(target @ north))) % 360


def expected_code(bearing: float, winds: int) -> int:
    """The sector code of a bearing by the documented half-open intervals, written out."""
    width = 360 / winds
    for index in range(winds):
        start, end = index * width - width / 2, index * width + width / 2
        inside = (bearing >= start + 360 or bearing < end) if index == 0 else start <= bearing < end
        if inside:
            return index * (8 // winds)
    raise AssertionError(bearing)  # pragma: no cover


# ------------------------------------------------------------------ construction


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (39.9087, 116.3975),  # Beijing, Tiananmen
        (90.0, 0.0),  # the North Pole
        (-90.0, 180.0),  # the South Pole, on the antimeridian
        (0.0, -180.0),  # the antimeridian seen from the west
        (0.0, 0.0),  # null island
        (-0.0, -0.0),  # negative zero is zero
    ],
)
def test_points_accept_every_latitude_and_longitude_in_range(lat: float, lon: float) -> None:
    point = GeoPoint(lat, lon)
    assert (point.lat, point.lon) == (lat, lon)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (40, 116),  # Python ints
        (np.int64(40), np.int32(116)),  # numpy integers
        (np.float32(40.0), np.float64(116.0)),  # numpy floats
    ],
)
def test_integers_and_numpy_numbers_are_stored_as_floats(lat: Any, lon: Any) -> None:
    point = GeoPoint(lat, lon)
    assert point == GeoPoint(40.0, 116.0)
    assert type(point.lat) is float
    assert type(point.lon) is float


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (90.000001, 0.0, "latitude_range"),  # just past the North Pole
        (-90.5, 0.0, "latitude_range"),  # past the South Pole
        (116.3975, 39.9087, "latitude_range"),  # latitude and longitude swapped
        (math.nan, 0.0, "latitude_range"),  # NaN is no latitude
        (math.inf, 0.0, "latitude_range"),  # infinity is no latitude
        (0.0, 180.5, "longitude_range"),  # past the antimeridian
        (0.0, -181.0, "longitude_range"),  # past the antimeridian, westwards
        (0.0, -math.inf, "longitude_range"),  # minus infinity
        (0.0, math.nan, "longitude_range"),  # NaN is no longitude
    ],
)
def test_out_of_range_coordinates_are_refused(lat: float, lon: float, code: str) -> None:
    with pytest.raises(InvalidComponent) as info:
        GeoPoint(lat, lon)
    assert info.value.code == code
    assert str(lat if code == "latitude_range" else lon) in str(info.value)


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (True, 0.0, "latitude_type"),  # a boolean is not a number of degrees
        (0.0, False, "longitude_type"),  # nor is False
        ("39.9", 116.4, "latitude_type"),  # text is parsed elsewhere, not here
        (None, 116.4, "latitude_type"),  # a missing latitude
        (Decimal("39.9"), 116.4, "latitude_type"),  # decimals are for money
        (0.0, [116.4], "longitude_type"),  # a list is not one longitude
        (np.bool_(True), 0.0, "latitude_type"),  # numpy booleans neither
    ],
)
def test_non_numbers_are_refused(lat: Any, lon: Any, code: str) -> None:
    with pytest.raises(InvalidValue) as info:
        GeoPoint(lat, lon)
    assert info.value.code == code
    assert not isinstance(info.value, InvalidComponent)


def test_a_point_cannot_be_changed_in_place() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        TIANANMEN.lat = 0.0  # type: ignore[misc]


def test_evolving_a_point_checks_the_new_value() -> None:
    assert attrs.evolve(TIANANMEN, lat=40.0) == GeoPoint(40.0, 116.3975)
    with pytest.raises(InvalidComponent):
        attrs.evolve(TIANANMEN, lat=100.0)


def test_equal_points_hash_alike() -> None:
    assert len({GeoPoint(40, 116), GeoPoint(40.0, 116.0)}) == 1


# ------------------------------------------------------------------ distance


def test_tiananmen_to_peoples_square_is_about_1068_km() -> None:
    distance = TIANANMEN.distance_km(PEOPLES_SQUARE)
    # An independent formula agrees closely over a long distance ...
    assert distance == pytest.approx(cosine_law_distance_km(TIANANMEN, PEOPLES_SQUARE), abs=1e-6)
    # ... and the figure is the published great-circle distance (about 1068 km).
    assert distance == pytest.approx(1068.14, abs=1.0)


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        (GeoPoint(0, 0), GeoPoint(0, 180), math.pi * IUGG_MEAN_RADIUS_KM),  # half the equator
        (GeoPoint(90, 0), GeoPoint(-90, 0), math.pi * IUGG_MEAN_RADIUS_KM),  # pole to pole
        (GeoPoint(0, 0), GeoPoint(90, 0), math.pi / 2 * IUGG_MEAN_RADIUS_KM),  # equator to pole
        (GeoPoint(90, 0), GeoPoint(90, 123), 0.0),  # the pole has every longitude
        (GeoPoint(0, 180), GeoPoint(0, -180), 0.0),  # the antimeridian from both sides
        (GeoPoint(0, 179.5), GeoPoint(0, -179.5), math.pi / 180 * IUGG_MEAN_RADIUS_KM),  # across it
    ],
)
def test_distances_between_known_points(a: GeoPoint, b: GeoPoint, km: float) -> None:
    assert a.distance_km(b) == pytest.approx(km, abs=1e-6)


@given(points, points)
def test_distance_agrees_with_the_chord_formula(a: GeoPoint, b: GeoPoint) -> None:
    assert a.distance_km(b) == pytest.approx(chord_distance_km(a, b), rel=1e-9, abs=1e-3)


@given(points, points)
def test_distance_is_symmetric_and_never_negative(a: GeoPoint, b: GeoPoint) -> None:
    assert a.distance_km(b) == b.distance_km(a)
    assert 0.0 <= a.distance_km(b) <= math.pi * IUGG_MEAN_RADIUS_KM


@given(points)
def test_the_distance_from_a_point_to_itself_is_zero(a: GeoPoint) -> None:
    assert a.distance_km(a) == 0.0


@given(points, points, points)
def test_distances_obey_the_triangle_inequality(a: GeoPoint, b: GeoPoint, c: GeoPoint) -> None:
    # The haversine loses about 0.1 m near antipodal points; allow a millimetre more.
    assert a.distance_km(c) <= a.distance_km(b) + b.distance_km(c) + 1e-3


@given(points, points)
def test_the_scalar_distance_is_the_array_distance(a: GeoPoint, b: GeoPoint) -> None:
    # One formula; numpy's vectorised sin and cos may differ from the scalar ones in the
    # last bit, so the two paths agree to rounding rather than bit for bit.
    array = haversine_km(np.array([a.lat, b.lat]), np.array([a.lon, b.lon]), b.lat, b.lon)
    assert array[0] == pytest.approx(a.distance_km(b), rel=1e-12, abs=1e-9)
    assert array[1] == 0.0


# ------------------------------------------------------------------ bearing


@pytest.mark.parametrize(
    ("target", "bearing"),
    [
        (GeoPoint(1, 0), 0.0),  # due north
        (GeoPoint(0, 1), 90.0),  # due east
        (GeoPoint(-1, 0), 180.0),  # due south
        (GeoPoint(0, -1), 270.0),  # due west
        (GeoPoint(0, 0), 0.0),  # the point itself: north by convention
        (GeoPoint(90, 77), 0.0),  # the North Pole is north of everything
    ],
)
def test_bearings_from_null_island(target: GeoPoint, bearing: float) -> None:
    assert GeoPoint(0, 0).bearing_deg(target) == pytest.approx(bearing, abs=1e-9)


def test_the_bearing_from_beijing_to_shanghai_is_south_south_east() -> None:
    bearing = TIANANMEN.bearing_deg(PEOPLES_SQUARE)
    assert bearing == pytest.approx(vector_bearing_deg(TIANANMEN, PEOPLES_SQUARE), abs=1e-9)
    assert bearing == pytest.approx(153.0, abs=0.1)


def test_a_bearing_a_hair_west_of_north_stays_below_360() -> None:
    # atan2 gives a tiny negative angle here, which modulo 360 would round up to 360.0.
    bearing = GeoPoint(0.0, 0.0).bearing_deg(GeoPoint(1.0, -1e-300))
    assert 0.0 <= bearing < 360.0


@given(points, points)
def test_bearings_lie_in_zero_to_360(a: GeoPoint, b: GeoPoint) -> None:
    assert 0.0 <= a.bearing_deg(b) < 360.0


@given(points, points)
def test_bearing_agrees_with_the_vector_formula(a: GeoPoint, b: GeoPoint) -> None:
    # Away from the poles and from (nearly) coincident or antipodal points, where the
    # direction is ill-defined and both formulas amplify rounding.
    distance = a.distance_km(b)
    if abs(a.lat) > 89 or not 1 < distance < 19_000:
        return
    difference = (a.bearing_deg(b) - vector_bearing_deg(a, b) + 180) % 360 - 180
    assert abs(difference) < 1e-6


@given(points, points)
def test_the_scalar_bearing_is_the_array_bearing(a: GeoPoint, b: GeoPoint) -> None:
    array = bearing_deg([a.lat, b.lat], [a.lon, b.lon], np.array([b.lat]), np.array([b.lon]))
    # Agreement to rounding, measured round the circle (359.9999... is next to 0).
    difference = (array[0] - a.bearing_deg(b) + 180) % 360 - 180
    assert abs(difference) < 1e-9
    assert array[1] == 0.0


# ------------------------------------------------------------------ sectors


@pytest.mark.parametrize(
    ("bearing", "sector"),
    [
        (0.0, CompassSector.NORTH),  # due north
        (44.999, CompassSector.NORTH),  # just before the north-east boundary
        (45.0, CompassSector.EAST),  # on the boundary: the next sector clockwise
        (90.0, CompassSector.EAST),  # due east
        (134.999, CompassSector.EAST),  # just before the south-east boundary
        (135.0, CompassSector.SOUTH),  # on the boundary
        (225.0, CompassSector.WEST),  # on the boundary
        (314.999, CompassSector.WEST),  # just before the north-west boundary
        (315.0, CompassSector.NORTH),  # on the boundary: north again
        (359.999, CompassSector.NORTH),  # just short of a full turn
    ],
)
def test_four_winds_split_the_compass_into_half_open_quarters(
    bearing: float, sector: CompassSector
) -> None:
    assert SECTORS[int(sector_codes(bearing, winds=4))] is sector


@pytest.mark.parametrize(
    ("bearing", "sector"),
    [
        (0.0, CompassSector.NORTH),  # due north
        (22.499, CompassSector.NORTH),  # just before the first boundary
        (22.5, CompassSector.NORTH_EAST),  # on the boundary: the next sector clockwise
        (67.5, CompassSector.EAST),  # on the boundary
        (112.5, CompassSector.SOUTH_EAST),  # on the boundary
        (180.0, CompassSector.SOUTH),  # due south
        (202.5, CompassSector.SOUTH_WEST),  # on the boundary
        (270.0, CompassSector.WEST),  # due west
        (300.0, CompassSector.NORTH_WEST),  # inside north-west
        (337.5, CompassSector.NORTH),  # on the boundary: north again
    ],
)
def test_eight_winds_split_the_compass_into_half_open_eighths(
    bearing: float, sector: CompassSector
) -> None:
    assert SECTORS[int(sector_codes(bearing, winds=8))] is sector


@pytest.mark.parametrize(
    ("bearing", "code"),
    [
        (-10.0, 0),  # negative bearings turn the other way: 350, north
        (-90.0, 6),  # 270, west
        (360.0, 0),  # a full turn is north
        (450.0, 2),  # a turn and a quarter is east
        (-1e-300, 0),  # a hair west of north
        (math.nan, MISSING),  # a missing bearing
        (math.inf, MISSING),  # not a bearing either
        (-math.inf, MISSING),  # nor this
    ],
)
def test_bearings_outside_a_turn_wrap_round_and_missing_ones_get_minus_one(
    bearing: float, code: int
) -> None:
    assert int(sector_codes(bearing)) == code


@pytest.mark.parametrize(
    "column",
    [
        [True, False],  # a boolean column
        ["45"],  # a text column
        "45",  # one string
        [None],  # an object column
    ],
)
def test_sector_codes_refuse_bearings_that_are_not_numbers(column: Any) -> None:
    with pytest.raises(InvalidValue) as info:
        sector_codes(column)
    assert info.value.code == "bearing_type"


def test_sector_codes_keep_the_shape_and_use_int8() -> None:
    codes = sector_codes(np.array([[0.0, 90.0], [180.0, 270.0]]), winds=8)
    assert codes.dtype == np.int8
    assert codes.tolist() == [[0, 2], [4, 6]]


@pytest.mark.parametrize(
    "winds",
    [
        0,  # no sectors
        2,  # a hemisphere split is not a compass rose
        16,  # a 16-wind rose is not supported
        4.0,  # the count of winds is an integer
    ],
)
def test_only_four_or_eight_winds_are_supported(winds: Any) -> None:
    with pytest.raises(InvalidValue) as info:
        sector_codes([0.0], winds=winds)
    assert info.value.code == "compass_winds"
    with pytest.raises(InvalidValue):
        TIANANMEN.sector(PEOPLES_SQUARE, winds=winds)


@given(bearings, st.sampled_from([4, 8]))
def test_sector_codes_follow_the_documented_intervals(bearing: float, winds: Any) -> None:
    assert int(sector_codes(bearing, winds=winds)) == expected_code(bearing, winds)


@given(points, points, st.sampled_from([4, 8]))
def test_a_points_sector_is_the_sector_code_of_its_bearing(
    a: GeoPoint, b: GeoPoint, winds: Any
) -> None:
    code = int(sector_codes(a.bearing_deg(b), winds=winds))
    assert a.sector(b, winds=winds) is SECTORS[code]


@given(st.lists(bearings | st.just(math.nan), max_size=30), st.sampled_from([4, 8]))
def test_sector_codes_of_a_column_are_the_codes_of_each_bearing(
    column: list[float], winds: Any
) -> None:
    codes = sector_codes(np.array(column, dtype=np.float64), winds=winds)
    assert codes.tolist() == [int(sector_codes(b, winds=winds)) for b in column]


@pytest.mark.parametrize(
    ("target", "four", "eight"),
    [
        (GeoPoint(40.05, 116.3975), CompassSector.NORTH, CompassSector.NORTH),  # bearing 0
        (GeoPoint(39.99, 116.55), CompassSector.EAST, CompassSector.NORTH_EAST),  # bearing 55
        (GeoPoint(39.80, 116.41), CompassSector.SOUTH, CompassSector.SOUTH),  # bearing 175
        (GeoPoint(39.91, 116.20), CompassSector.WEST, CompassSector.WEST),  # bearing 270.6
        (
            GeoPoint(39.9087, 116.3975),
            CompassSector.NORTH,
            CompassSector.NORTH,
        ),  # the dealer itself
    ],
)
def test_customers_fall_in_the_sector_around_the_dealer(
    target: GeoPoint, four: CompassSector, eight: CompassSector
) -> None:
    assert TIANANMEN.sector(target) is four
    assert TIANANMEN.sector(target, winds=8) is eight


@given(points, points)
def test_four_winds_give_only_cardinal_sectors(a: GeoPoint, b: GeoPoint) -> None:
    assert a.sector(b) in {
        CompassSector.NORTH,
        CompassSector.EAST,
        CompassSector.SOUTH,
        CompassSector.WEST,
    }


# ------------------------------------------------------------------ columns


def test_distances_broadcast_one_dealer_against_many_customers() -> None:
    lat = np.array([[39.95, 39.80], [31.2304, 39.9087]])
    lon = np.array([[116.40, 116.41], [121.4737, 116.3975]])
    distances = haversine_km(TIANANMEN.lat, TIANANMEN.lon, lat, lon)
    assert distances.shape == (2, 2)
    assert distances.dtype == np.float64
    assert distances[1, 0] == TIANANMEN.distance_km(PEOPLES_SQUARE)
    assert distances[1, 1] == 0.0


def test_four_scalars_give_a_zero_dimensional_array() -> None:
    distance = haversine_km(0, 0, 0, 1)
    assert isinstance(distance, np.ndarray)
    assert distance.shape == ()


def test_missing_coordinates_give_missing_results() -> None:
    lat = np.array([39.95, np.nan])
    lon = np.array([116.40, 116.40])
    assert np.isnan(haversine_km(TIANANMEN.lat, TIANANMEN.lon, lat, lon)).tolist() == [False, True]
    bearings_ = bearing_deg(TIANANMEN.lat, TIANANMEN.lon, lat, lon)
    assert sector_codes(bearings_).tolist() == [0, MISSING]


@pytest.mark.parametrize(
    ("lat", "lon", "error", "code"),
    [
        ([10.0, 95.0, -91.0], [0.0, 0.0, 0.0], InvalidComponent, "latitude_range"),  # two bad
        ([10.0], [0.0, np.inf], InvalidComponent, "longitude_range"),  # infinity is not missing
        ([True, False], [0.0, 0.0], InvalidValue, "latitude_type"),  # a boolean column
        (["39.9"], [116.4], InvalidValue, "latitude_type"),  # a text column
        ([39.9], [None], InvalidValue, "longitude_type"),  # an object column with None
    ],
)
def test_bad_columns_are_refused(lat: Any, lon: Any, error: type[Exception], code: str) -> None:
    for function in (haversine_km, bearing_deg):
        with pytest.raises(error) as info:
            function(lat, lon, 0.0, 0.0)
        assert getattr(info.value, "code", None) == code


def test_the_message_counts_the_bad_values_of_a_column() -> None:
    with pytest.raises(InvalidComponent, match=r"latitude is 95\.0, .* \(2 values out of range\)"):
        haversine_km([10.0, 95.0, -91.0], 0.0, 0.0, 0.0)


# ------------------------------------------------------------------ pydantic


class Site(BaseModel):
    location: GeoPoint


@given(points)
def test_points_survive_a_json_round_trip_exactly(point: GeoPoint) -> None:
    site = Site(location=point)
    again = Site.model_validate_json(site.model_dump_json())
    assert again == site
    assert (again.location.lat, again.location.lon) == (point.lat, point.lon)


def test_the_json_form_is_an_object_with_lat_and_lon() -> None:
    assert Site(location=GeoPoint(39.9, 116.4)).model_dump_json() == (
        '{"location":{"lat":39.9,"lon":116.4}}'
    )
    assert Site(location={"lat": 39.9, "lon": 116.4}).location == GeoPoint(39.9, 116.4)


def test_python_dumps_keep_the_point() -> None:
    assert Site(location=TIANANMEN).model_dump() == {"location": TIANANMEN}


def test_the_json_schema_is_pinned() -> None:
    assert Site.model_json_schema()["properties"]["location"] == {
        "additionalProperties": False,
        "properties": {
            "lat": {"maximum": 90.0, "minimum": -90.0, "title": "Lat", "type": "number"},
            "lon": {"maximum": 180.0, "minimum": -180.0, "title": "Lon", "type": "number"},
        },
        "required": ["lat", "lon"],
        "title": "Location",
        "type": "object",
    }


@pytest.mark.parametrize(
    "json",
    [
        '{"location": {"lat": 91, "lon": 0}}',  # latitude out of range
        '{"location": {"lat": 0, "lon": -180.5}}',  # longitude out of range
        '{"location": {"lat": "39.9", "lon": 116.4}}',  # a string, not a number
        '{"location": {"lat": true, "lon": 116.4}}',  # a boolean
        '{"location": {"lat": 39.9}}',  # no longitude
        '{"location": {"lat": 39.9, "lon": 116.4, "alt": 50}}',  # an unknown key
        '{"location": [39.9, 116.4]}',  # a pair instead of an object
        '{"location": {"lat": NaN, "lon": 116.4}}',  # NaN is not JSON and not a latitude
    ],
)
def test_bad_json_points_are_refused(json: str) -> None:
    with pytest.raises(ValidationError):
        Site.model_validate_json(json)


def test_python_input_with_a_bad_coordinate_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        Site(location={"lat": True, "lon": 0.0})


# ------------------------------------------------------------------ documentation


def _attribute_docstrings(module_name: str) -> dict[str, str]:
    """Docstrings written under module-level assignments (not visible at run time)."""
    tree = ast.parse(inspect.getsource(sys.modules[module_name]))
    found: dict[str, str] = {}
    for node, after in zip(tree.body, tree.body[1:], strict=False):
        target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if (
            isinstance(target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[target.id] = after.value.value
    return found


@pytest.mark.parametrize("name", ["EARTH_MEAN_RADIUS_KM", "MISSING_SECTOR_CODE", "Winds"])
def test_examples_in_constant_docstrings_run(name: str) -> None:
    module = sys.modules[GeoPoint.__module__]
    docstring = _attribute_docstrings(module.__name__)[name]
    assert "Examples:" in docstring
    test = doctest.DocTestParser().get_doctest(
        docstring, dict(vars(module)), name, module.__file__, 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_the_module_warns_that_chinese_map_datums_need_converting() -> None:
    doc = sys.modules[GeoPoint.__module__].__doc__ or ""
    for term in ("GCJ-02", "BD-09", "WGS-84", "does not convert"):
        assert term in doc
