"""Tests of aftersales_crm.synthetic, one file per module of the package."""
