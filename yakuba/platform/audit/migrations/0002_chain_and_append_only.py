from django.db import migrations

from yakuba.platform.audit.schema import INSTALL_SQL, UNINSTALL_SQL


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunSQL(INSTALL_SQL, UNINSTALL_SQL)]
