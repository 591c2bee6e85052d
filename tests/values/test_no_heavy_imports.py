"""The library never loads phonenumbers' geocoder, carrier or time-zone data (100+ MiB)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_library_and_validating_a_phone_loads_no_phonenumbers_data_modules() -> None:
    code = (
        "import sys, aftersales_crm.records, aftersales_crm.synthetic;"
        "from aftersales_crm.values import phone;"
        "phone.validate('13812345678'); phone.format('13812345678'); phone.mask('13812345678');"
        "heavy = [m for m in sys.modules if m.startswith(('phonenumbers.geocoder',"
        " 'phonenumbers.carrier', 'phonenumbers.timezone', 'phonenumbers.geodata'))];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
