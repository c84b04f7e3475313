"""The fields a browser posts for an HTML form: its inputs as the page rendered them (text and
hidden fields with their values, checked boxes and radios, the selected option, textareas),
without any button. Used to save a form through a live server exactly as the page would."""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED_TYPES = {"submit", "button", "image", "reset", "file"}


class _Fields(HTMLParser):
    def __init__(self, form_id: str | None, action: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _ours(self, attrs: dict) -> bool:
        if "form" in attrs:
            return self.form_id is not None and attrs["form"] == self.form_id
        return self.inside

    def handle_starttag(self, tag, attrs):
        a = {k: ("" if v is None else v) for k, v in attrs}
        if tag == "form" and not self.fields and (
                (self.form_id is not None and a.get("id") == self.form_id)
                or (self.action is not None and a.get("action") == self.action)):
            self.inside = True
        elif tag == "input" and a.get("name") and self._ours(a):
            kind = a.get("type", "text").lower()
            if kind in SKIPPED_TYPES or (kind in ("checkbox", "radio") and "checked" not in a):
                return
            self.fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and a.get("name") and self._ours(a):
            self._select, self._select_value, self._first_option = a["name"], None, None
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            if self._first_option is None:
                self._first_option = self._option
            if "selected" in a:
                self._select_value = self._option
        elif tag == "textarea" and a.get("name") and self._ours(a):
            self._textarea, self._text = a["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            value = self._select_value if self._select_value is not None else self._first_option
            if value is not None:
                self.fields.append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_fields(html: str, form_id: str | None = None, *, action: str | None = None) -> dict[str, str]:
    """Name → value of every field the form posts (the last one of a name): the form with
    ``id=form_id``, or the first whose ``action`` is ``action``."""
    parser = _Fields(form_id, action)
    parser.feed(html)
    if not parser.fields:
        raise ValueError(f"no form {form_id or action} with fields in the page")
    return dict(parser.fields)
