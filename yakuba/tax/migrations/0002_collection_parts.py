"""The year's tax in parts by way of collection (給与特徴, 年金特徴, 普通徴収) and the index the
特別徴収義務者's list reads by. Rows written before have no parts (``[]``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tax", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="parts",
            field=models.JSONField(default=list, verbose_name="徴収方法ごとの税額"),
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                fields=["lg_code", "fiscal_year", "payer_no", "atena_no"], name="tax_assessment_payer"
            ),
        ),
    ]
