"""Seal the 個人番号 that events written before sealing hold in clear (linkage.restricted).

Runs on every database, for each municipality it holds: row-level security confines the
owner too (FORCE), so each pass is scoped with ``yakuba.lg_code``. Only values in clear are
touched, so the upgrade never depends on old encryption keys still being configured.
"""

from django.db import migrations


def seal_clear_values(apps, schema_editor):
    from yakuba.platform.linkage import restricted

    municipality = apps.get_model("tenancy", "Municipality")
    alias = schema_editor.connection.alias
    codes = municipality.objects.using("default").filter(db_alias=alias).values_list("lg_code", flat=True)
    with schema_editor.connection.cursor() as cursor:
        for lg_code in codes:
            cursor.execute("SELECT set_config('yakuba.lg_code', %s, true)", [lg_code])
            restricted.reseal(cursor, lg_code, clear_only=True)
        cursor.execute("SELECT set_config('yakuba.lg_code', '', true)")


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0004_ids_in_time_order"),
        ("tenancy", "0001_initial"),
    ]

    operations = [migrations.RunPython(seal_clear_values, migrations.RunPython.noop)]
