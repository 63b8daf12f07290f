"""Fast Bootstrap 5 fields for forms rendered many times on one page (formset rows).

crispy-forms renders each field through several templates and its layout machinery; on the
budget step (7 lines × 4 fields + the empty row) that was two thirds of the page's time
(``bench/profile_page.py``). A form with ``BootstrapFieldGroups`` renders each field with
Django's own ``{{ form.field.as_field_group }}`` through ``portal/templates/portal/field_group.html``:
the same markup crispy produces (ids, classes, the error summary's anchors), one small template.
"""

from django import forms

FIELD_GROUP_TEMPLATE = "portal/field_group.html"


def _widget_class(widget) -> str:
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    return "form-control"


class BootstrapFieldGroups:
    """Mixin for ``forms.Form``: Bootstrap classes on every widget, ``is-invalid`` on fields
    with errors, and ``as_field_group`` rendered through ``FIELD_GROUP_TEMPLATE``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = FIELD_GROUP_TEMPLATE
            css = field.widget.attrs.get("class", "")
            wanted = _widget_class(field.widget)
            if wanted not in css.split():
                field.widget.attrs["class"] = f"{css} {wanted}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", "").split():
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                # As crispy does: the input names its error message for screen readers.
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"
