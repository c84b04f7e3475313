"""Every environment variable jixiao reads is documented in docs/ (datasette's rule: a
setting nobody can find is a bug). Fails naming the undocumented variable."""

import re
from pathlib import Path

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
