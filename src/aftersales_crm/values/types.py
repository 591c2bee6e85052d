"""Field types for pydantic models: the identifiers, fen and points, with our error codes.

Each alias validates with its identifier module and stores the canonical form; a failure
becomes a pydantic error whose ``type`` is our stable code (``vin_checksum``,
``national_id_birth_date``, …) and whose message names the rule, located at the field.

Examples:
    >>> from pydantic import BaseModel, ValidationError
    >>> class Visit(BaseModel):
    ...     vin: Vin
    ...     mobile: PhoneNumber
    >>> Visit(vin="lsvau218xn2183294", mobile="138 1234 5678")
    Visit(vin='LSVAU218XN2183294', mobile='+8613812345678')
    >>> try:
    ...     Visit(vin="LSVAU2180N2183294", mobile="13812345678")
    ... except ValidationError as err:
    ...     print(err.errors()[0]["type"], "|", err.errors()[0]["msg"])
    vin_checksum | VIN check digit is 0, expected X
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from aftersales_crm.errors import InvalidValue
from aftersales_crm.values import national_id, phone, plate, vin

__all__ = ["Fen", "NationalId", "PhoneNumber", "PhoneValidator", "Plate", "Points", "Vin"]


def _checked(validate: Callable[[str], str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            return validate(value)
        except InvalidValue as err:
            raise PydanticCustomError(err.code, str(err)) from None

    check.__name__ = f"check_{validate.__module__.rsplit('.', 1)[-1]}"
    return check


Vin = Annotated[
    str,
    AfterValidator(_checked(vin.validate)),
    Field(
        json_schema_extra={"pattern": "^[A-HJ-NPR-Z0-9]{17}$", "examples": ["LSVAU218XN2183294"]}
    ),
]
"""A VIN (ISO 3779), stored upper-case; check digit enforced for North American and Chinese VINs.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Vin).validate_python(" lsvau218xn2183294")
    'LSVAU218XN2183294'
"""

NationalId = Annotated[
    str,
    AfterValidator(_checked(national_id.validate)),
    Field(json_schema_extra={"pattern": "^[0-9]{17}[0-9X]$", "examples": ["11010519491231002X"]}),
]
"""A Chinese resident identity number (GB 11643), stored with an upper-case X.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(NationalId).validate_python("11010519491231002x")
    '11010519491231002X'
"""


@dataclass(frozen=True)
class PhoneValidator:
    """Annotated metadata that validates a phone number in a region and stores E.164.

    Attributes:
        region: the region numbers without a country code belong to.

    Examples:
        >>> from typing import Annotated
        >>> from pydantic import TypeAdapter
        >>> HongKongPhone = Annotated[str, PhoneValidator(region="HK")]
        >>> TypeAdapter(HongKongPhone).validate_python("9123 4567")
        '+85291234567'
    """

    region: str = phone.DEFAULT_REGION

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        region = self.region

        def validate(value: str) -> str:
            return phone.validate(value, region=region)

        return core_schema.no_info_after_validator_function(_checked(validate), handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(pattern=r"^\+[1-9][0-9]{6,14}$", format="phone-e164")
        return json_schema


PhoneNumber = Annotated[str, PhoneValidator()]
"""A phone number read in mainland China by default and stored as E.164.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(PhoneNumber).validate_python("010-12345678")
    '+861012345678'
"""

Plate = Annotated[
    str,
    AfterValidator(_checked(plate.validate)),
    Field(json_schema_extra={"examples": ["京A12345", "粤BD12345"]}),
]
"""A Chinese licence plate (GA 36-2018 formats covered by :mod:`~aftersales_crm.values.plate`).

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Plate).validate_python("粤B·D12345")
    '粤BD12345'
"""

Fen = Annotated[int, Field(ge=0, strict=True)]
"""A non-negative amount in minor units (fen for CNY), as tables store money.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Fen).validate_python(12345)
    12345
"""

Points = Annotated[int, Field(ge=0, strict=True)]
"""A non-negative whole number of loyalty points.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Points).validate_python(500)
    500
"""
