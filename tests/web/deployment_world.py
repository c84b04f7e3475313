"""The deployment test's world, built in a child process against the database the servers use
(``DATABASE_URL`` in the environment): ``python -m tests.web.deployment_world DATA_DIR`` loads
the demo (a published table, a submitted one, one user per role with the passwords it keeps
in DATA_DIR) and a draft table of the demo editor's department, and prints the ids as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def build(data_dir: Path) -> dict:
    import django

    django.setup()
    from jixiao.generate import generate_table
    from jixiao.web import demo_data
    from jixiao.web.entry import convert
    from jixiao.web.entry.models import Department, Publication

    demo_data.load(data_dir)
    passwords = json.loads((data_dir / "demo-users.json").read_text("utf-8"))
    seed = demo_data.seed_table()
    department = Department.objects.get(name=seed.department)
    draft = convert.save_table(generate_table(projects=3, seed=7, year=seed.year + 1, department=seed.department),
                               department=department)
    publication = Publication.objects.get()
    return {"editor": "gsl_editor", "password": passwords["gsl_editor"],
            "reviewer": "czj_reviewer", "reviewer_password": passwords["czj_reviewer"],
            "draft_table": draft.pk, "project": draft.projects.order_by("seq").first().pk,
            "publication": publication.pk, "department": department.pk}


if __name__ == "__main__":
    print(json.dumps(build(Path(sys.argv[1]))))
