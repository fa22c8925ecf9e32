"""Indexes for the orderings a client can ask for (the API's ?ordering=, the list pages' ?sort=) on the
tables that grow with the lore: credits, people and production notes.

Each order is completed by the id in the direction of its last term (lore.querysets.order_terms), so an
index on (field, id) serves it forwards and backwards. People newest-born first is birth_date DESC NULLS
LAST, which a backward scan of (birth_date, id) cannot give and SQLite's indexes cannot declare: it gets
a PostgreSQL-only index. The single-column indexes on credit.role and note.topic give way to (role, id) and
(topic, id), which serve their filters as well.
"""

from importlib import import_module

from django.db import migrations, models

search_indexes = import_module("lore.migrations.0003_search_indexes")


class Migration(migrations.Migration):

    dependencies = [
        ('lore', '0007_list_order_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='credit',
            name='role',
            field=models.CharField(choices=[('actor', 'Actor'), ('director', 'Director'), ('producer', 'Producer'), ('executive_producer', 'Executive producer'), ('writer', 'Writer'), ('cinematographer', 'Cinematographer'), ('composer', 'Composer'), ('editor', 'Editor'), ('stunt_coordinator', 'Stunt coordinator')], max_length=30),
        ),
        migrations.AlterField(
            model_name='historicalcredit',
            name='role',
            field=models.CharField(choices=[('actor', 'Actor'), ('director', 'Director'), ('producer', 'Producer'), ('executive_producer', 'Executive producer'), ('writer', 'Writer'), ('cinematographer', 'Cinematographer'), ('composer', 'Composer'), ('editor', 'Editor'), ('stunt_coordinator', 'Stunt coordinator')], max_length=30),
        ),
        migrations.AlterField(
            model_name='historicalproductionnote',
            name='topic',
            field=models.CharField(choices=[('setting', 'Setting and aesthetics'), ('story', 'Story and character'), ('development', 'Development history'), ('action', 'Action and craft'), ('continuity', 'Continuity and cameos'), ('release', 'Release')], max_length=20),
        ),
        migrations.AlterField(
            model_name='productionnote',
            name='topic',
            field=models.CharField(choices=[('setting', 'Setting and aesthetics'), ('story', 'Story and character'), ('development', 'Development history'), ('action', 'Action and craft'), ('continuity', 'Continuity and cameos'), ('release', 'Release')], max_length=20),
        ),
        migrations.AddIndex(
            model_name='credit',
            index=models.Index(fields=['billing', 'id'], name='credit_billing_id_idx'),
        ),
        migrations.AddIndex(
            model_name='credit',
            index=models.Index(fields=['role', 'id'], name='credit_role_id_idx'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['birth_date', 'id'], name='person_birth_date_id_idx'),
        ),
        migrations.AddIndex(
            model_name='productionnote',
            index=models.Index(fields=['headline', 'id'], name='note_headline_id_idx'),
        ),
        migrations.AddIndex(
            model_name='productionnote',
            index=models.Index(fields=['occurred_on', 'id'], name='note_occurred_on_id_idx'),
        ),
        migrations.AddIndex(
            model_name='productionnote',
            index=models.Index(fields=['topic', 'id'], name='note_topic_id_idx'),
        ),
        search_indexes.PostgresOnlySQL(
            "CREATE INDEX person_newest_born_idx ON lore_person (birth_date DESC NULLS LAST, id DESC)",
            "DROP INDEX IF EXISTS person_newest_born_idx",
            elidable=False,
        ),
    ]
