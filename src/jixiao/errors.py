"""Errors that reach a user carry a message in Chinese and in English.

The CLI prints ``message_zh`` then ``message_en`` and exits with code 2 for any
:class:`InputError`; it never shows a traceback for these.
"""

from __future__ import annotations


class JixiaoError(Exception):
    """Base class: a problem the user can act on, told in both languages."""

    def __init__(self, message_zh: str, message_en: str, *, source: str | None = None,
                 path: str | None = None):
        self.message_zh = message_zh
        self.message_en = message_en
        self.source = source  # file name (or "<stdin>") the problem is in
        self.path = path  # location inside the input, e.g. a JSON path "$.projects[2].budget"
        super().__init__(self.describe())

    def describe(self) -> str:
        where = ""
        if self.source:
            where = self.source
        if self.path:
            where = f"{where} {self.path}" if where else self.path
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.message_zh} / {self.message_en}"


class InputError(JixiaoError):
    """The input cannot be used (malformed, wrong type, missing field, …): exit code 2."""


class OutputError(JixiaoError):
    """An output could not be written (unwritable path, missing font, …): exit code 2."""
