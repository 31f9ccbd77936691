"""One write path per record: pages and the API hand validated input to services (each app's
services.py), which write in one transaction with the history row under the user. A page that writes
a record itself is a second path, with its own transaction, history and rules, so this test reads
the pages and the API and fails on any write it finds, with the file and line.

What counts as a write: `.save(...)` (not `.save(commit=False)`, which only builds the record, nor
`self.save(...)`, the page's own method, read as well),
`.create(`, `.get_or_create(`, `.update_or_create(`, `.delete(`, `bulk_create`, `bulk_update`, and
`.update(` on a query (a call chain or `.objects`; `.update(` on a plain name is a dict's)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITES = {"save", "create", "get_or_create", "update_or_create", "delete", "bulk_create", "bulk_update"}

# (file, class, the call's source text, up to its first bracket): why the page may make it.
ALLOWED = {
    # The form's save is the service here: it hands the record to the service with the version it opened.
    ("openraa/children/views.py", "ChildFormView", "form.save"): "ChildForm.save calls children/services.save_child",
    (
        "openraa/households/views.py",
        "HouseholdFormView",
        "form.save",
    ): "HouseholdForm.save calls households/services.save_household",
    # Signing in, not a record: django-otp's authenticator device is set up and confirmed as
    # django-otp's own views do; it has no history and no service of ours.
    ("openraa/security/views.py", "EnrolView", "TOTPDevice.objects.create"): "django-otp's device, part of signing in",
    ("openraa/security/views.py", "EnrolView", "device.save"): "django-otp's device, part of signing in",
}


def _pages_and_api() -> list[Path]:
    app = ROOT / "openraa"
    return sorted({*app.glob("*/views.py"), *app.glob("*/*_views.py"), *(app / "api").glob("*.py")})


def _is_write(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Name) and receiver.id.endswith("services"):
        return False  # a call of a service (finance's is named `save`): the path this test asks for
    if func.attr == "save":
        # self.save(...) is the page's own method, whose body this test reads as well.
        return not (isinstance(receiver, ast.Name) and receiver.id == "self") and not any(
            k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False for k in call.keywords
        )
    if func.attr == "update":
        return isinstance(receiver, ast.Call) or (isinstance(receiver, ast.Attribute) and receiver.attr == "objects")
    return func.attr in WRITES


def _writes(path: Path) -> list[tuple[int, str, str]]:
    """(line, enclosing class, the call up to its first bracket) of each write in the file."""
    source = path.read_text()
    found = []

    def visit(node: ast.AST, cls: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.ClassDef) else cls
            if isinstance(child, ast.Call) and _is_write(child):
                found.append((child.lineno, cls, ast.unparse(child.func)))
            visit(child, inner)

    visit(ast.parse(source), "")
    return sorted(found)


def test_pages_and_the_api_write_only_through_services():
    unexplained = []
    for path in _pages_and_api():
        relative = str(path.relative_to(ROOT))
        for lineno, cls, call in _writes(path):
            key = (relative, cls, call)
            if key not in ALLOWED:
                unexplained.append(f"{relative}:{lineno}: {call}(...) in {cls or 'the module'}")
    assert not unexplained, (
        "Pages and the API write through their app's services (one transaction, history "
        "under the user); move these writes there:\n" + "\n".join(unexplained)
    )


def test_the_allowed_writes_are_all_there():
    """A line of ALLOWED whose write has gone must go too, so the list stays true."""
    present = {(str(path.relative_to(ROOT)), cls, call) for path in _pages_and_api() for _, cls, call in _writes(path)}
    stale = sorted(set(ALLOWED) - present)
    assert not stale, "These writes are no longer in the pages: delete them from ALLOWED:\n" + "\n".join(
        map(str, stale)
    )


def test_a_write_in_a_page_is_found():
    source = "class V:\n    def post(self):\n        Thing.objects.filter(pk=1).update(x=2)\n        form.save(commit=False)\n"
    tree = ast.parse(source)
    calls = [ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_write(n)]
    assert calls == ["Thing.objects.filter(pk=1).update"]
