"""Recompute every employee's next KGB date from the gaji table's columns (pamong/people/salary_steps.py): the
earlier rule (a multiple of 24 months of MKG) put golongan I/b–II/d, whose columns are odd years, a year early and
went on past the table's last column."""

from django.db import migrations


def recompute(apps, schema_editor):
    from pamong.people.salary_steps import next_step

    Employee = apps.get_model("people", "Employee")
    batch = []
    fields = ("id", "employee_type", "golongan", "mkg_years", "mkg_months", "mkg_set_on", "next_kgb_on")
    for e in Employee.objects.only(*fields).iterator(chunk_size=2000):
        step = next_step(e.employee_type, e.golongan, e.mkg_years, e.mkg_months, e.mkg_set_on)
        due = step.tmt if step else None
        if due != e.next_kgb_on:
            e.next_kgb_on = due
            batch.append(e)
        if len(batch) >= 2000:
            Employee.objects.bulk_update(batch, ["next_kgb_on"])
            batch = []
    Employee.objects.bulk_update(batch, ["next_kgb_on"])


class Migration(migrations.Migration):
    dependencies = [("people", "0004_employee_name_trigram")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
