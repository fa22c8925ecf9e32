"""Each person's credit count and each source's citation count, stored and kept by the database's triggers
(migration 0009), whatever writes the rows: the ORM one at a time or in bulk, loaddata, a raw UPDATE, a
stale instance saved, two transactions at once."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.models import Count

from lore.models import Citation, Credit, Person, Source
from tests.factories import make_world


def stored_and_counted():
    """Every person and source whose stored count differs from a count of its rows: [] when all agree."""
    people = Person.objects.annotate(counted=Count("credits")).values_list("slug", "credit_count", "counted")
    sources = Source.objects.annotate(counted=Count("citations")).values_list("slug", "citation_count", "counted")
    return [row for row in [*people, *sources] if row[1] != row[2]]


def credits_of(person):
    return Person.objects.values_list("credit_count", flat=True).get(pk=person.pk)


def citations_of(source):
    return Source.objects.values_list("citation_count", flat=True).get(pk=source.pk)


@pytest.fixture
def film_and_people(db):
    franchise = make_world(2)
    film = franchise.films.first()
    keanu = Person.objects.create(name="Keanu", slug="keanu")
    ana = Person.objects.create(name="Ana", slug="ana")
    return film, keanu, ana


def test_the_fixtures_load_with_every_count_right(john_wick):
    assert stored_and_counted() == []
    assert Person.objects.get(slug="keanu-reeves").credit_count == 5
    assert Source.objects.get(slug="ballerina-producer-article").citation_count == 18


def test_reloading_the_fixtures_over_the_database_keeps_the_counts(john_wick):
    credit = Credit.objects.filter(person__slug="keanu-reeves").first()
    Credit.objects.filter(pk=credit.pk).update(person=Person.objects.get(slug="erica-lee"))
    call_command("loaddata", "john_wick", verbosity=0)  # moves the credit back, by a raw save
    assert stored_and_counted() == []
    assert Person.objects.get(slug="keanu-reeves").credit_count == 5


def test_credits_added_moved_and_removed_one_at_a_time(film_and_people):
    film, keanu, ana = film_and_people
    credit = Credit.objects.create(film=film, person=keanu, role=Credit.Role.DIRECTOR)
    Credit.objects.create(film=film, person=keanu, role=Credit.Role.WRITER)
    assert (credits_of(keanu), credits_of(ana)) == (2, 0)
    credit.person = ana
    credit.save()
    assert (credits_of(keanu), credits_of(ana)) == (1, 1)
    credit.billing = 3
    credit.save()  # the same person: nothing to count
    assert (credits_of(keanu), credits_of(ana)) == (1, 1)
    credit.delete()
    assert (credits_of(keanu), credits_of(ana)) == (1, 0)
    assert stored_and_counted() == []


def test_credits_written_in_bulk(film_and_people):
    film, keanu, ana = film_and_people
    roles = [Credit.Role.DIRECTOR, Credit.Role.WRITER, Credit.Role.PRODUCER]
    Credit.objects.bulk_create(Credit(film=film, person=keanu, role=role) for role in roles)
    assert credits_of(keanu) == 3
    Credit.objects.filter(person=keanu, role__in=roles[:2]).update(person=ana)
    assert (credits_of(keanu), credits_of(ana)) == (1, 2)
    Credit.objects.filter(person__in=[keanu, ana]).delete()
    assert (credits_of(keanu), credits_of(ana)) == (0, 0)


def test_a_stale_instance_or_a_raw_update_cannot_change_the_count(film_and_people):
    film, keanu, _ = film_and_people
    stale = Person.objects.get(pk=keanu.pk)  # read with no credits
    Credit.objects.create(film=film, person=keanu, role=Credit.Role.DIRECTOR)
    stale.summary = "Edited after the credit was added elsewhere."
    stale.save()
    assert credits_of(keanu) == 1
    Person.objects.filter(pk=keanu.pk).update(credit_count=40)
    assert credits_of(keanu) == 1


def test_citations_count_for_their_source(film_and_people):
    film, keanu, _ = film_and_people
    article = Source.objects.create(title="Article", slug="article")
    book = Source.objects.create(title="Book", slug="book")
    citation = Citation.objects.create(source=article, person=keanu)
    Citation.objects.bulk_create([Citation(source=article, film=film), Citation(source=book, film=film)])
    assert (citations_of(article), citations_of(book)) == (2, 1)
    citation.source = book
    citation.save(update_fields=["source"])
    assert (citations_of(article), citations_of(book)) == (1, 2)
    Citation.objects.filter(source=book).delete()
    assert (citations_of(article), citations_of(book)) == (1, 0)
    assert stored_and_counted() == []


def test_the_lists_show_and_order_by_the_stored_count(client, film_and_people):
    film, keanu, ana = film_and_people
    Credit.objects.create(film=film, person=ana, role=Credit.Role.DIRECTOR)
    Credit.objects.create(film=film, person=ana, role=Credit.Role.WRITER)
    Credit.objects.create(film=film, person=keanu, role=Credit.Role.WRITER)
    results = client.get("/api/v1/people/", {"ordering": "-credit_count"}).json()["results"]
    counts = [person["credit_count"] for person in results]
    ours = [(person["slug"], person["credit_count"]) for person in results if person["slug"] in ("ana", "keanu")]
    assert counts == sorted(counts, reverse=True) and ours == [("ana", 2), ("keanu", 1)]
    page = client.get("/people/", {"sort": "credits"}).content.decode()
    assert page.index(">Ana<") < page.index(">Keanu<")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite allows one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_two_transactions_adding_credits_to_one_person_at_once_both_count():
    """The second to touch the person's row waits for the first to commit, then counts with it."""
    film = make_world(1).films.get()
    keanu = Person.objects.create(name="Keanu", slug="keanu")
    first_written, may_commit, errors = threading.Event(), threading.Event(), []

    def add_credit(role, before_commit):
        try:
            with transaction.atomic():
                Credit.objects.create(film=film, person=keanu, role=role)
                before_commit()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    def hold():
        first_written.set()
        may_commit.wait(10)

    first = threading.Thread(target=add_credit, args=(Credit.Role.DIRECTOR, hold))
    second = threading.Thread(target=add_credit, args=(Credit.Role.WRITER, lambda: None))
    first.start()
    assert first_written.wait(10)
    second.start()
    with connection.cursor() as cursor:  # until the second waits for the first's lock on the person's row
        for _ in range(200):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.05)
        else:
            pytest.fail("the second transaction never waited for the first")
    may_commit.set()
    first.join(10)
    second.join(10)
    assert errors == []
    assert credits_of(keanu) == 2
