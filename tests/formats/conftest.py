"""Fixtures shared by the format tests: each engine's PDF of the golden table and of a large
generated one, rendered once per test process (the large Typst PDF takes tens of seconds)."""

from __future__ import annotations

import pytest

from jixiao.generate import generate_table

from .pdf_checks import WRITERS

# Projects in the large table per engine: enough for several pages (WeasyPrint) and for many
# pages of a table in the hundreds (Typst, the default engine).
BIG_PROJECTS = {"weasyprint": 60, "typst": 300}


@pytest.fixture(scope="session")
def big_tables():
    return {engine: generate_table(projects=n, seed=3) for engine, n in BIG_PROJECTS.items()}


@pytest.fixture(scope="session")
def engine_pdf(tmp_path_factory, big_tables):
    """engine_pdf(engine, "seed" | "big"): that engine's PDF of the golden table or of
    big_tables[engine], written on first use."""
    from jixiao.formats import table_json
    from tests.conftest import GOLDEN

    made = {}

    def pdf(engine, which):
        if (engine, which) not in made:
            path = tmp_path_factory.mktemp(engine) / f"{which}.pdf"
            WRITERS[engine](table_json.load(GOLDEN) if which == "seed" else big_tables[engine], path)
            made[engine, which] = path
        return made[engine, which]

    return pdf
