"""``{% export_form table=… %}`` / ``{% export_form year=… %}``: the bulk export's small form."""

from __future__ import annotations

from django import template

from ..exporting import FORMATS

register = template.Library()


@register.inclusion_tag("jobs/_export_form.html")
def export_form(table=None, year=None):
    return {"table": table, "year": year, "formats": FORMATS.items()}
