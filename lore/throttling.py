"""Anonymous throttling for the API, at the rate the LORE_API_ANON_RATE setting gives."""

from rest_framework import throttling
from rest_framework.settings import api_settings

from lore.middleware import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    """DRF's per-address throttle, with two changes.

    The rate is read when a request comes in: DRF's own class copies the rates once, when it is defined,
    so a changed setting (a test's override, say) would never reach it. And the address is the one the
    rest of the site trusts (lore.middleware.client_ip): DRF would otherwise take any X-Forwarded-For a
    client sends, so a client could dodge the limit by inventing a new one on every request.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)
