"""Post a rendered form the way a browser does: every field the page shows, unchanged ones included.

A test that posts only the fields it changed once hid a bug that deleted residents' budget lines;
these helpers read the page's own HTML instead, so the test sends what a person's browser would.
"""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Collects the successful controls of one ``<form>`` (by id), skipping ``<template>`` content."""

    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.form_depth = 0
        self.template_depth = 0
        self.fields: list[tuple[str, str]] = []
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None
        self.found = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            if self.in_form:
                self.form_depth += 1
            elif self.form_id is None or attributes.get("id") == self.form_id:
                self.in_form, self.found = True, True
            return
        if not self.in_form:
            return
        if tag == "template":
            self.template_depth += 1
            return
        if self.template_depth or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value", "on")))
                return
            self.fields.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self.select = {"name": name, "options": [], "multiple": "multiple" in attributes}
        elif tag == "option" and self.select is not None:
            self.option = {"value": attributes.get("value"), "text": "", "selected": "selected" in attributes}
            self.select["options"].append(self.option)
        elif tag == "textarea" and name:
            self.textarea = {"name": name, "text": ""}

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "form":
            if self.form_depth:
                self.form_depth -= 1
            else:
                self.in_form = False
        elif tag == "template" and self.template_depth:
            self.template_depth -= 1
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [option for option in options if option["selected"]]
            if not chosen and options and not self.select["multiple"]:
                chosen = options[:1]  # a browser sends the first option when none is selected
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"].strip()
                self.fields.append((self.select["name"], value))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            self.fields.append((self.textarea["name"], text[1:] if text.startswith("\n") else text))
            self.textarea = None

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        elif self.textarea is not None:
            self.textarea["text"] += data


def form_fields(html: str | bytes, form_id: str | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser would submit for the form with ``form_id`` (or the first)."""
    reader = _FormReader(form_id)
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    if not reader.found:
        raise AssertionError(f"no form with id {form_id!r} on the page")
    return reader.fields


def form_data(html: str | bytes, form_id: str | None = None, **submit) -> dict:
    """``form_fields`` as a dict for the test client (a repeated name keeps a list), plus the button."""
    data: dict = {}
    for name, value in form_fields(html, form_id):
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    data.update(submit)
    return data
