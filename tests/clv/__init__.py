"""Tests of the churn and lifetime-value models, and of their CDNOW reference data."""
