"""Valid outside arrays for every table, which each test then spoils in one place."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

#: Outside columns by table (values typed loosely: tests spoil them).
Arrays = dict[str, Any]

VIN_1 = "LSVAU218XN2183294"
VIN_2 = "LSVAU2181N2183295"
VIN_3 = "LVGBC1235P0000001"
#: Born 1949-12-31, female.
NATIONAL_ID = "11010519491231002X"


def _objects(*values: Any) -> NDArray[np.object_]:
    """A writable object array holding ``values`` element by element."""
    out = np.empty(len(values), dtype=object)
    for row, value in enumerate(values):
        out[row] = value
    return out


def _days(*values: str) -> NDArray[np.datetime64]:
    return np.array(values, dtype="datetime64[D]")


def _instants(*values: str) -> NDArray[np.datetime64]:
    return np.array(values, dtype="datetime64[us]")


def valid_arrays() -> Arrays:
    """Three dealers' worth of valid outside columns: every table, every column kind.

    Every registered table is there. The second row of most tables leaves every nullable
    column empty; there is a 29 February, a consent at a microsecond past midnight and a
    comeback order.
    """
    return {
        "dealers": {
            "id": np.array(["D1", "D2"]),
            "name": _objects("北京1号4S店", "上海2号4S店"),
            "location.lat": np.array([39.9, np.nan]),
            "location.lon": np.array([116.4, np.nan]),
            "region": _objects("华北", None),
            "full_after_sales": np.array([True, False]),
        },
        "customers": {
            "id": np.array(["C1", "C2", "C3"]),
            "kind": _objects("individual", "fleet", "individual"),
            "name": _objects("王芳", "大众租车有限公司", "李华"),
            "gender": _objects("female", "unknown", "male"),
            "national_id": _objects(NATIONAL_ID, None, None),
            "occupation": _objects("教师", None, None),
            "birthday": _days("1949-12-31", "NaT", "1980-02-29"),
            "home_address": _objects("北京市东城区1号", None, None),
            "home_postcode": _objects("100010", None, None),
            "home_location.lat": np.array([39.91, np.nan, 31.2]),
            "home_location.lon": np.array([116.41, np.nan, 121.5]),
            "work_address": _objects("北京市西城区2号", None, None),
            "work_postcode": _objects("100032", None, None),
            "mobile": _objects("+8613812345678", None, "+8615812345678"),
            "home_phone": _objects("+861062345678", None, None),
            "office_phone": _objects(None, None, None),
            "email": _objects("wang.fang@example.cn", None, None),
            "fax": _objects(None, None, None),
            "income_band": _objects("B", None, None),
            "hobbies": _objects(("自驾", "摄影"), (), ("钓鱼",)),
            "family_notes": _objects("二孩", None, None),
        },
        "consents": {
            "id": np.array(["G1", "G2", "G3"]),
            "customer_id": _objects("C1", "C1", "C3"),
            "purpose": _objects("marketing", "marketing", "survey"),
            "channel": _objects("sms", "sms", "phone"),
            "granted": np.array([True, False, True]),
            "at": _instants(
                "2024-01-01T08:00:00", "2024-03-01T08:00:00", "2024-02-29T00:00:00.000001"
            ),
        },
        "vehicles": {
            "vin": np.array([VIN_1, VIN_2, VIN_3]),
            "plate": _objects("京A12345", None, "沪B12345"),
            "model": _objects("Lavida", "Passat", "Lavida"),
            "body_type": _objects("sedan", None, "suv"),
            "colour": _objects("白", None, "黑"),
            "fuel": _objects("petrol", "diesel", "battery_electric"),
            "purchase_date": _days("2022-05-20", "NaT", "2024-02-29"),
            "sold_here": np.array([True, False, True]),
            "selling_dealer_id": _objects("D1", None, "D2"),
            "first_visit_date": _days("2022-06-01", "NaT", "2024-03-01"),
            "first_visit_mileage": _objects(800, None, 15),
        },
        "ownerships": {
            "id": np.array(["O1", "O2"]),
            "customer_id": _objects("C1", "C3"),
            "vin": _objects(VIN_1, VIN_3),
            "start": _days("2022-05-20", "2024-02-29"),
            "end": _days("2024-01-01", "NaT"),
        },
        "orders": {
            "id": np.array(["RO1", "RO2", "RO3"]),
            "dealer_id": _objects("D1", "D1", "D2"),
            "vin": _objects(VIN_1, VIN_1, VIN_2),
            "customer_id": _objects("C1", "C1", "C2"),
            "advisor": _objects("SA1", None, "SA2"),
            "opened_at": _instants(
                "2022-06-01T01:00:00", "2022-06-08T01:00:00.000007", "2024-02-29T23:59:59.999999"
            ),
            "closed_at": _instants("2022-06-01T05:00:00", "NaT", "2024-03-01T02:00:00"),
            "promised_at": _instants("2022-06-01T09:00:00", "NaT", "2024-03-01T02:00:00"),
            "mileage": np.array([800, 1500, 12000]),
            "by_appointment": np.array([True, False, False]),
            "comeback_of": _objects(None, "RO1", None),
        },
        "lines": {
            "order_id": _objects("RO1", "RO1", "RO2", "RO3"),
            "kind": _objects("first_maintenance", "minor_repair", "minor_repair", "maintenance"),
            "pay": _objects("customer", "warranty", "goodwill", "customer"),
            "labour": np.array([18_000, 0, 5_000, 100]),
            "parts": np.array([42_050, 100, 0, 0]),
            "description": _objects("换机油", None, None, None),
        },
        "chapters": {
            "id": np.array(["CH1", "CH2"]),
            "dealer_id": _objects("D1", "D2"),
            "name": _objects("北京车友会", "上海车友会"),
            "founded_on": _days("2020-02-29", "NaT"),
        },
        "contacts": {
            "id": np.array(["K1", "K2"]),
            "customer_id": _objects("C1", "C2"),
            "vin": _objects(VIN_1, None),
            "channel": _objects("phone", "sms"),
            "purpose": _objects("follow_up_3d", "care"),
            "outcome": _objects("reached", "no_answer"),
            "at": _instants("2022-06-04T02:00:00", "2024-02-29T00:00:00.000001"),
            "staff": _objects("CC01", None),
            "repair_order_id": _objects("RO1", None),
            "note": _objects("满意", None),
        },
        "complaints": {
            "id": np.array(["Q1", "Q2"]),
            "customer_id": _objects("C1", "C3"),
            "at": _instants("2022-06-02T03:00:00", "2024-03-02T00:00:00"),
            "category": _objects("waiting_time", "price"),
            "severity": _objects("high", "low"),
            "channel": _objects("phone", "messaging_app"),
            "repair_order_id": _objects("RO1", None),
            "description": _objects("等了很久", None),
        },
        "complaint_updates": {
            "id": np.array(["U1", "U2", "U3"]),
            "complaint_id": _objects("Q1", "Q1", "Q2"),
            "at": _instants("2022-06-02T05:00:00", "2022-06-05T05:00:00", "2024-03-03T00:00:00"),
            "action": _objects("acknowledged", "closed", "escalated"),
            "verdict": _objects(None, "satisfied", None),
            "staff": _objects("CC02", None, None),
            "note": _objects("已致歉", None, None),
        },
        "referrals": {
            "id": np.array(["R1", "R2"]),
            "referrer_id": _objects("C1", "C3"),
            "referred_name": _objects("赵磊", "孙丽"),
            "referred_phone": _objects("+8613912345678", None),
            "referred_customer_id": _objects("C2", None),
            "on": _days("2023-01-01", "2024-02-29"),
            "delivered_on": _days("2023-02-01", "NaT"),
        },
        "activities": {
            "id": np.array(["A1", "A2", "A3"]),
            "activity_id": _objects("EV202405", "EV202405", "EV202406"),
            "customer_id": _objects("C1", "C3", "C1"),
            "on": _days("2024-05-18", "2024-05-18", "2024-06-01"),
            "feedback": _objects("很好", None, None),
        },
        "members": {
            "id": np.array(["M1", "M2"]),
            "customer_id": _objects("C1", "C3"),
            "chapter_id": _objects("CH1", "CH2"),
            "at": _instants("2023-03-01T02:00:00", "2024-02-29T00:00:00"),
            "referred_by": _objects(None, "M1"),
        },
        "member_joins": {
            "id": np.array(["J1", "J2"]),
            "member_id": _objects("M1", "M2"),
            "at": _instants("2023-03-08T02:00:00", "2024-03-01T00:00:00"),
        },
        "member_transfers": {
            "id": np.array(["T1"]),
            "member_id": _objects("M1"),
            "to_chapter_id": _objects("CH2"),
            "at": _instants("2024-06-01T02:00:00"),
        },
        "member_lapses": {
            "id": np.array(["L1"]),
            "member_id": _objects("M2"),
            "at": _instants("2024-09-01T02:00:00"),
            "reason": _objects("lost"),
        },
        "member_reactivations": {
            "id": np.array(["V1"]),
            "member_id": _objects("M2"),
            "at": _instants("2025-01-01T02:00:00"),
        },
    }


@pytest.fixture
def arrays() -> Arrays:
    """Fresh valid outside columns for every table (each test may spoil them)."""
    return valid_arrays()
