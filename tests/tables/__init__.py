"""Tests of aftersales_crm.tables.

A package only so that its conftest and tests/conftest.py are distinct modules for mypy.
"""
