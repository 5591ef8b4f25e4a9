"""Template helpers of the results forms."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def field(form: forms.Form, expert_id: int) -> tuple[forms.BoundField, forms.BoundField]:
    """An evaluation form's rating and comment of one expert: ``form|field:expert.pk``."""
    return form[f"expert_{expert_id}_rating"], form[f"expert_{expert_id}_comment"]
