"""The built wheel works on its own: installed in a fresh virtual environment, away from the
source tree, it runs the README's examples as written, and it ships ``py.typed``."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Run inside the fresh environment: the README's examples, with the code fences removed as
# tests/test_docs_examples.py removes them, and the path the library was imported from.
RUN_README = """
import doctest, re, sys
import aftersales_crm
text = re.sub(r"^\\s*```.*$", "", open("README.md", encoding="utf-8").read(), flags=re.M)
test = doctest.DocTestParser().get_doctest(text, {}, "README.md", "README.md", 0)
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
runner.run(test)
result = runner.summarize(verbose=False)
print(aftersales_crm.__file__)
print(result.attempted, result.failed)
sys.exit(1 if result.failed or not result.attempted else 0)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("aftersales_crm-*.whl")
    return built


def test_the_wheel_holds_the_package_and_py_typed_but_not_the_tests(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "aftersales_crm/py.typed" in names
    assert "aftersales_crm/__init__.py" in names
    assert "aftersales_crm/calendars/_lunar_table.py" in names
    assert not [n for n in names if n.startswith(("tests/", "docs/", "benchmarks/"))]


def test_the_readme_examples_run_against_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, clear=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "README.md").write_text((ROOT / "README.md").read_text(encoding="utf-8"), "utf-8")
    run = subprocess.run(
        [str(python), "-I", "-c", RUN_README],  # -I: no PYTHONPATH, no current folder
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    where, counts = run.stdout.strip().splitlines()[-2:]
    assert Path(where).is_relative_to(env_dir)  # the wheel's copy, not the source tree
    attempted, failed = map(int, counts.split())
    assert failed == 0
    assert attempted > 20
