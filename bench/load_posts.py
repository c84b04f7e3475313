"""What the entry-week load posts (not a test): the forms as their pages rendered them
(tests/web/html_form.py, the fields a browser sends) with what the user changes typed in.
bench/load_driver.py posts them to a live server and bench/page_cpu.py through Django's test
client; both take them from here, so the CPU measured page by page is that of the very
requests the load sends.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.web.html_form import form_fields  # noqa: E402  (the fields a browser posts)

EXPLAINED = "已核实，如实填报"


def project_save(html: str, n: int) -> dict[str, str]:
    """An editor's save of the project form (``id=project-form``, its version fields as
    rendered): 存在问题 changed, numbered ``n`` so every save is a change."""
    post = form_fields(html, "project-form")
    post["problems"] = f"无（第 {n} 次复核）"
    return post


def submission(html: str) -> dict[str, str]:
    """An approver's submission (``id=submit-form``): an explanation typed into every open
    warning and every other empty field."""
    post = form_fields(html, "submit-form")
    for name, value in post.items():
        if name.startswith("explain") or (name != "csrfmiddlewaretoken" and value == ""):
            post[name] = EXPLAINED
    return post


def comment(html: str, table: int, n: int) -> dict[str, str]:
    """A reviewer's comment on a submitted table's page (the form posting to its comment URL)."""
    post = form_fields(html, action=f"/tables/{table}/comment/")
    post["text"] = f"请补充第 {n} 项绩效指标的完成依据。"
    return post
