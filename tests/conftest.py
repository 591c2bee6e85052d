"""Shared test configuration: hypothesis profiles."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# "ci": deterministic and without deadlines, so a loaded 2-core machine never flakes.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=50, deadline=None)
