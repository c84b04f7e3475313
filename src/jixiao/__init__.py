"""jixiao (绩效): budget project performance self-evaluation (预算项目绩效自评) as data.

The package has three layers:

* ``jixiao.core`` — the domain: model, money, taxonomy, checks, targets, scoring.
  Pure Python, no Django and no I/O, so every rule can be tested and reused.
* ``jixiao.formats`` — reading and writing files (table JSON, XLSX, PDF, HTML, CSV, text).
* ``jixiao.web`` — the Django application.
"""

__version__ = "0.1.0"
