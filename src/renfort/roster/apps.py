from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "renfort.roster"
    verbose_name = _("Expert pool")
