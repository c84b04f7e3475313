"""What every labelled pair corpus (the main one and the held-out set) must satisfy, checked by
both test modules: bench/fidelity.py loaded once, ids unique and tied to a source, each pair
verbatim in its source's excerpt, each label well-formed."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

from jixiao.core.taxonomy import KIND_BY_KEY

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    if "bench_fidelity" in sys.modules:
        return sys.modules["bench_fidelity"]
    spec = importlib.util.spec_from_file_location("bench_fidelity", ROOT / "bench" / "fidelity.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_fidelity"] = module
    spec.loader.exec_module(module)
    return module


fidelity = _bench()


def check_ids(pairs: list[dict], sources: dict) -> None:
    ids = [p["id"] for p in pairs]
    assert len(ids) == len(set(ids))
    for p in pairs:
        assert p["source"] in sources, p["id"]
        assert p["id"].startswith(p["source"] + "#"), p["id"]


def check_verbatim(pair: dict, sources: dict) -> None:
    excerpt = fidelity.fold(sources[pair["source"]]["excerpt"])
    for key in ("target", "actual", "name"):
        assert fidelity.fold(pair[key]) in excerpt, (pair["id"], key, pair[key])
    assert pair["target"].strip() and pair["actual"].strip(), pair["id"]


def check_label(pair: dict) -> None:
    lab = pair["label"]
    assert pair["kind"] is None or pair["kind"] in KIND_BY_KEY, pair["id"]
    assert isinstance(pair["sure"], bool) and isinstance(pair["note"], str)
    assert lab["kind"] in ("quantity", "deadline", "qualitative")
    assert lab["met"] in (True, False, None) and lab["claimed"] in (True, False)
    if lab["kind"] == "quantity":
        assert lab["op"] in (">=", "<=", "=", ">", "<", "range")
        Decimal(lab["value"])
        if lab["op"] == "range":
            assert Decimal(lab["upper"]) >= Decimal(lab["value"])
        else:
            assert lab["upper"] is None
    elif lab["kind"] == "deadline":
        assert lab["op"] == "<=" and lab["value"] is None and lab["unit"] is None
        if lab.get("date"):
            parts = [int(x) for x in lab["date"].split("-")]
            assert len(parts) in (2, 3) and 1 <= parts[-2] <= 12 and 1 <= parts[-1] <= 31
    else:
        assert lab["op"] is None and lab["value"] is None and lab["unit"] is None
    if not pair["sure"]:
        assert pair["note"].strip(), f"{pair['id']}: an unsure label says why"
