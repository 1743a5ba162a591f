"""支援措置 as the API describes it (docs/reference/contract.md#http-protection): the kind of harm, 仮支援措置 as a flag, the family
members covered with the applicant, and a public id (``protection_id``) for the API.

Measures recorded before carry no kind of harm: they become "other" (「その他これらに準ずる
行為」), and the old kind "provisional" becomes the flag.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

import yakuba.platform.ids


def forward(apps, schema_editor):
    # Row-level security confines the owner too (FORCE): one pass per municipality.
    municipality = apps.get_model("tenancy", "Municipality")
    alias = schema_editor.connection.alias
    codes = municipality.objects.using("default").filter(db_alias=alias).values_list("lg_code", flat=True)
    with schema_editor.connection.cursor() as cursor:
        for lg_code in codes:
            cursor.execute("SELECT set_config('yakuba.lg_code', %s, true)", [lg_code])
            cursor.execute(
                "UPDATE registry_protection SET provisional = (kind = 'provisional'), kind = 'other',"
                " protection_id = gen_random_uuid() WHERE protection_id IS NULL"
            )
        cursor.execute("SELECT set_config('yakuba.lg_code', '', true)")


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_ids_in_time_order"), ("tenancy", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="protection",
            name="protection_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="支援措置ID"),
        ),
        migrations.AddField(
            model_name="protection",
            name="provisional",
            field=models.BooleanField(default=False, verbose_name="仮支援措置"),
        ),
        migrations.AddField(
            model_name="protection",
            name="covered_atena_nos",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=15),
                blank=True,
                default=list,
                size=None,
                verbose_name="併せて支援を求める者",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="protection",
            name="protection_id",
            field=models.UUIDField(
                default=yakuba.platform.ids.uuid7, editable=False, unique=True, verbose_name="支援措置ID"
            ),
        ),
        migrations.AlterField(
            model_name="protection",
            name="kind",
            field=models.CharField(
                choices=[
                    ("dv", "ドメスティック・バイオレンス"),
                    ("stalker", "ストーカー行為等"),
                    ("child_abuse", "児童虐待等"),
                    ("other", "その他これらに準ずる行為"),
                ],
                max_length=12,
                verbose_name="種別",
            ),
        ),
        migrations.AlterField(
            model_name="protection",
            name="atena_no",
            field=models.CharField(max_length=15, verbose_name="宛名番号（申出者）"),
        ),
        migrations.AddIndex(
            model_name="protection",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["covered_atena_nos"], name="registry_protection_covered"
            ),
        ),
    ]
