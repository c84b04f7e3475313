"""The held-out set of real (target, completion) pairs: gathered after the indicator parser was
tuned against the main corpus (tests/fidelity/pairs.jsonl), labelled by hand before jixiao was run on
it, and never to be tuned against (tests/fidelity/holdout/README.md). These tests check that it is
well-formed and disjoint from the main corpus, and that jixiao reads it at least as well as the floors
measured on it with ``bench/fidelity.py --corpus tests/fidelity/holdout`` (docs/fidelity.md, "Held-out set")."""

from __future__ import annotations

from pathlib import Path

import pytest


from .corpus_checks import check_ids, check_label, check_verbatim, fidelity

ROOT = Path(__file__).resolve().parents[2]
HOLDOUT = ROOT / "tests" / "fidelity" / "holdout"


PAIRS, SOURCES = fidelity.load(HOLDOUT)
MAIN_PAIRS, MAIN_SOURCES = fidelity.load(fidelity.CORPUS)

# Agreement of jixiao with the hand labels over the sure held-out pairs, in percent: the figures
# measured on 2026-12-07 (kind 20/21, operator 16/17, value 18/18, met 21/21, claimed 21/21), each
# rounded down to a whole percent. These are measured floors, not the goal: the goal is 97 for every
# field. Raise a floor when a parser change (fitted to the main corpus, never to this set) reads the
# held-out set better; never lower one to let a change pass.
FLOORS = {"kind": 95, "operator": 94, "value": 100, "met": 100, "claimed": 100}

# Size of the set as gathered. The goal is >= 60 pairs from >= 8 sources in >= 4 provinces; the
# search corpus yielded 26 usable pairs from 4 sources when this set was made (docs/fidelity.md).
MIN_PAIRS, MIN_SOURCES, MIN_PROVINCES = 26, 4, 4


def test_the_held_out_set_is_as_large_and_as_varied_as_recorded():
    assert len(PAIRS) >= MIN_PAIRS
    assert len(fidelity.disclosures(SOURCES)) >= MIN_SOURCES  # department x region x year
    assert len({s["province"] for s in SOURCES.values()}) >= MIN_PROVINCES


def test_no_held_out_source_is_in_the_main_corpus():
    assert not set(SOURCES) & set(MAIN_SOURCES)
    main_urls = {s["url"] for s in MAIN_SOURCES.values() if s["url"]}
    for s in SOURCES.values():
        assert s["url"] not in main_urls, s["id"]
    assert not fidelity.disclosures(SOURCES) & fidelity.disclosures(MAIN_SOURCES)
    assert not {p["id"] for p in PAIRS} & {p["id"] for p in MAIN_PAIRS}


def test_every_held_out_source_names_where_it_was_published():
    for s in SOURCES.values():
        assert s["url"] and s["url"].startswith(("http://", "https://")), s["id"]
        for key in ("title", "province", "region", "department", "excerpt", "layout"):
            assert s[key].strip(), (s["id"], key)
        assert 2010 <= s["year"] <= 2030, s["id"]


def test_every_held_out_pair_belongs_to_a_source_and_has_a_unique_id():
    check_ids(PAIRS, SOURCES)


@pytest.mark.parametrize("pair", PAIRS, ids=[p["id"] for p in PAIRS])
def test_the_held_out_pair_is_verbatim_in_its_source_excerpt(pair):
    check_verbatim(pair, SOURCES)


@pytest.mark.parametrize("pair", PAIRS, ids=[p["id"] for p in PAIRS])
def test_the_held_out_label_is_well_formed(pair):
    check_label(pair)


def test_jixiao_agrees_with_the_held_out_labels_at_least_as_often_as_the_measured_floors():
    figures, _ = fidelity.measure(PAIRS)
    for field, floor in FLOORS.items():
        if field == "claimed" and not fidelity.HAS_CLAIMED:
            continue
        agree, total = figures[field]
        assert 100 * agree >= floor * total, f"{field}: {agree}/{total} below {floor} %"
