"""The test suite's own layout: no test module imports from another test module.

Importing a test module runs its module-level code and, with pytest, may collect its
tests twice or couple two modules' fixtures; shared fixtures live in the nearest
conftest.py, shared helpers in a support module (not named test_*.py): factories,
``helpers.py``, ``*_support.py``.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # ``from tests.livret import test_links`` names the module in the alias.
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append((node.lineno, "." * node.level + (node.module or "")))
    return found


def is_test_module(name: str) -> bool:
    parts = name.lstrip(".").split(".")
    return any(part.startswith("test_") or part == "conftest" for part in parts)


def test_no_test_module_imports_another():
    offenders = [
        f"{path.relative_to(TESTS.parent)}:{line} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, name in imported_modules(path)
        if (name.startswith(("tests.", ".")) and is_test_module(name))
    ]
    assert not offenders, "\n".join(offenders)


def test_the_check_sees_an_import_of_a_test_module(tmp_path):
    source = tmp_path / "test_example.py"
    source.write_text(
        "from tests.livret.test_links import owner\n"
        "from tests.review import test_ratings\n"
        "import tests.vae.test_accounts\n"
        "from .conftest import eligible\n"
        "from tests.livret.helpers import page\n",
        encoding="utf-8",
    )
    flagged = [name for _line, name in imported_modules(source) if is_test_module(name)]
    assert flagged == [
        "tests.livret.test_links",
        "tests.livret.test_links.owner",
        "tests.review.test_ratings",
        "tests.vae.test_accounts",
        ".conftest",
    ]
