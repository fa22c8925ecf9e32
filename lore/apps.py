from django.apps import AppConfig


class LoreConfig(AppConfig):
    name = "lore"
    verbose_name = "Lore"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lore import restore
        from lore.caching import connect_signals

        connect_signals()
        restore.connect_signals()
