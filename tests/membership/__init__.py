"""Tests of aftersales_crm.membership."""
