"""Shared fixtures. The seed table (text as pdftotext made it, and its golden transcription)
is copied into tests/fixtures so the suite does not depend on ../shared being present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as _hyp_settings

FIXTURES = Path(__file__).parent / "fixtures"
SEED_TEXT = FIXTURES / "000_68657388ac173f3b.txt"
GOLDEN = FIXTURES / "selfeval-2019-longgang-gsl.golden.json"


@pytest.fixture
def golden_path() -> Path:
    return GOLDEN


@pytest.fixture
def seed_table():
    from jixiao.formats import table_json

    return table_json.load(GOLDEN)


# Property tests: in CI (CI=true) Hypothesis runs derandomized, so a CI run is reproducible and
# a failure there is the same failure on a developer's machine. Locally examples stay random,
# which is where new counterexamples get found.

_hyp_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hyp_settings.load_profile("ci")
