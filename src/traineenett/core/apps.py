from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_register(sender: AppConfig, **kwargs: Any) -> None:
    # The municipality register ships with the package; every migrate (and every test
    # database flush) refreshes it so an upgraded package brings its corrections along.
    from traineenett.core.services import municipality_register_load

    if kwargs.get("using", "default") == "default":
        municipality_register_load()


class CoreConfig(AppConfig):
    name = "traineenett.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        post_migrate.connect(_load_register, sender=self, dispatch_uid="core.load_register")
