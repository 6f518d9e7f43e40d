"""The one-way layers of ARCHITECTURE.md §4 hold, and breaking them fails the build.

`make lint` runs import-linter on the checkout; these tests run it on a copy of the
first-party packages, once as they are and once with one import pointing up, so that a
contract which could never fail (a wrong package list, a typo in a layer) is caught too.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def copy_packages(destination: Path) -> None:
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            ROOT / package,
            destination / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.css", "*.js", "*.pdf"),
        )
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")


def lint(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=directory,
        env={"PYTHONPATH": str(directory), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    directory = tmp_path_factory.mktemp("layers")
    copy_packages(directory)
    return directory


def test_every_first_party_package_is_a_layer():
    layers = {
        name.strip() for layer in CONFIG["contracts"][0]["layers"] for name in layer.split("|")
    }
    packages = {
        path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name not in {"tests"}
    }
    assert layers == set(CONFIG["root_packages"]) == packages


def test_the_layers_are_kept(checkout):
    result = lint(checkout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        ("vae/enums.py", "review.models"),  # the core reaching for an upper floor
        ("livret/dossier/coverage.py", "review.rules"),
        ("referentiel/rules.py", "vae.models"),
        ("review/rules.py", "portal.todo"),  # an app reaching for the roof
        ("livret/eligibility/completeness.py", "livret.dossier.coverage"),  # livret 1 → 2
        ("livret/dossier/links/services.py", "livret.dossier.evidence.services"),
    ],
)
def test_an_import_pointing_up_breaks_the_build(tmp_path, module, upward):
    copy_packages(tmp_path)
    target = tmp_path / module
    # Function-local on purpose: hiding an import in a function does not dodge the check.
    target.write_text(
        target.read_text(encoding="utf-8") + f"\n\ndef _probe():\n    import {upward}  # noqa\n",
        encoding="utf-8",
    )
    result = lint(tmp_path)
    assert result.returncode == 1
    importer = module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> {upward}" in result.stdout
    assert ", 1 broken" in result.stdout


def test_no_module_imports_itself_through_others():
    """No cycle of imports between first-party modules, inside an app as between apps
    (function-local imports included): each module could be read bottom-up."""

    graph = grimp.build_graph(*CONFIG["root_packages"], cache_dir=None)
    cycles = [
        (module, other)
        for module in sorted(graph.modules)
        for other in graph.find_modules_directly_imported_by(module)
        if other != module
        and graph.chain_exists(importer=other, imported=module)
        # A package's __init__ importing its own submodules is not a cycle of code.
        and not other.startswith(f"{module}.")
        and not module.startswith(f"{other}.")
    ]
    assert cycles == []
