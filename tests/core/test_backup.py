"""The backup/restore drill restores database and media and proves the copy equals the source."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections

from core.backup import compare, dump, open_copy, restore
from core.management.commands.backup_drill import Command
from directory.models import ExpertProfile
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    expert = factories.ExpertFactory(status=ExpertProfile.Status.APPROVED, display_name="専門 次郎")
    expert.photo.save("face.jpg", ContentFile(b"\xff\xd8\xff photo bytes"), save=True)
    factories.company_with_member(name="株式会社ぱそな建設")
    return expert


def test_the_drill_restores_everything_and_says_it_is_identical(data):
    out = io.StringIO()
    call_command("backup_drill", stdout=out)
    assert out.getvalue().startswith("一致:")
    assert "メディア 1 ファイル" in out.getvalue()


def test_a_changed_restored_copy_is_reported(data, tmp_path):
    # given a backup restored into a scratch copy
    source = connections["default"]
    manifest = dump(tmp_path / "backup")
    assert manifest["tables"]["directory_expertprofile"][0] == 1
    scratch = dict(source.settings_dict)
    drill = Command()
    if source.vendor == "sqlite":
        scratch["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        scratch["NAME"] = f"{source.settings_dict['NAME']}_changed"
        drill._admin(source, f'DROP DATABASE IF EXISTS "{scratch["NAME"]}"')
        drill._admin(source, f'CREATE DATABASE "{scratch["NAME"]}"')
    restore(tmp_path / "backup", scratch, tmp_path / "restored-media")
    copy = open_copy(scratch)
    try:
        assert compare(manifest, copy, tmp_path / "restored-media") == []
        # when a row and a file differ
        with copy.cursor() as cursor:
            cursor.execute("UPDATE directory_expertprofile SET display_name = '別人'")
        (tmp_path / "restored-media" / data.photo.name).write_bytes(b"other")
        # then both are reported
        problems = compare(manifest, copy, tmp_path / "restored-media")
    finally:
        copy.close()
        if source.vendor != "sqlite":
            drill._admin(source, f'DROP DATABASE IF EXISTS "{scratch["NAME"]}"')
    assert any(p.startswith("table directory_expertprofile") for p in problems)
    assert any(p.startswith("media ") for p in problems)


def test_restore_refuses_a_target_that_is_not_empty(data, tmp_path):
    dump(tmp_path / "backup")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("x")
    with pytest.raises(RuntimeError):
        restore(tmp_path / "backup", {"NAME": str(tmp_path / "new.sqlite3")}, tmp_path / "busy")


def test_restore_backup_command_restores_into_an_empty_target_and_checks_it(data, tmp_path):
    call_command("backup", "--output", str(tmp_path / "backup"), stdout=io.StringIO())
    source = connections["default"]
    if source.vendor == "sqlite":
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    else:
        db = source.settings_dict
        name = f"{db['NAME']}_restored"
        Command()._admin(source, f'DROP DATABASE IF EXISTS "{name}"')
        Command()._admin(source, f'CREATE DATABASE "{name}"')
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"
    out = io.StringIO()
    try:
        call_command("restore_backup", str(tmp_path / "backup"), "--database-url", url,
                     "--media-root", str(tmp_path / "restored-media"), stdout=out)
    finally:
        if source.vendor != "sqlite":
            Command()._admin(source, f'DROP DATABASE IF EXISTS "{name}"')
    assert "一致することを確認しました" in out.getvalue()
    assert (tmp_path / "restored-media" / data.photo.name).read_bytes() == b"\xff\xd8\xff photo bytes"
