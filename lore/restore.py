"""Loading a dump or a fixture replays rows that already have their history; it is not an edit.

django-simple-history skips raw saves, but not the many-to-many changes loaddata makes right after them,
so restoring a backup would add an "edited" history row for every character, location and organization
(and on PostgreSQL collide with the history ids the backup restores). Marking raw-saved instances the
way simple-history documents stops that.
"""

from django.db.models.signals import pre_save


def _skip_history(sender, instance, raw=False, **kwargs):
    if raw and sender._meta.app_label == "lore":
        instance.skip_history_when_saving = True


def connect_signals():
    pre_save.connect(_skip_history, dispatch_uid="lore.restore.skip_history")
