"""The command line runs the demo and answers --help and --version."""

from __future__ import annotations

import pytest

import aftersales_crm
from aftersales_crm.__main__ import main


def test_demo_prints_accepted_and_rejected_identifiers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "✓ VIN" in out
    assert "vin_checksum" in out  # the wrong check digit is reported with its rule
    assert "expected X" in out
    assert "national_id_checksum" in out
    assert "+8613812345678" in out
    assert "Money('1.01', 'CNY')" in out  # half-up rounding of 1.005


def test_version_flag_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert aftersales_crm.__version__ in capsys.readouterr().out


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


def test_help_lists_the_demo_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "demo" in capsys.readouterr().out


def test_demo_summarises_a_synthetic_dealer_with_a_redacted_customer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Synthetic dealer network" in out
    assert "first maintenance 首保" in out
    assert "Revenue ¥" in out
    masked = out.split("personal data masked):\n")[1]
    assert "****" in masked  # the phone is masked
    assert '"birthday":null' in masked
