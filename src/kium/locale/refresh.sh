#!/bin/sh
# Regenerate the translation catalogues (docs/i18n.md):
#   1. extract every marked string into ko/ and en/ django.po (makemessages);
#   2. ko: the msgids are Korean, so each msgstr is its msgid (a fuzzy guess from
#      msgmerge is thrown away and refilled);
#   3. merge extra/<lang>.po.in (Django overrides, strings xgettext cannot see);
#   4. print how many English entries are still to translate or review;
#   5. compile the .mo files (committed, so running the site never needs gettext).
# Run it again after translating: every step is idempotent.
# Needs the GNU gettext tools (msgmerge, msgattrib, msgen, msgcat, msgfmt).
set -eu

cd "$(dirname "$0")/.."  # src/kium
PYTHON="${PYTHON:-../../.venv/bin/python}"
MANAGE="$PYTHON ../../manage.py"
KO=locale/ko/LC_MESSAGES/django.po
EN=locale/en/LC_MESSAGES/django.po

$MANAGE makemessages -l ko -l en --ignore '*/tests/*' --no-obsolete

msgattrib --clear-fuzzy --empty --clear-previous -o "$KO" "$KO"
msgen -o "$KO" "$KO"
msgcat --use-first -o "$KO" "$KO" locale/extra/ko.po.in
msgcat --use-first -o "$EN" "$EN" locale/extra/en.po.in

# "N translated messages" alone means done; fuzzy or untranslated ones need a translator.
printf 'en: '
msgfmt --statistics -o /dev/null "$EN"

$MANAGE compilemessages -l ko -l en
