"""A concept's wiring modules are imported by its service's app.py only.

Inside a service each business concept is a package (`complaints/sla/`, `customer/records/`, ...). Its `api`,
`consumers` and `scheduled` modules hold what `app.py` wires: routers, event handlers, timers. Another concept
uses it through its `service`, `models`, `schemas` or `rules`, never through those. import-linter's `protected`
contract would also forbid a concept to import its own wiring modules, so this rule is checked here, from the source.
The other architecture rules (no service imports another, rules modules stay pure) are import-linter contracts
in pyproject.toml, run by `make lint`.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIRING = frozenset({"api", "consumers", "scheduled"})


def module_name(path: Path, source_root: Path) -> str:
    parts = list(path.relative_to(source_root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(tree: ast.Module, importer: str, is_package: bool) -> set[str]:
    """Every dotted name an import statement may load: `from a.b import c` gives both a.b and a.b.c."""
    package = importer if is_package else importer.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            names.add(origin)
            names.update(f"{origin}.{alias.name}" for alias in node.names)
    return names


def concept_of(module: str, is_package: bool) -> str | None:
    """`customer.records.api` -> `records`; a service's own modules (`customer.app`) belong to no concept."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (is_package and len(parts) == 2) else None


def wiring_module(name: str) -> str | None:
    """`customer.records.api.router` -> `customer.records.api`; None when the name is no concept's wiring."""
    parts = name.split(".")
    for index in range(2, len(parts)):
        if parts[index] in WIRING:
            return ".".join(parts[: index + 1])
    return None


def cross_concept_wiring_imports(source_root: Path, package: str) -> list[str]:
    """`path imports module` for each import of another concept's wiring module, except by app.py."""
    packages = {module_name(path, source_root) for path in (source_root / package).rglob("__init__.py")}
    found = []
    for path in sorted((source_root / package).rglob("*.py")):
        importer = module_name(path, source_root)
        if importer == f"{package}.app":
            continue
        is_package = importer in packages
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names = imported_modules(tree, importer, is_package)
        wired = {module for name in names if name.startswith(f"{package}.") and (module := wiring_module(name))}
        for module in sorted(wired):
            if concept_of(module, is_package=False) != concept_of(importer, is_package):
                found.append(f"{path.relative_to(source_root)} imports {module}")
    return found


def service_sources() -> list[tuple[Path, str]]:
    return [
        (package_dir.parent, package_dir.name)
        for package_dir in sorted(ROOT.glob("services/*/src/*"))
        if (package_dir / "__init__.py").exists()
    ]


def test_only_app_imports_another_concepts_routers_consumers_and_timers() -> None:
    sources = service_sources()
    assert sources, "no service packages found under services/*/src"
    violations = [
        line for source_root, package in sources for line in cross_concept_wiring_imports(source_root, package)
    ]
    assert not violations, (
        "a concept's api/consumers/scheduled modules are wired by app.py only; another concept calls its service:\n"
        + "\n".join(violations)
    )


def test_the_check_sees_cross_concept_imports_and_allows_app_and_own_concept(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/app.py": "from shop.orders import api\nfrom shop.billing.consumers import on_paid\n",
        "shop/orders/__init__.py": "",
        "shop/orders/api.py": "from shop.orders.service import place\n",
        "shop/orders/consumers.py": "from .scheduled import wake\n",
        "shop/orders/scheduled.py": "",
        "shop/orders/service.py": "from shop.billing import service\n",
        "shop/billing/__init__.py": "",
        "shop/billing/service.py": "from shop.orders.api import router\n",
        "shop/billing/consumers.py": "from ..orders import scheduled\n",
        "shop/settings.py": "import shop.billing.consumers\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")

    found = cross_concept_wiring_imports(tmp_path, "shop")

    assert [line.rsplit(" imports ", 1)[1] for line in found] == [
        "shop.orders.scheduled",  # billing/consumers.py, relative import
        "shop.orders.api",  # billing/service.py
        "shop.billing.consumers",  # settings.py: only app.py wires
    ]
