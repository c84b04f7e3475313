"""The JX611 panel on the self-evaluation's table page: approved targets stated otherwise there.

An inclusion tag, so the entry app's template needs one line and its view nothing."""

from django import template

from .. import access, changes

register = template.Library()


@register.inclusion_tag("targets/_changes_panel.html", takes_context=True)
def approved_target_changes(context, table):
    sheet, found = changes.for_table(table)
    request = context.get("request")
    visible = sheet is not None and request is not None and access.visible_sheets(request.user).filter(
        pk=sheet.pk).exists()
    return {"changes": found, "sheet": sheet if visible else None}
