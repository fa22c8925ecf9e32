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
