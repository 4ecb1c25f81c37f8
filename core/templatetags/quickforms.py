"""`{% quick_form form %}`: the markup of includes/form.html, written in Python for text, number and
select fields. Django renders every widget and every <option> through its own template: the 47
prefectures of a search form cost more than the rest of the page. Other widgets fall back to
includes/field.html, so the output stays the same."""

from django import forms
from django.forms.utils import flatatt
from django.template import Library
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = Library()

INPUTS = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.HiddenInput)


def _quick_widget(field):
    """The widget's HTML like BoundField.as_widget, or None when it is not a plain input or select."""
    widget = field.field.widget
    plain_select = type(widget) is forms.Select
    if not plain_select and type(widget) not in INPUTS:
        return None
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    attrs = widget.build_attrs(widget.attrs, attrs)
    value = field.value()
    if not plain_select:
        shown = widget.format_value(value)
        value_attr = "" if shown is None else format_html(' value="{}"', shown)
        return format_html('<input type="{}" name="{}"{}{}>', widget.input_type, field.html_name, value_attr, flatatt(attrs))
    selected = "" if value is None else str(value)
    options, found = [], False
    for option_value, label in widget.choices:
        if isinstance(label, (list, tuple)):  # optgroups: Django's own rendering
            return None
        option_value = "" if option_value is None else str(option_value)
        is_selected = not found and option_value == selected
        found |= is_selected
        options.append(format_html('<option value="{}"{}>{}</option>', option_value, " selected" if is_selected else "", label))
    return format_html('<select name="{}"{}>{}</select>', field.html_name, flatatt(attrs), mark_safe("".join(options)))


def _quick_field(field):
    html = _quick_widget(field)
    if html is None:
        return render_to_string("includes/field.html", {"field": field})
    required = format_html(' <span class="required">{}</span>', gettext("必須")) if field.field.required else ""
    parts = [
        format_html('<div class="field{}">', " field-error" if field.errors else ""),
        format_html('<label for="{}">{}{}</label>', field.id_for_label, field.label, required),
        html,
    ]
    if field.help_text:
        parts.append(format_html('<p class="help" id="{}_helptext">{}</p>', field.auto_id, field.help_text))
    if field.errors:
        errors = "".join(format_html("<p>{}</p>", error) for error in field.errors)
        parts.append(format_html('<div class="errors" id="{}_error" role="alert">{}</div>', field.auto_id, mark_safe(errors)))
    parts.append("</div>")
    return mark_safe("".join(parts))


@register.simple_tag
def quick_form(form):
    parts = []
    if form.non_field_errors():
        errors = "".join(format_html("<p>{}</p>", error) for error in form.non_field_errors())
        parts.append(format_html('<div class="errors form-errors" role="alert">{}</div>', mark_safe(errors)))
    parts.extend(_quick_widget(field) or conditional_escape(field) for field in form.hidden_fields())
    parts.extend(_quick_field(field) for field in form.visible_fields())
    return mark_safe("".join(parts))
