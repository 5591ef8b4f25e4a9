"""The forms of a consultation: the secretariat's question, the coordinator's answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renfort.assistance.models import Opinion
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.limits import SHORT_TEXT


class AskForm(NamedErrorsForm):
    """What the secretariat asks the regional coordinator; the region is chosen only when
    the requesting administrations belong to several."""

    stored_in = {"question": "assistance.Consultation.question"}

    region = forms.ChoiceField(label=_("Region"), required=False, choices=())
    question = forms.CharField(
        label=_("Question"),
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you would like the coordinator's opinion on (at most 2,000 characters)."),
    )

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = regions
        if len(regions) <= 1:
            region.widget = forms.HiddenInput()


class AnswerForm(NamedErrorsForm):
    """The regional coordinator's opinion and comment."""

    stored_in = {"comment": "assistance.ConsultationAnswer.comment"}

    opinion = forms.ChoiceField(
        label=_("Opinion"), choices=Opinion.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required when you support with conditions (which ones) or do not support (why)."
        ),
    )
