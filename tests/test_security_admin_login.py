"""Password guessing at the admin login is cut short: after DJANGO_AXES_FAILURE_LIMIT failures the next
attempt is refused, even with the right password, until the cool-off ends."""

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from lore.middleware import client_ip

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@lore.example", PASSWORD)


def log_in(client, password, **extra):
    return client.post(reverse("admin:login"), {"username": "editor", "password": password}, **extra)


def test_the_right_password_logs_in_before_any_failure(client, editor):
    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_after_the_failure_limit_even_the_right_password_is_locked_out(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    statuses = [log_in(client, "guess").status_code for _ in range(3)]

    response = log_in(client, PASSWORD)

    assert statuses == [200, 200, 429]  # the form again with an error, then the lockout itself

    assert response.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302  # still sent to the login page


def test_the_lockout_follows_the_username_across_addresses(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        log_in(client, "guess", REMOTE_ADDR=f"203.0.113.{n}")

    assert log_in(client, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429


def test_without_a_proxy_the_client_address_is_the_socket_peer_whatever_the_headers_claim(settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1")

    assert client_ip(request) == "203.0.113.9"


def test_behind_the_proxy_the_client_address_is_the_one_the_proxy_appended(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    spoofed = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")

    assert client_ip(spoofed) == "203.0.113.9"
