"""lore.loading.LeanLoading builds instances from full rows without Model.__init__: they must be the
instances Django would have built, and anything it cannot build the same way must go through Django."""

from unittest import mock

import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import post_init

from lore import loading
from lore.loading import LeanLoading
from lore.models import Credit, Film

LEAN_MODELS = [model for model in apps.get_app_config("lore").get_models() if issubclass(model, LeanLoading)]


def fields_of(instance):
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def built_by_django(queryset):
    """The queryset's rows as Django's own Model.from_db builds them."""
    with mock.patch.object(loading, "_attnames", return_value=None):
        return list(queryset)


def test_every_record_model_and_citations_load_the_lean_way():
    names = {model.__name__ for model in LEAN_MODELS}
    assert {"Film", "Person", "Credit", "Citation", "ProductionNote", "Source"} <= names
    for model in LEAN_MODELS:
        assert loading._attnames(model) == tuple(field.attname for field in model._meta.concrete_fields)


@pytest.mark.parametrize("model", LEAN_MODELS, ids=lambda model: model.__name__)
def test_instances_are_those_django_builds(read_only_john_wick, model):
    queryset = model._default_manager.order_by("pk")
    lean = list(queryset)
    assert lean, "the fixture has rows of every model"
    for ours, djangos in zip(lean, built_by_django(queryset), strict=True):
        assert fields_of(ours) == fields_of(djangos)
        assert (ours._state.adding, ours._state.db) == (djangos._state.adding, djangos._state.db) == (False, "default")


def test_model_init_is_not_run_for_a_full_row(read_only_john_wick):
    with mock.patch.object(models.Model, "__init__", side_effect=AssertionError("Model.__init__ ran")):
        films = list(Film.objects.all())
    assert films
    with (
        mock.patch.object(models.Model, "__init__", side_effect=AssertionError("Model.__init__ ran")),
        pytest.raises(AssertionError, match="Model.__init__ ran"),
    ):
        built_by_django(Film.objects.all())


def test_deferred_fields_go_through_django(read_only_john_wick, django_assert_num_queries):
    full = Film.objects.get(slug="ballerina")
    film = Film.objects.only("title", "slug").get(slug="ballerina")
    assert (film.pk, film.title, film.slug) == (full.pk, full.title, full.slug)
    assert film.get_deferred_fields() >= {"synopsis", "release_date", "franchise_id"}
    with django_assert_num_queries(1):
        assert film.synopsis == full.synopsis
    assert "synopsis" not in film.get_deferred_fields()


def test_a_post_init_receiver_still_sees_every_instance(read_only_john_wick):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.slug)

    post_init.connect(receiver, sender=Film)
    try:
        films = list(Film.objects.order_by("slug"))
    finally:
        post_init.disconnect(receiver, sender=Film)
    assert seen == [film.slug for film in films]


def test_a_loaded_instance_saves_as_an_update_and_reloads(read_only_john_wick):
    film = Film.objects.get(slug="ballerina")
    count = Film.objects.count()
    film.title = "Ballerina (edited)"
    film.save()
    assert Film.objects.count() == count
    assert Film.objects.get(slug="ballerina").title == "Ballerina (edited)"
    film.title = "stale"
    film.refresh_from_db()
    assert film.title == "Ballerina (edited)"


def test_select_related_objects_are_cached_on_lean_instances(read_only_john_wick, django_assert_num_queries):
    credits = list(Credit.objects.select_related("film", "person").order_by("pk")[:5])
    with django_assert_num_queries(0):
        pairs = [(credit.film.slug, credit.person.slug) for credit in credits]
    assert all(film and person for film, person in pairs)
    # Setting a foreign key's column on a lean instance drops the cached object, as on any other instance.
    other = Film.objects.exclude(pk=credits[0].film_id).first()
    credits[0].film_id = other.pk
    assert credits[0].film == other


def test_a_field_attribute_that_is_not_djangos_own_descriptor_goes_through_django():
    class Shadowed(property):
        pass

    with mock.patch.object(Film, "title", Shadowed(lambda self: "shadow")):
        loading._attnames.cache_clear()
        try:
            assert loading._attnames(Film) is None
        finally:
            loading._attnames.cache_clear()
    assert loading._attnames(Film) is not None
