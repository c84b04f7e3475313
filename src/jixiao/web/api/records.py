"""The API's project record (docs/api.md, "Project"), as a dict and as JSON text.

A record has two kinds of fields:

- fixed by the publication (``position`` … ``actual_non_fiscal``: the snapshot's cells and
  the table's money unit). :func:`fixed_json` writes them once, when the publication is
  indexed, into ``PublishedProject.record_json``;
- those that depend on the request or may change later: the ids with their absolute links
  (the host is the request's), ``year``, ``department``, ``is_current`` (false once the
  table is published again) and the publication's status (``status``, ``withdrawal``,
  ``corrected_by``: a withdrawal or a correction comes after publishing). :func:`record_json`
  puts them in front of the stored text. The status is read with the rows (views.with_status),
  never stored, so a withdrawal or a correction rewrites no stored text.

A page of 50 projects is then 50 string joins instead of decoding 50 JSON documents into
dicts and encoding them again: the uncached ``/api/projects/`` page cost ~11 ms of CPU, most
of it there and in the ORM (docs/benchmarks/web.md, run of 2026-11-28 03:27 UTC). The detail
(``/api/projects/{id}/``) is written the same way, so a record is the same text wherever it
is read. The text is exactly what ``json.dumps`` of the record as a dict gives (same key
order, same separators as Django's ``JsonResponse``): ``tests/web/test_api.py`` compares a
page with its decoded JSON, and the stored text with what the snapshot says.

Changing the fields here changes what new publications store: rows indexed before need a
data migration that writes ``record_json`` again (:func:`rewrite_stored`).
"""

from __future__ import annotations

import itertools
import json
from json.encoder import encode_basestring

from jixiao.core.taxonomy import FULL

AMOUNT_KEYS = ("budget", "actual_total", "actual_general_budget", "actual_gov_fund", "actual_non_fiscal")
TEXT_KEYS = ("unit_name", "name", "annual_goal", "overall_completion", "problems", "rectification")


def indicator_fields(cell: dict) -> dict:
    """A cell's texts as stored and whether it is marked not applicable (不适用) and why; a
    marked cell's target and completion are empty (core.model.IndicatorCell)."""
    return {"target": cell.get("target") or "", "actual": cell.get("actual") or "",
            "not_applicable": bool(cell.get("not_applicable")), "na_reason": cell.get("na_reason") or ""}


def fixed_json(doc: dict, money_unit: str, position: int, seq: int) -> str:
    """The fields fixed by the publication, in the record's order, as a JSON object (the text
    stored in ``record_json``): from the project's table JSON ``doc``, the table's money unit,
    the row number and the printed 序号."""
    cells = doc.get("indicators") or {}
    fields = {
        "position": position,
        "seq": seq,
        "money_unit": money_unit,
        "gov_investment": doc.get("gov_investment"),
        "execution_rate": doc.get("execution_rate") or "",
        # In the taxonomy's order, not the document's: PostgreSQL's jsonb gives an object's
        # keys back in an order of its own, and the text is written from the snapshot in
        # memory (index) or from the database (migration) — the same record either way.
        "indicators": {k: indicator_fields(cells[k]) for k in FULL if k in cells},
    }
    for key in TEXT_KEYS:
        fields[key] = doc.get(key) or ""
    for key in AMOUNT_KEYS:
        value = doc.get(key)
        fields[key] = None if value in (None, "") else str(value)
    return _dumps(fields)


def _dumps(value) -> str:
    # JsonResponse's encoding: Chinese as is, default separators (", " and ": ").
    return json.dumps(value, ensure_ascii=False)


def record_json(row: dict, url_json: str, table_url_json: str, status: dict) -> str:
    """The record as JSON text: the fields that depend on the request (the links, already JSON
    string literals still to be filled in) or may change (``is_current``, the publication's
    ``status``) from the index ``row`` (a ``values()`` dict), then the stored ``record_json``
    object's members (its brace dropped)."""
    # Published and never withdrawn nor corrected: the common case, written without an encoder.
    status_json = (_PUBLISHED if status["status"] == "published" else _dumps(status)[1:-1])
    # encode_basestring is what json.dumps(..., ensure_ascii=False) uses for a str, minus
    # the per-call encoder set-up (the larger part of the cost for short strings).
    return (f'{{"id": {row["id"]:d}, "url": {url_json}, "table": {row["table_id"]:d}, "table_url": {table_url_json}, '
            f'"year": {row["year"]:d}, "department": {{"id": {row["department_id_live"]:d}, '
            f'"name": {encode_basestring(row["department"])}}}, '
            f'"is_current": {"true" if row["is_current"] else "false"}, {status_json}, {row["record_json"][1:]}')


_PUBLISHED = '"status": "published", "withdrawal": null, "corrected_by": null'


BATCH = 2000  # rows the index and the data migrations write at a time


def rewrite_stored(project_model) -> None:
    """Write every stored row's ``record_json`` again with :func:`fixed_json` (the data
    migrations that change a record's shape call this, so rows indexed before get the same
    text the index writes for new ones)."""
    stored = project_model.objects.select_related("table").order_by("pk").iterator(chunk_size=BATCH)
    for rows in batches(stored):
        for row in rows:
            row.record_json = fixed_json(row.document, row.table.money_unit, row.position, row.seq)
        project_model.objects.bulk_update(rows, ["record_json"])


def batches(rows):
    """``rows`` (any iterable) in lists of :data:`BATCH`, the last one shorter."""
    rows = iter(rows)
    while batch := list(itertools.islice(rows, BATCH)):
        yield batch
