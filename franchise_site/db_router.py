"""Send reads to the read replicas named in DATABASE_REPLICA_URLS, writes to the primary.

With no replicas configured every query goes to "default", so the router is a no-op locally.
Sign-in state (sessions, accounts, login lockouts) is always read from the primary: a replica a moment
behind would log an editor out, or forget a lockout, right after the primary recorded it.
"""

import random

from django.conf import settings

PRIMARY_ONLY_APPS = {"sessions", "auth", "axes"}


class ReplicaRouter:
    def _replicas(self):
        return [alias for alias in settings.DATABASES if alias.startswith("replica")]

    def db_for_read(self, model, **hints):
        replicas = self._replicas()
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        return random.choice(replicas) if replicas else "default"  # noqa: S311 - load spreading, not security  # nosec B311

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the same data as the primary, so any two rows may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
