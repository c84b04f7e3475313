"""Form widgets.

:class:`PlainSelect` is Django's ``Select`` drawn in Python rather than through the widget
templates. Why: the comment form on a table page lists every project of the table, and Django
renders each ``<option>`` through two template includes — for a department of 100–200 projects
that was about half of the page's render time (docs/benchmarks/web.md, run of 2026-11-28 08:12 UTC). The HTML is
the one Django's templates write, character for character (tests/web/test_widgets.py
compares the two for choices, groups, selections, attributes and text that needs escaping).
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html: False leaves the attribute out, True writes it bare.
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


class PlainSelect(forms.Select):
    """A ``<select>`` written in Python: the same HTML as ``forms.Select``, without a template
    include per option."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        # Each option ends with the newline its template file ends with.
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                parts.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                             f'{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>\n')
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
