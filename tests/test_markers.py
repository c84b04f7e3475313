"""The `slow` marker splits the suite into a fast development run and the rest: the README
documents the fast command, scripts/test.sh hands it to pytest and CI still runs every test."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAST = 'scripts/test.sh -m "not slow"'


def test_the_fast_command_is_documented_in_both_languages_of_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    chinese, english = readme.split("\n## English\n", 1)
    assert FAST in chinese and FAST in english


def test_the_slow_marker_says_what_it_means_and_how_to_leave_it_out():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    markers = dict(m.split(": ", 1) for m in config["tool"]["pytest"]["ini_options"]["markers"])
    assert re.search(r"over ~\d+ s", markers["slow"]) and FAST in markers["slow"]


def test_the_test_script_passes_its_arguments_to_pytest():
    script = (ROOT / "scripts" / "test.sh").read_text("utf-8")
    assert re.search(r"^exec .*-m pytest .*\"\$@\"$", script, re.M)


def test_ci_runs_the_whole_suite():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert re.search(r"^scripts/test\.sh$", ci, re.M)
