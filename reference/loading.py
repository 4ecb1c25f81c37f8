"""Loads the standard reference data; safe to run again (used by a data migration)."""

from . import data


def sync_reference_data(apps=None):
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Bureau = apps.get_model("reference", "Bureau")
    Prefecture = apps.get_model("reference", "Prefecture")
    Industry = apps.get_model("reference", "Industry")
    Qualification = apps.get_model("reference", "Qualification")
    Specialty = apps.get_model("reference", "Specialty")

    for order, (code, name, short) in enumerate(data.BUREAUS):
        Bureau.objects.update_or_create(code=code, defaults={"name": name, "short_name": short, "sort_order": order})
    for code, name, bureau, lat, lon in data.PREFECTURES:
        Prefecture.objects.update_or_create(
            code=code, defaults={"name": name, "bureau_id": bureau, "latitude": lat, "longitude": lon}
        )
    majors = {}
    for code, name, sector in data.JSIC_MAJOR:
        majors[code], _ = Industry.objects.update_or_create(
            code=code, defaults={"name": name, "sme_sector": sector, "sort_key": code, "parent": None}
        )
    for code, name, parent, sector in data.JSIC_MIDDLE:
        Industry.objects.update_or_create(
            code=code,
            defaults={"name": name, "sme_sector": sector, "sort_key": f"{parent}{code}", "parent": majors[parent]},
        )
    # Editable lists: add what is missing, never overwrite the secretariat's edits.
    for order, name in enumerate(data.QUALIFICATIONS):
        Qualification.objects.get_or_create(name=name, defaults={"sort_order": order})
    for order, (name, keywords) in enumerate(data.SPECIALTIES):
        Specialty.objects.get_or_create(name=name, defaults={"keywords": keywords, "sort_order": order})
