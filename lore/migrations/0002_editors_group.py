"""The "Editors" group: staff users in it edit every lore record and read its history, and nothing else
(no permission on users or groups)."""

from django.db import migrations

EDITORS = "Editors"
RECORD_ACTIONS = ("add", "change", "delete", "view")
HISTORY_ACTIONS = ("view",)  # revisions are reverted through the record's own change permission


def _permissions(apps):
    """Lore's permissions, created here when missing: Django only makes them after migrate (post_migrate)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in apps.get_app_config("lore").get_models():
        opts = model._meta
        content_type, _ = ContentType.objects.get_or_create(app_label=opts.app_label, model=opts.model_name)
        actions = HISTORY_ACTIONS if model.__name__.startswith("Historical") else RECORD_ACTIONS
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{opts.model_name}",
                defaults={"name": f"Can {action} {opts.verbose_name_raw}"},
            )
            yield permission


def create_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(list(_permissions(apps)))


def delete_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("lore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
