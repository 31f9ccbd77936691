"""The import contract: the ground floor (openraa/common) imports no feature app, and the apps
depend downward only, in the order of LAYERS. Every import counts, at the top of a module or inside
a function (an import put in a function to dodge a cycle is still a dependency). Pure AST: nothing
is imported, so a cycle is found even where Python would tolerate it."""

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "openraa"

# Lowest first. An app may import apps of its own layer or of a lower one, never of a higher one.
LAYERS = [
    {"common", "reference"},  # the ground floor: pure tools, no feature app
    {"partnership"},  # the agency and its councils
    {"people"},  # users, roles, the access policy and the sharing rules
    {"audit"},  # the audit trail (it asks the policy what a reader may see)
    {"web"},  # the base page and form classes
    {"children"},
    {"households"},
    {"journeys"},  # both journeys, panels and matches: over children and households
    {"matching", "governance", "finance"},
    {"support", "permanence"},
    {"casework"},  # case notes, documents, letters and tasks on the records of the areas below
    {"performance", "families"},  # the families' front door and accounts: over casework and matching
    {"drift", "interchange", "simulation", "security"},
    {
        "home",
        "agency",
        "staff",
        "api",
        "demo",
    },  # pages that gather several areas, staff administration, the API, the demo region
    {"benchmarks"},
    {"urls", "settings", "cli", "wsgi", "gunicorn_config"},  # the project's wiring
]


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "openraa" and len(parts) > 1 else None


def import_graph(package: Path = PACKAGE) -> dict[tuple[str, str], list[str]]:
    """{(importing app, imported app): ["path:line", ...]} for every import between two apps."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(package.rglob("*.py")):
        module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        source = app_of(module)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = (
                    [f"openraa.{alias.name}" for alias in node.names] if node.module == "openraa" else [node.module]
                )
            else:
                continue
            for target in targets:
                imported = app_of(target)
                if source and imported and imported != source:
                    edges[(source, imported)].append(f"{path.relative_to(package.parent)}:{node.lineno}")
    return edges


def upward(edges, layers=LAYERS) -> set[tuple[str, str]]:
    """The edges that import an app of a higher layer (or an app in no layer)."""
    level = {app: n for n, group in enumerate(layers) for app in group}
    return {(a, b) for a, b in edges if level.get(a, -1) < level.get(b, len(layers))}


def cycles(edges) -> list[set[str]]:
    """The groups of apps that import each other, directly or not (Tarjan's components)."""
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index, low, stack, found = {}, {}, [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while not group or node not in group:
                group.add(stack.pop())
            if len(group) > 1:
                found.append(group)

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_the_ground_floor_imports_no_feature_app():
    edges = import_graph()
    assert {(a, b): where for (a, b), where in edges.items() if a in LAYERS[0] and b not in LAYERS[0]} == {}


def test_every_app_is_in_a_layer():
    apps = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    modules = {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    assert apps | modules <= set().union(*LAYERS)


def test_apps_import_downward_only():
    edges = import_graph()
    found = {edge: edges[edge] for edge in upward(edges)}
    assert found == {}, "an app imports a higher layer: move the shared code down (openraa/common) instead"


def test_no_cycle_between_apps():
    assert cycles(set(import_graph())) == []


def test_the_checker_reports_an_upward_import_and_its_cycle():
    layers = [{"common"}, {"people"}, {"children"}]
    edges = {("children", "people"), ("people", "common"), ("people", "children")}
    assert upward(edges, layers) == {("people", "children")}
    assert cycles(edges) == [{"people", "children"}]
    assert upward({("common", "people")}, layers) == {("common", "people")}


def test_the_checker_sees_an_import_inside_a_function(tmp_path):
    (tmp_path / "openraa" / "common").mkdir(parents=True)
    (tmp_path / "openraa" / "common" / "tools.py").write_text(
        "def f():\n    from openraa.children.models import Child\n    return Child\n"
    )
    assert import_graph(tmp_path / "openraa") == {("common", "children"): ["openraa/common/tools.py:2"]}
