"""Keeps `import contracts` pointing at contracts/src in these tests.

With --import-mode=importlib and no __init__.py, pytest names these files `contracts.tests.*`
and registers the folder contracts/ as an empty namespace package `contracts`, which would
shadow the real package. Drop that placeholder so the next import finds the real one.
"""

import sys

if getattr(sys.modules.get("contracts"), "__file__", None) is None:
    sys.modules.pop("contracts", None)

import contracts  # noqa: E402,F401  (re-imports the real package before any test module needs it)
