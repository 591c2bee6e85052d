"""Tests of the care agenda: rules, contact rules, the planner."""
