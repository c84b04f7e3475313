import json

from jixiao.cli import main
from jixiao.formats import table_json


def test_generate_table(tmp_path, capsys):
    out = tmp_path / "t.json"
    assert main(["generate", "-o", str(out), "--projects", "25", "--seed", "4", "--year", "2020"]) == 0
    table = table_json.load(out)
    assert len(table.projects) == 25 and table.year == 2020
    assert main(["check", str(out)]) == 0  # consistent by default
    again = tmp_path / "u.json"
    main(["generate", "-o", str(again), "--projects", "25", "--seed", "4", "--year", "2020"])
    assert again.read_bytes() == out.read_bytes()


def test_generate_inconsistent_rows_fail_check(tmp_path, capsys):
    out = tmp_path / "t.json"
    assert main(["generate", "-o", str(out), "--projects", "40", "--inconsistent", "0.5"]) == 0
    assert main(["check", str(out)]) == 1


def test_generate_province_jsonl(tmp_path, capsys):
    out = tmp_path / "p.jsonl"
    assert main(["generate", "-o", str(out), "--projects", "500", "--inconsistent", "0", "--seed", "2"]) == 0
    lines = out.read_text("utf-8").splitlines()
    tables = [table_json.loads(line) for line in lines]
    assert sum(len(t.projects) for t in tables) == 500 and len(tables) > 5
    assert "500" in capsys.readouterr().err


def test_generate_bad_arguments(tmp_path, capsys):
    assert main(["generate", "-o", str(tmp_path / "t.json"), "--inconsistent", "2"]) == 2
    assert "--inconsistent" in capsys.readouterr().err
    assert main(["generate", "-o", str(tmp_path / "t.txt")]) == 2
    assert main(["generate", "-o", str(tmp_path / "missing" / "t.json")]) == 2
    assert "output folder does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_generate_default_is_valid_json(tmp_path):
    out = tmp_path / "t.json"
    main(["generate", "-o", str(out)])
    assert len(json.loads(out.read_text("utf-8"))["projects"]) == 8
