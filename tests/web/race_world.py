"""The race tests' world and its inspection, run in a child process against the database the
live server uses (``DATABASE_URL`` in the environment): ``python -m tests.web.race_world
build PAIRS EDITS`` prints the ids as JSON; ``… inspect`` prints what the database holds.

The test process has its own (test) database; the server under test needs a real one, so
both steps run here, through the ORM, and talk JSON.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal

PASSWORD = "race-password-123"
USERS = {"reviewer_a": "reviewer", "reviewer_b": "reviewer", "approver": "approver", "editor": "editor"}
EDITED_PROJECTS = 2  # per edit table: two edited, one deleted, while the approver submits


def _project(table, seq):
    from jixiao.web.entry.models import Project

    return Project.objects.create(
        table=table, seq=seq, unit_name="甲单位", name=f"项目{seq}", gov_investment=False,
        budget=Decimal("100.00"), actual_total=Decimal("90.00"), actual_general_budget=Decimal("90.00"),
        actual_gov_fund=Decimal("0.00"), actual_non_fiscal=Decimal("0.00"), execution_rate_text="90.00%",
        annual_goal="完成年度任务", overall_completion="基本完成",
        indicators={"quantity": {"target": "培训≥4次", "actual": "培训5次"}}, problems="无", rectification="无")


def _edit_post(project, new_name: str) -> dict:
    """The project form as a browser posts it, with the name changed."""
    from jixiao.web.entry.forms import ProjectForm

    data = {k: ("" if v is None else str(v)) for k, v in ProjectForm.initial_from(project).items()}
    for key in project.table.layout_keys:
        data.setdefault(f"ind_{key}_target", "")
        data.setdefault(f"ind_{key}_actual", "")
    data["name"] = new_name
    form = ProjectForm(data, layout=project.table.layout_keys)
    assert form.is_valid(), form.errors
    return data


def build(pairs: int, edits: int) -> dict:
    from jixiao.web import demo_data
    from jixiao.web.entry.models import Department, DisclosureTable, Year
    from jixiao.web.review import gates, workflow

    dept = Department.objects.create(name="甲部门", short_name="甲")
    users = {name: demo_data.create_user(name, PASSWORD, role, None if role == "reviewer" else dept)
             for name, role in USERS.items()}
    decide = []
    for i in range(pairs):
        table = DisclosureTable.objects.create(year=Year.objects.create(year=2000 + i), department=dept,
                                               department_short="甲")
        _project(table, 1)
        workflow.submit(table, users["approver"], explanations={w.key: "已核实" for w in gates.assess(table).warnings})
        decide.append(table.pk)
    edit = []
    for i in range(edits):
        table = DisclosureTable.objects.create(year=Year.objects.create(year=2050 + i), department=dept,
                                               department_short="甲")
        projects = [_project(table, seq) for seq in range(1, EDITED_PROJECTS + 2)]
        edit.append({"table": table.pk,
                     "edits": [{"project": p.pk, "name": f"改名{i}-{p.seq}", "post": _edit_post(p, f"改名{i}-{p.seq}")}
                               for p in projects[:EDITED_PROJECTS]],
                     "delete": projects[-1].pk})
    return {"password": PASSWORD, "decide": decide, "edit": edit}


def inspect() -> dict:
    from jixiao.web.entry.models import DisclosureTable, Project

    tables = {}
    for t in DisclosureTable.objects.all():
        rounds = [{"number": r.number, "decision": r.decision, "submitted_at": r.submitted_at.isoformat(),
                   "comments": r.comments.count()} for r in t.rounds.order_by("number")]
        status_changes = [h.status for h in t.history.order_by("history_date", "history_id")]
        projects = {}
        for record in Project.history.filter(table_id=t.pk).order_by("history_date", "history_id"):
            projects.setdefault(str(record.id), []).append(
                {"type": record.history_type, "at": record.history_date.isoformat(), "name": record.name})
        tables[str(t.pk)] = {"status": t.status, "rounds": rounds, "statuses": status_changes,
                             "projects": projects,
                             "live": {str(p.pk): p.name for p in Project.objects.filter(table=t)}}
    return tables


def main(argv: list[str]) -> int:
    from jixiao.web import bootstrap

    bootstrap.setup_django()
    if argv[0] == "build":
        bootstrap.migrate()
        print(json.dumps(build(int(argv[1]), int(argv[2])), ensure_ascii=False))
    else:
        print(json.dumps(inspect(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
