"""One pydantic hook for every attrs value object that records embed.

Money, GeoPoint and Mileage are attrs classes, not pydantic models. Records still need to
validate them from JSON, accept ready-made instances in Python, and write them back to
JSON. ``value_object_schema`` builds that core schema once, so every value class
declares only how it is read (``parse``) and written (``dump``) and what its JSON looks
like.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic_core import CoreSchema, SchemaValidator, core_schema

__all__ = ["value_object_schema"]

T = TypeVar("T")


def value_object_schema(
    cls: type[T],
    *,
    parse: Callable[[Any], T],
    dump: Callable[[T], Any],
    json_schema: CoreSchema,
    fast: Callable[[Any], T | None] | None = None,
) -> CoreSchema:
    """Build the pydantic core schema of an attrs value class.

    Args:
        cls: the value class; its instances pass through unchanged in Python mode.
        parse: turns the JSON form (already checked against ``json_schema``) into an
            instance; raises ``ValueError`` (our ``InvalidValue``) on bad input.
        dump: turns an instance into its JSON form; the inverse of ``parse``.
        json_schema: the core schema of the JSON form, used for validation and for the
            published JSON schema.
        fast: optional hot path for Python input: returns an instance when it can tell
            cheaply that the input is a well-formed JSON form, else None. Anything it
            declines goes through ``json_schema`` and ``parse``, so errors are unchanged.

    Returns:
        A core schema: instances or JSON forms in, instances out, the JSON form on dump.
    """
    from_json = core_schema.no_info_after_validator_function(parse, json_schema)
    if fast is None:

        def pass_instances(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Any:
            return value if isinstance(value, cls) else handler(value)

        python_schema: CoreSchema = core_schema.no_info_wrap_validator_function(
            pass_instances, from_json
        )
    else:
        slow = SchemaValidator(from_json)

        def one_call(value: Any) -> Any:
            # One Python call per value instead of a wrap validator plus an after validator.
            result = fast(value)
            if result is not None:
                return result
            if isinstance(value, cls):
                return value
            # pydantic-core turns a ValidationError raised here into the same line errors,
            # so the caller sees the codes, messages and locations of the full path.
            return slow.validate_python(value)

        python_schema = core_schema.no_info_plain_validator_function(one_call)

    return core_schema.json_or_python_schema(
        json_schema=from_json,
        python_schema=python_schema,
        serialization=core_schema.plain_serializer_function_ser_schema(
            lambda value, info: dump(value) if info.mode_is_json() else value,
            info_arg=True,
        ),
    )
