"""One person, several roles (User.roles replaces User.role, the one role kept as the first); and each
member of staff's team and base."""

import django.db.models.deletion
import openraa.people.models
from django.db import migrations, models


def roles_from_role(apps, schema_editor):
    for name in ("User", "HistoricalUser"):
        model = apps.get_model("people", name)
        for row in model.objects.exclude(role="").only("pk", "role").iterator():
            model.objects.filter(pk=row.pk).update(roles=[row.role])


def role_from_roles(apps, schema_editor):
    for name in ("User", "HistoricalUser"):
        model = apps.get_model("people", name)
        for row in model.objects.only("pk", "roles").iterator():
            model.objects.filter(pk=row.pk).update(role=(row.roles or [""])[0])


class Migration(migrations.Migration):

    dependencies = [
        ('partnership', '0002_initial'),
        ('people', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', openraa.people.models.StaffManager()),
            ],
        ),
        migrations.AddField(
            model_name='historicaluser',
            name='base',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Where they usually work from', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnership.base'),
        ),
        migrations.AddField(
            model_name='historicaluser',
            name='roles',
            field=models.JSONField(blank=True, default=list, validators=[openraa.people.models.validate_roles], verbose_name='Roles'),
        ),
        migrations.AddField(
            model_name='historicaluser',
            name='team',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnership.team'),
        ),
        migrations.AddField(
            model_name='user',
            name='base',
            field=models.ForeignKey(blank=True, help_text='Where they usually work from', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='partnership.base'),
        ),
        migrations.AddField(
            model_name='user',
            name='roles',
            field=models.JSONField(blank=True, default=list, validators=[openraa.people.models.validate_roles], verbose_name='Roles'),
        ),
        migrations.AddField(
            model_name='user',
            name='team',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='partnership.team'),
        ),
        migrations.RunPython(roles_from_role, role_from_roles),
        migrations.RemoveField(
            model_name='historicaluser',
            name='role',
        ),
        migrations.RemoveField(
            model_name='user',
            name='role',
        ),
    ]
