"""generate_lore: a synthetic franchise of about N records, reproducible, that never touches other franchises."""

import pytest
from django.core.management import CommandError, call_command

from lore.management.commands.generate_lore import delete_generated_franchise, plan
from lore.models import (
    Appearance,
    Character,
    Citation,
    Credit,
    Film,
    Franchise,
    Location,
    Organization,
    Person,
    ProductionNote,
    Source,
)

pytestmark = pytest.mark.django_db

RECORD_MODELS = (
    Franchise,
    Film,
    Person,
    Character,
    Credit,
    Appearance,
    Location,
    Organization,
    ProductionNote,
    Source,
    Citation,
)


def generate(*args):
    call_command("generate_lore", *args, verbosity=0)


def counts():
    return {model.__name__: model.objects.count() for model in RECORD_MODELS}


def snapshot(slug):
    """Everything generated for one franchise, as comparable values."""
    return (
        list(Film.objects.filter(franchise__slug=slug).order_by("pk").values_list("title", "slug", "release_date")),
        list(Character.objects.filter(franchise__slug=slug).order_by("pk").values_list("name", "aliases")),
        list(Credit.objects.filter(film__franchise__slug=slug).order_by("pk").values_list("role", "billing")),
    )


def test_it_builds_about_the_requested_number_of_records_of_every_type():
    generate("--size", "600", "--seed", "7")
    made = counts()
    assert 590 <= sum(made.values()) <= 700
    assert all(made.values()), made
    assert made["Credit"] > made["Film"] * 10  # realistic proportions: many credits per film


def test_the_generated_rows_satisfy_the_models_own_validation():
    generate("--size", "400", "--seed", "3")
    for model in (Film, Character, Location, Credit, Appearance, ProductionNote, Citation):
        for record in model.objects.all()[:25]:
            record.full_clean()


def test_the_same_seed_gives_the_same_franchise_and_another_seed_a_different_one():
    generate("--size", "300", "--seed", "11", "--franchise-slug", "first")
    generate("--size", "300", "--seed", "11", "--franchise-slug", "second")
    generate("--size", "300", "--seed", "12", "--franchise-slug", "third")
    first, second, third = snapshot("first"), snapshot("second"), snapshot("third")
    assert [title for title, _, _ in first[0]] == [title for title, _, _ in second[0]]
    assert first[1] == second[1] and first[2] == second[2]
    assert first[1] != third[1]


def test_slugs_carry_the_franchise_slug_so_they_stay_unique_site_wide():
    generate("--size", "300", "--franchise-slug", "saga-one")
    generate("--size", "300", "--franchise-slug", "saga-two")
    assert Person.objects.filter(slug__startswith="saga-one--").exists()
    assert not Film.objects.filter(franchise__slug="saga-two").exclude(slug__startswith="saga-two--").exists()


def test_it_refuses_an_existing_franchise_without_replace(john_wick):
    before = counts()
    with pytest.raises(CommandError, match="already exists"):
        generate("--size", "300", "--franchise-slug", "john-wick")
    assert counts() == before


def test_replace_rebuilds_only_its_own_franchise(john_wick):
    real = counts()
    generate("--size", "400", "--seed", "1")
    generate("--size", "400", "--seed", "2", "--franchise-slug", "neighbour")
    neighbour = snapshot("neighbour")
    generate("--size", "300", "--seed", "5", "--replace")
    assert snapshot("neighbour") == neighbour
    assert Franchise.objects.filter(slug="synthetic").count() == 1
    # The people and sources of the first build went with it; only the rebuild's are left.
    assert Person.objects.filter(slug__startswith="synthetic--").count() == plan(300)["people"]
    assert Source.objects.filter(slug__startswith="synthetic--").count() == plan(300)["sources"]
    generate("--size", "400", "--seed", "2", "--franchise-slug", "neighbour", "--replace")
    generate("--size", "20", "--replace")
    for slug in ("synthetic", "neighbour"):
        Franchise.objects.get(slug=slug)
    # Deleting both synthetic franchises' rows leaves exactly the real franchise's.
    for slug in ("synthetic", "neighbour"):
        delete_generated_franchise(Franchise.objects.get(slug=slug), f"{slug}--")
    assert counts() == real


@pytest.mark.parametrize(
    "args",
    [
        ("--size", "5"),
        ("--size", "100", "--franchise-slug", "Not A Slug"),
        ("--size", "100", "--franchise-slug", "double--hyphen"),
        ("--size", "100", "--batch-size", "0"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(args):
    with pytest.raises(CommandError):
        generate(*args)
    assert not Franchise.objects.exists()


def test_a_slug_already_taken_by_another_record_stops_it_without_writing_anything():
    generate("--size", "100", "--seed", "4", "--franchise-slug", "clash")
    taken = Source.objects.filter(slug__startswith="clash--").order_by("pk").first().slug
    delete_generated_franchise(Franchise.objects.get(slug="clash"), "clash--")
    Source.objects.create(title="Hand-made", slug=taken)
    before = counts()
    with pytest.raises(CommandError, match="Nothing was written"):
        generate("--size", "100", "--seed", "4", "--franchise-slug", "clash")
    assert counts() == before


def test_it_bumps_the_cache_generation_since_bulk_inserts_send_no_signals(monkeypatch):
    bumps = []
    monkeypatch.setattr("lore.management.commands.generate_lore.bump_generation", lambda: bumps.append(1))
    generate("--size", "100")
    assert bumps == [1]


def test_it_reports_progress_on_stderr(capsys):
    call_command("generate_lore", "--size", "200", verbosity=1)
    captured = capsys.readouterr()
    assert "citations" in captured.err
    assert "Created franchise 'synthetic'" in captured.out
