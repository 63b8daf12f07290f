"""The error summary shown at the top of every form: each error links to its field."""

from django.forms import BaseForm, BaseFormSet


def summarise_errors(*forms) -> list[dict]:
    """A flat list of ``{"id", "label", "message"}`` for forms and formsets, in page order."""
    summary = []
    for form in forms:
        if form is None or not form.is_bound:
            continue
        if isinstance(form, BaseFormSet):
            for message in form.non_form_errors():
                summary.append({"id": f"{form.prefix}-errors", "label": "", "message": message})
            for index, subform in enumerate(form.forms, start=1):
                summary.extend(_form_errors(subform, row=index))
        elif isinstance(form, BaseForm):
            summary.extend(_form_errors(form))
    return summary


def _form_errors(form, row: int | None = None) -> list[dict]:
    items = []
    for name, messages in form.errors.items():
        if name == "__all__":
            anchor, label = f"{form.prefix or 'form'}-errors", ""
        else:
            field = form[name]
            # Radio groups have no single input to jump to; crispy wraps them in div_<id>.
            anchor = field.id_for_label or f"div_{field.auto_id}"
            label = str(field.label)
            if row is not None:
                label = f"{row}. {label}"
        items.extend({"id": anchor, "label": label, "message": message} for message in messages)
    return items
