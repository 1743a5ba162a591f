"""被保険者 記号・番号 on 国保世帯 and 枝番 on members (services/numbers.py).

The 国保世帯 recorded before with a member insured now or ever (a 取得 row) are numbered in 世帯番号
order, the counter set after them; those members get a 枝番 in their present 世帯, its 世帯主 first.
"""

from django.db import migrations, models

_EXISTING = (
    "WITH numbered AS (SELECT h.id, row_number() OVER (ORDER BY h.setai_no) AS n FROM health_insurance_household h"
    " WHERE EXISTS (SELECT 1 FROM health_insurance_member m WHERE m.setai_no = h.setai_no AND (m.insured"
    " OR EXISTS (SELECT 1 FROM health_insurance_qualification q"
    " WHERE q.atena_no = m.atena_no AND q.change = 'acquired'))))"
    " UPDATE health_insurance_household h SET insured_symbol = left(h.lg_code, 5),"
    " insured_number = lpad(numbered.n::text, 8, '0') FROM numbered WHERE h.id = numbered.id",
    "INSERT INTO health_insurance_numbering (lg_code, symbol, last)"
    " SELECT %(lg)s, left(%(lg)s, 5), count(*) FROM health_insurance_household WHERE insured_number <> ''",
    "WITH ranked AS (SELECT m.id, m.setai_no, row_number() OVER (PARTITION BY m.setai_no"
    " ORDER BY m.atena_no <> h.head_atena_no, m.atena_no) AS n"
    " FROM health_insurance_member m JOIN health_insurance_household h"
    " ON h.setai_no = m.setai_no AND h.insured_number <> ''"
    " WHERE m.insured OR EXISTS (SELECT 1 FROM health_insurance_qualification q"
    " WHERE q.atena_no = m.atena_no AND q.change = 'acquired'))"
    " UPDATE health_insurance_member m SET branch = ranked.n, branch_setai_no = ranked.setai_no"
    " FROM ranked WHERE m.id = ranked.id",
    # One aggregate joined, not a subquery per 世帯 (branch_setai_no has no index: on a town of
    # 400,000 国保世帯 the correlated form ran for hours).
    "UPDATE health_insurance_household h SET last_branch = b.last"
    " FROM (SELECT branch_setai_no, max(branch) AS last FROM health_insurance_member"
    " WHERE branch_setai_no <> '' GROUP BY branch_setai_no) b WHERE b.branch_setai_no = h.setai_no",
)


def forward(apps, schema_editor):
    # Row-level security confines the owner too (FORCE): one pass per municipality.
    municipality = apps.get_model("tenancy", "Municipality")
    alias = schema_editor.connection.alias
    codes = municipality.objects.using("default").filter(db_alias=alias).values_list("lg_code", flat=True)
    with schema_editor.connection.cursor() as cursor:
        for lg_code in codes:
            cursor.execute("SELECT set_config('yakuba.lg_code', %s, true)", [lg_code])
            for sql in _EXISTING:
                cursor.execute(sql, {"lg": lg_code})
        cursor.execute("SELECT set_config('yakuba.lg_code', '', true)")


class Migration(migrations.Migration):
    dependencies = [
        ("health_insurance", "0002_premium"),
        ("tenancy", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="InsuredNumbering",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("lg_code", models.CharField(max_length=6, verbose_name="団体コード")),
                ("symbol", models.CharField(max_length=8, verbose_name="記号")),
                ("last", models.BigIntegerField(default=0, verbose_name="最後の番号")),
            ],
            options={
                "db_table": "health_insurance_numbering",
            },
        ),
        migrations.AddField(
            model_name="kokuhohousehold",
            name="insured_number",
            field=models.CharField(blank=True, default="", max_length=10, verbose_name="番号"),
        ),
        migrations.AddField(
            model_name="kokuhohousehold",
            name="insured_symbol",
            field=models.CharField(blank=True, default="", max_length=8, verbose_name="記号"),
        ),
        migrations.AddField(
            model_name="kokuhohousehold",
            name="last_branch",
            field=models.SmallIntegerField(default=0, verbose_name="最後の枝番"),
        ),
        migrations.AddField(
            model_name="member",
            name="branch",
            field=models.SmallIntegerField(null=True, verbose_name="枝番"),
        ),
        migrations.AddField(
            model_name="member",
            name="branch_setai_no",
            field=models.CharField(blank=True, default="", max_length=15, verbose_name="枝番の世帯番号"),
        ),
        migrations.AddConstraint(
            model_name="kokuhohousehold",
            constraint=models.UniqueConstraint(
                condition=models.Q(("insured_number", ""), _negated=True),
                fields=("lg_code", "insured_symbol", "insured_number"),
                name="hi_household_insured_no",
            ),
        ),
        migrations.AddConstraint(
            model_name="insurednumbering",
            constraint=models.UniqueConstraint(fields=("lg_code",), name="hi_numbering_one"),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
