"""The form renderer: Django's own, with selects written in Python.

Django renders a ``<select>`` by including a template once per option. A select of the
world's countries or of every member administration costs tens of milliseconds that way, on
every page with a filter form, which is most lists. ``FastRenderer`` writes exactly the same
HTML as Django's templates for ``django/forms/widgets/select.html`` (single and multiple,
option groups, attributes, escaping; checked against Django's output in
``lib/tests/test_form_renderer.py``) and leaves every other template to Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: Mapping[str, Any]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"'
        f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
    )


def render_select(widget: Mapping[str, Any]) -> str | None:
    """The select's HTML, or None when an option uses a template of its own."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            out.append("\n  " + _option(option) + "\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FastRenderer(DjangoTemplates):
    """``settings.FORM_RENDERER``: Django's template renderer, selects aside."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return str(super().render(template_name, context, request=request))
