"""LoreSerializer works its fields out once per class and gives every instance its own copy to bind."""

from rest_framework import serializers

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


def nested_serializers(serializer):
    """The serializers among `serializer`'s fields, a list serializer's child with it, all the way down."""
    for field in serializer.fields.values():
        if isinstance(field, serializers.ListSerializer):
            yield field
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield field
            yield from nested_serializers(field)


def test_nested_serializers_are_copied_without_being_built_again(monkeypatch):
    list(nested_serializers(FilmDetailSerializer()))  # each class works out its fields once, the first time
    built = []
    original = serializers.Field.__init__

    def counting(self, *args, **kwargs):
        if isinstance(self, serializers.BaseSerializer):
            built.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(serializers.Field, "__init__", counting)
    root = FilmDetailSerializer()
    nested = list(nested_serializers(root))
    assert len(nested) >= 10  # credits, appearances, notes and the references of each, and their refs
    assert built == ["FilmDetailSerializer"]


def test_each_response_s_nested_serializers_are_its_own_and_see_its_own_context():
    first = FilmDetailSerializer(context={"request": "first"})
    second = FilmDetailSerializer(context={"request": "second"})
    for root in (first, second):
        for nested in nested_serializers(root):
            assert nested.root is root
            assert nested.context["request"] == root.context["request"]
        credits = root.fields["credits"]
        assert credits.parent is root and credits.child.parent is credits and credits.child.field_name == ""
    assert first.fields["credits"].child is not second.fields["credits"].child
    assert first.fields["credits"].child.fields["person"] is not second.fields["credits"].child.fields["person"]
    # the class's own copies stay unbound, and keep no fields or context of any response
    prototype = {name: field for name, field, _copy in FilmDetailSerializer._unbound_fields}["credits"]
    assert prototype.parent is None and prototype.child.parent is prototype
    assert not {"fields", "_readable", "_root_context"} & set(vars(prototype.child))


def test_an_unbound_serializer_does_not_keep_a_context_it_may_not_have_yet():
    loose = FilmDetailSerializer(context={"request": "mine"})
    assert loose.context == {"request": "mine"}
    assert "_root_context" not in vars(loose)  # a root's context is its own, read directly
