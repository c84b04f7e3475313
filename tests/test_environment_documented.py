"""Every environment variable jixiao reads is documented in docs/ (datasette's rule: a
setting nobody can find is a bug), and its documented default is the one the code uses.
Fails naming the undocumented variable or the default that differs."""

import ast
import operator
import re
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV_RE = re.compile(r"\b(JIXIAO_[A-Z0-9_]+|DATABASE_URL)\b")


def _read_in_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src" / "jixiao").rglob("*.py"):
        text = path.read_text("utf-8")
        if "environ" in text or "getenv" in text or "_env_" in text:
            names |= set(ENV_RE.findall(text))
    return names


def test_environment_variables_are_documented():
    docs = "\n".join(p.read_text("utf-8") for p in (ROOT / "docs").rglob("*.md"))
    names = _read_in_code()
    assert "JIXIAO_SECRET_KEY" in names  # the scan itself works
    missing = sorted(n for n in names if n not in docs)
    assert not missing, f"undocumented environment variables: {missing}"


# --- the documented defaults are the code's --------------------------------------------------
#
# A variable's default is documented in a table row of docs/ (`NAME` | default | meaning) and
# read from where the code defines it: the second argument of os.environ.get / os.getenv /
# the settings' _env_int and _env_bool / the importer's _env_number, or what follows
# ``os.environ.get(NAME) or`` (also after ``.strip()``); names and defaults may be module constants.

READERS = {"get", "getenv", "_env_int", "_env_bool", "_env_number"}
# Documented defaults the code computes rather than states.
COMPUTED = {"DATABASE_URL": "the SQLite file in the data folder (dj-database-url's default=)"}
NO_VALUE = {"", "—", "-", "empty"}
# Reads whose default is documented elsewhere than in the table (file, variable → where).
ELSEWHERE = {("src/jixiao/cli.py", "JIXIAO_LOG_LEVEL"): "docs/cli.md: unset, the CLI logs nothing"}


def _constant(node, constants):
    """The value of a literal, a module constant or arithmetic on them; raises ValueError."""
    if isinstance(node, ast.Name) and node.id in constants:
        return _constant(constants[node.id], constants)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Add, ast.Pow)):
        left, right = _constant(node.left, constants), _constant(node.right, constants)
        return {ast.Mult: operator.mul, ast.Add: operator.add, ast.Pow: operator.pow}[type(node.op)](left, right)
    return ast.literal_eval(node)


def code_defaults() -> dict[str, list]:
    """Variable → the defaults the code falls back to where it reads it (None: no default)."""
    found: dict[str, list] = {}
    for path in (ROOT / "src" / "jixiao").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        constants = {t.id: n.value for n in tree.body if isinstance(n, ast.Assign)
                     for t in n.targets if isinstance(t, ast.Name)}
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and call.args):
                continue
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in READERS or (name == "get" and "environ" not in ast.unparse(func)):
                continue
            try:
                variable = _constant(call.args[0], constants)
            except ValueError:
                continue
            if not (isinstance(variable, str) and ENV_RE.fullmatch(variable)):
                continue
            if (str(path.relative_to(ROOT)), variable) in ELSEWHERE:
                continue
            default = _constant(call.args[1], constants) if len(call.args) > 1 else None
            # os.environ.get(NAME, "").strip() or DEFAULT: through method calls on the value
            node = call
            while (isinstance(parents.get(node), ast.Attribute) and isinstance(parents.get(parents[node]), ast.Call)
                   and parents[parents[node]].func is parents[node]):
                node = parents[parents[node]]
            parent = parents.get(node)
            if (default in (None, "") and isinstance(parent, ast.BoolOp) and isinstance(parent.op, ast.Or)
                    and parent.values[-1] is not node):
                default = _constant(parent.values[parent.values.index(node) + 1], constants)
            found.setdefault(variable, []).append(default)
    return found


def documented_defaults() -> dict[str, list[str]]:
    """Variable → the Default cell of every docs table row that starts with it."""
    rows: dict[str, list[str]] = {}
    for path in (ROOT / "docs").rglob("*.md"):
        for line in path.read_text("utf-8").splitlines():
            m = re.match(r"\|\s*`([A-Z0-9_]+)`\s*\|([^|]*)\|", line)
            if m and ENV_RE.fullmatch(m.group(1)):
                rows.setdefault(m.group(1), []).append(m.group(2).strip())
    return rows


def _same_default(cell: str, value) -> bool:
    quoted = re.match(r"`([^`]*)`", cell)
    text = quoted.group(1) if quoted else cell.split(" (")[0].strip()
    if text in NO_VALUE or value in (None, ""):
        return text in NO_VALUE and value in (None, "")
    if isinstance(value, bool):
        return text == ("1" if value else "0")
    if isinstance(value, (int, float)):
        try:
            return Decimal(text.replace(",", "")) == Decimal(str(value))
        except ArithmeticError:
            return False
    return text.removeprefix("./") == str(value)


@pytest.mark.slow
def test_documented_defaults_are_the_codes_defaults():
    code, docs = code_defaults(), documented_defaults()
    assert code["JIXIAO_LOGIN_MAX_FAILURES"] == [5] and code["JIXIAO_IMPORT_WALL_SECONDS"] == [180.0]  # the scan works
    assert docs["JIXIAO_DB_CONN_MAX_AGE"] == ["`60`"]
    wrong = [(name, cell, value) for name, values in sorted(code.items()) for value in values
             for cell in docs.get(name, []) if not _same_default(cell, value)]
    assert wrong == [], "documented default ≠ the code's (variable, documented, code)"
    with_default = sorted(name for name, values in code.items() if any(v not in (None, "") for v in values))
    undocumented = [name for name in with_default if name not in docs]
    assert undocumented == [], "defaults not in a docs table (| `NAME` | default | meaning |)"
    unchecked = sorted(name for name in docs if name not in code and name not in COMPUTED)
    assert unchecked == [], "documented defaults the code does not state where it reads the variable"


def test_a_wrong_documented_default_is_found():
    assert _same_default("`20971520` (20 MB)", 20 * 1024 * 1024)
    assert _same_default("`./data` (`--data` of demo/serve)", "data")
    assert _same_default("empty (per-process memory cache)", None)
    assert _same_default("`1` (when `JIXIAO_HTTPS=1`)", True)
    assert not _same_default("`60`", 90)
    assert not _same_default("`0`", True)
    assert not _same_default("empty", "WARNING")
