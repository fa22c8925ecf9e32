"""LoreSerializer works its fields out once per class and gives every instance its own copy to bind."""

from lore.serializers import CharacterSerializer, FilmDetailSerializer


def test_each_serializer_instance_binds_its_own_copy_of_the_fields():
    first, second = FilmDetailSerializer(), FilmDetailSerializer()
    assert list(first.fields) == list(second.fields)
    for name in first.fields:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
    # the nested serializers too: binding one response's must not rebind another's
    assert first.fields["references"].child is not second.fields["references"].child


def test_the_fields_are_worked_out_once_per_class_not_shared_between_classes():
    FilmDetailSerializer().fields, CharacterSerializer().fields  # noqa: B018 - building them is the point
    assert "_unbound_fields" in vars(FilmDetailSerializer)
    assert FilmDetailSerializer._unbound_fields is not CharacterSerializer._unbound_fields
    assert set(FilmDetailSerializer().fields) == set(FilmDetailSerializer.Meta.fields)
    assert set(CharacterSerializer().fields) == set(CharacterSerializer.Meta.fields)


def test_plain_fields_are_copied_shallowly_and_fields_with_a_child_deeply():
    first, second = CharacterSerializer(), CharacterSerializer()
    original = {name: field for name, field, _copy in CharacterSerializer._unbound_fields}
    name, aliases = first.fields["name"], first.fields["aliases"]
    # a plain field: a new object bound to its serializer, the class's own copy left unbound
    assert name is not original["name"] and name.parent is first and name.field_name == "name"
    assert not hasattr(original["name"], "parent") or original["name"].parent is None
    assert name.source_attrs == ["name"]
    # a field with a child: the child is its own too, so binding one serializer's leaves the other's alone
    assert aliases.child is not second.fields["aliases"].child is not original["aliases"].child
    assert aliases.child.parent is aliases


def test_shallow_copies_serialize_the_same_as_drf_would(rf, db):
    from rest_framework.request import Request

    from lore.models import Character, Franchise

    franchise = Franchise.objects.create(name="F", slug="f")
    character = Character.objects.create(
        franchise=franchise, name="Winston", slug="winston", aliases=["The Manager"], summary="s"
    )
    request = Request(rf.get("/"))
    data = CharacterSerializer(character, context={"request": request}).data
    assert data["name"] == "Winston" and data["aliases"] == ["The Manager"] and data["summary"] == "s"
    assert data["url"] == "http://testserver/api/v1/characters/winston/"
    assert data["franchise"] == {"slug": "f", "name": "F", "url": "http://testserver/api/v1/franchises/f/"}
    assert data["references"] == []
