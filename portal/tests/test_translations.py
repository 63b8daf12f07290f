"""Korean first, English complete: every catalogue entry is translated and compiled."""

import pytest
from django.utils import translation

from portal import i18n


def test_every_korean_catalogue_entry_is_translated():
    missing = i18n.untranslated("ko")
    assert not missing, f"{len(missing)} Korean entries missing, e.g. {missing[:10]}"


def test_every_english_catalogue_entry_is_filled():
    missing = i18n.untranslated("en")
    assert not missing, f"{len(missing)} English entries missing, e.g. {missing[:10]}"


def test_catalogues_cover_every_app_and_are_compiled():
    catalogues = i18n.catalogue_files()
    folders = {path.relative_to(i18n.BASE_DIR).parts[0] for path in catalogues}
    assert {"locale", "grants", "networks", "mentors", "notifications"} <= folders
    for path in catalogues:
        assert path.with_suffix(".mo").exists(), f"{path} is not compiled: run make install"


@pytest.mark.django_db
def test_pages_speak_korean_by_default_and_english_on_request(client):
    korean = client.get("/accounts/login/")
    assert 'lang="ko"' in korean.content.decode()
    assert "로그인" in korean.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    english = client.get("/accounts/login/")
    assert 'lang="en"' in english.content.decode()
    assert "Log in" in english.content.decode()
    with translation.override("ko"):
        assert str(translation.gettext("Skip to main content")) == "본문 바로가기"
