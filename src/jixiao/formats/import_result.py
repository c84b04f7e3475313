"""What an importer hands back: the table plus what it is unsure of.

Shared by every importer (XLSX, PDF, text, JSON) and the dispatcher
``jixiao.formats.importer.import_file``; it lives in its own module so the
importers do not depend on the dispatcher.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.model import Table


@dataclass
class ImportResult:
    """An imported table.

    ``kind`` is the detected input kind ("xlsx" | "pdf" | "text" | "json");
    ``report`` lists, one line each, what could not be placed and other notes for the
    reader; ``confidence`` maps a cell path such as
    ``"projects[2].indicators.quantity.target"`` to a value in [0, 1] (1 = certain).
    """

    table: Table
    kind: str
    report: list[str] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
