from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renfort.lib.forms import NamedErrorsForm


class UploadForm(NamedErrorsForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV file (UTF-8, comma or semicolon) or an Excel workbook (.xlsx) with the "
            "columns of the template. Nothing is written before you confirm."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
