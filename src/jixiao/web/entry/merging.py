"""Three-way merge of a project form with what was saved meanwhile.

Two editors often open the same project and change different fields. A plain version check
would refuse the second save and make that editor retype their work; writing the whole form
would silently undo the first editor's change. So the form carries the values it started from
(the *base*: a signed snapshot in a hidden field), and a save compares, field by field, the
base, the editor's input (*mine*) and what is stored now (*current*):

- mine equals the base: the editor did not touch the field; the stored value stays (another
  editor's change to it is kept, and the save says so);
- mine differs from the base and the current value still equals the base (or already equals
  mine): the editor's value is written;
- mine, the base and the current value all differ: both changed the field — a conflict. Nothing
  is written; the form answers 409 and lists only these fields, by their labels, for the editor
  to keep theirs or take the stored value.

Values are compared as the form cleans them (``100`` and ``100.00`` are the same amount), so
the merge is generic over the form's fields: a field added to the form is merged like the rest.
A form without a readable snapshot (a page loaded before the snapshot existed) counts every
field as changed by both sides when the version moved on, so nothing is overwritten unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core import signing

from jixiao.core.taxonomy import KIND_BY_KEY

from .. import language

SALT = "jixiao.entry.project-form-base"
NOT_MERGED = ("version", "base")  # the form's bookkeeping, not the project's fields
TAKE_THEIRS = "theirs"  # the choice per conflicting field (radio ``keep_<field>``: "mine" or this)


def snapshot(values: dict) -> str:
    """The form's starting values, signed (so a post cannot claim a base it was not given)."""
    return signing.dumps({k: v for k, v in values.items() if k not in NOT_MERGED}, salt=SALT, compress=True)


def read_snapshot(token: str | None) -> dict | None:
    """The values a snapshot holds, or None when it is missing or not ours."""
    if not token:
        return None
    try:
        values = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return values if isinstance(values, dict) else None


@dataclass
class Merge:
    values: dict  # the form's values to save (conflicting fields hold mine)
    conflicts: list[str] = field(default_factory=list)  # both changed, differently
    theirs_kept: list[str] = field(default_factory=list)  # only the stored side changed


_MISSING = object()


def _cleaned(f: forms.Field, raw):
    try:
        return f.clean(raw)
    except forms.ValidationError:
        return ("invalid", raw)


def merge(fields: dict[str, forms.Field], base: dict | None, mine: dict, current: dict) -> Merge:
    """Merge ``mine`` (the posted values) into ``current`` (the stored ones) against ``base``
    (the values the form started from; None: unknown, every difference is a conflict)."""
    out = Merge(values={})
    for name, f in fields.items():
        if name in NOT_MERGED:
            continue
        m, c = mine.get(name, ""), current.get(name, "")
        b = _MISSING if base is None else base.get(name, _MISSING)

        def same(x, y, f=f):
            return x is not _MISSING and y is not _MISSING and _cleaned(f, x) == _cleaned(f, y)

        mine_changed, theirs_changed = not same(m, b), not same(c, b)
        out.values[name] = m if mine_changed else c
        if theirs_changed and not mine_changed:
            out.theirs_kept.append(name)
        elif theirs_changed and not same(m, c):
            out.conflicts.append(name)
    return out


def apply_choices(posted: dict, base: dict | None, choices) -> dict:
    """The posted values with each field the editor chose to take from the stored version (on
    the conflict page, where the base is that version) replaced by the base's value."""
    values = dict(posted)
    if base is None:
        return values
    for name in list(values):
        if name not in NOT_MERGED and choices.get(f"keep_{name}") == TAKE_THEIRS and name in base:
            values[name] = base[name]
    return values


def label(form: forms.Form, name: str) -> str:
    """A field's label as the form shows it; an indicator's fields are prefixed with their
    column (数量指标 年度指标内容), since every column repeats the same labels."""
    text = str(form.fields[name].label or name)
    for key in getattr(form, "layout", ()):
        if name.startswith(f"ind_{key}_") and key in KIND_BY_KEY:
            return f"{language.indicator_name(KIND_BY_KEY[key])} {text}"
    return text


def shown(form: forms.Form, name: str, raw) -> str:
    """A raw value as the form shows it (a choice by its label)."""
    f = form.fields[name]
    for value, text in getattr(f, "choices", ()) or ():
        if str(value) == str(raw if raw is not None else ""):
            return str(text)
    return "" if raw is None else str(raw)
