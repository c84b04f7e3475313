"""``jixiao import FILE -o TABLE.json --year YEAR``: last year's file written as the chosen
year's table, with a note in the report; refused for a batch."""

from __future__ import annotations

from pathlib import Path

from jixiao.cli import main
from jixiao.formats import table_json

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEED = FIXTURES / "selfeval-2019-longgang-gsl.golden.json"


def test_year_option_writes_the_seed_as_the_2025_table(tmp_path):
    out, report = tmp_path / "2025.json", tmp_path / "report.txt"
    assert main(["import", str(SEED), "-o", str(out), "--report", str(report), "--year", "2025"]) == 0
    table, seed = table_json.load(out), table_json.load(SEED)
    assert table.year == 2025 and table.title == seed.title.replace("2019年", "2025年")
    assert [p.name for p in table.projects] == [p.name for p in seed.projects]
    assert table.totals() == seed.totals()
    assert "the file says 2019; written as 2025" in report.read_text(encoding="utf-8")


def test_without_year_the_file_year_is_kept(tmp_path):
    out = tmp_path / "t.json"
    assert main(["import", str(SEED), "-o", str(out), "--report", str(tmp_path / "r.txt")]) == 0
    assert table_json.load(out).year == 2019


def test_year_option_is_refused_for_a_batch(tmp_path, capsys):
    assert main(["import", str(SEED), str(SEED), "-o", str(tmp_path / "out") + "/", "--year", "2025"]) == 2
    assert "--year" in capsys.readouterr().err
