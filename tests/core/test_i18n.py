"""Korean by default, English second: the committed catalogues (docs/i18n.md)."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    UserAttributeSimilarityValidator,
)
from django.core.exceptions import ValidationError
from django.utils import translation

from kium.accounts.models import User
from kium.accounts.validators import KiumPasswordValidator, check_password_rule
from kium.orgs.menus import BACKOFFICE_MENUS, MENU_ITEMS, PUBLIC_MENUS

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGS = ("ko", "en")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\w*\}")


# --- a tiny .po reader (the standard library has none) --------------------------------


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgstr (or msgstr[n]), flags; obsolete ones skipped."""
    entries: list[dict] = []
    entry: dict | None = None
    key = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry and "msgid" in entry and not entry["obsolete"]:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry or {"flags": set(), "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


def translations_of(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def po_entries(lang: str) -> list[dict]:
    return [e for e in read_po(LOCALE_DIR / lang / "LC_MESSAGES" / "django.po") if e["msgid"]]


def expected_catalog(entries: list[dict]) -> dict:
    """What msgfmt puts in the .mo: translated, non-fuzzy entries, keyed as gettext does."""
    catalog: dict = {}
    for e in entries:
        if "fuzzy" in e["flags"]:
            continue
        msgid = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            plural = {k: v for k, v in e.items() if k.startswith("msgstr[")}
            if all(plural.values()):
                for k, v in plural.items():
                    catalog[(msgid, int(k[7:-1]))] = v
        elif e.get("msgstr"):
            catalog[msgid] = e["msgstr"]
    return catalog


def mo_catalog(path: Path) -> dict:
    with path.open("rb") as fh:
        catalog = dict(gettext.GNUTranslations(fh)._catalog)
    catalog.pop("", None)  # the header
    return catalog


# --- pages and Python strings follow the active language ------------------------------


def test_korean_is_the_default_language():
    assert settings.LANGUAGE_CODE == "ko"
    assert [code for code, _name in settings.LANGUAGES] == ["ko", "en"]


@pytest.mark.parametrize(
    ("lang", "top", "item", "public"),
    [
        ("ko", "조직관리", "부서 관리", "초등돌봄"),
        ("en", "Organisation", "Departments", "Primary school care"),
    ],
)
def test_menu_labels_follow_the_language(lang, top, item, public):
    with translation.override(lang):
        assert str(BACKOFFICE_MENUS[0].label) == top
        assert str(MENU_ITEMS["org.departments"].label) == item
        assert str(PUBLIC_MENUS[0]["label"]) == public


def test_every_menu_label_has_an_english_translation():
    labels = [top.label for top in BACKOFFICE_MENUS]
    labels += [item.label for item in MENU_ITEMS.values()]
    labels += [menu["label"] for menu in PUBLIC_MENUS]
    labels += [label for menu in PUBLIC_MENUS for label, _items in menu["groups"]]
    with translation.override("en"):
        untranslated = [str(label) for label in labels if HANGUL.search(str(label))]
    assert untranslated == []


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("ko", "비밀번호는 10~20자의 영문과 숫자를 섞어 사용해야 합니다."),
        ("en", "Passwords must be 10–20 characters and mix letters and digits."),
    ],
)
def test_password_rule_message_follows_the_language(lang, message):
    with translation.override(lang):
        with pytest.raises(ValidationError) as caught:
            check_password_rule("short1")
        assert caught.value.messages == [message]
        assert KiumPasswordValidator().get_help_text() == message


@pytest.mark.django_db
def test_home_page_is_korean_by_default(client):
    page = client.get("/").content.decode()
    assert '<html lang="ko">' in page
    assert "우리 아이 돌봄," in page
    assert "Care for your child," not in page


@pytest.mark.django_db
def test_home_page_in_english_with_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    page = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in page
    assert "Care for your child," in page
    assert "Skip to main content" in page
    assert "우리 아이 돌봄," not in page


@pytest.mark.django_db
def test_language_switch_sets_the_cookie_and_the_next_page_is_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/").content.decode()
    assert "Care for your child," in page
    assert "Primary school care" in page  # a menu label from kium.orgs.menus

    client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert "우리 아이 돌봄," in client.get("/").content.decode()


# --- Django's own messages, corrected in our ko catalogue -----------------------------


def test_similarity_message_reads_as_corrected():
    user = User(username="hongildong7", email="parent@example.com", name="홍길동")
    with translation.override("ko"), pytest.raises(ValidationError) as caught:
        UserAttributeSimilarityValidator().validate("hongildong7", user)
    assert caught.value.messages == ["비밀번호가 아이디 항목과 너무 비슷합니다."]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        UserAttributeSimilarityValidator().validate("hongildong7", user)
    assert caught.value.messages == ["The password is too similar to the username."]


def test_common_password_message_is_corrected():
    with translation.override("ko"), pytest.raises(ValidationError) as caught:
        CommonPasswordValidator().validate("password123")
    assert caught.value.messages == ["너무 흔한 비밀번호입니다. 다른 비밀번호를 입력해 주세요."]


def test_django_form_messages_read_well_in_korean():
    from django import forms

    class Probe(forms.Form):
        name = forms.CharField(max_length=3)
        email = forms.EmailField()
        day = forms.DateField()
        pick = forms.ChoiceField(choices=[("a", "A")])
        needed = forms.CharField()

    with translation.override("ko"):
        form = Probe({"name": "abcdef", "email": "x", "day": "someday", "pick": "b"})
        assert not form.is_valid()
        errors = {field: list(messages) for field, messages in form.errors.items()}
    assert errors == {
        "name": ["3자 이내로 입력해 주세요. (지금 6자)"],
        "email": ["올바른 이메일 주소를 입력해 주세요."],
        "day": ["올바른 날짜를 입력해 주세요."],
        "pick": ["목록에 없는 값입니다(b). 다시 선택해 주세요."],
        "needed": ["필수 항목입니다."],
    }


# --- the catalogues themselves --------------------------------------------------------


def test_every_english_entry_is_translated_and_reviewed():
    entries = po_entries("en")
    assert len(entries) > 100
    untranslated = [e["msgid"] for e in entries if not all(translations_of(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    # Korean may stay only as a gloss beside English, e.g. "Kium Centres (우리동네키움센터)".
    korean_only = [
        e["msgid"]
        for e in entries
        for text in translations_of(e)
        if HANGUL.search(text) and not re.search(r"[A-Za-z]{2}", text)
    ]
    assert untranslated == []
    assert fuzzy == []
    assert korean_only == []


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_every_placeholder(lang):
    broken = []
    for e in po_entries(lang):
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        for text in translations_of(e):
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                broken.append((e["msgid"], text))
    assert broken == []


def test_korean_entries_repeat_their_msgid_and_overrides_are_merged():
    ko = {e["msgid"]: e for e in po_entries("ko")}
    en_ids = {e["msgid"] for e in po_entries("en")}
    extra = {e["msgid"]: e for e in read_po(LOCALE_DIR / "extra" / "ko.po.in") if e["msgid"]}
    django_overrides = set(extra) - en_ids
    assert "The password is too similar to the %(verbose_name)s." in django_overrides
    # Both catalogues hold the same source strings; ko adds only Django's overrides.
    assert set(ko) - django_overrides == en_ids
    assert [m for m in en_ids if ko[m].get("msgstr") != m] == []
    assert [m for m, e in ko.items() if "fuzzy" in e["flags"]] == []
    for msgid in django_overrides:
        assert translations_of(ko[msgid]) == translations_of(extra[msgid])
        assert all(HANGUL.search(text) for text in translations_of(ko[msgid]))


@pytest.mark.parametrize("lang", LANGS)
def test_committed_mo_matches_the_po(lang):
    messages = LOCALE_DIR / lang / "LC_MESSAGES"
    expected = expected_catalog(po_entries(lang))
    assert mo_catalog(messages / "django.mo") == expected


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_po_compiles_cleanly_with_msgfmt(lang, tmp_path):
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"
    mo = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(mo), str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert mo_catalog(mo) == mo_catalog(po.with_suffix(".mo"))
