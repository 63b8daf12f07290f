"""Every public form speaks the project's own Korean.

A third-party catalogue once won over ours: django-celery-beat translates "Name" as "태스크 이름"
("task name"), and the sign-up form showed it. Django looks in LOCALE_PATHS first and then in each
installed app in order, so the project's catalogues must be in LOCALE_PATHS. These tests render
every form a resident, mentor or coordinator fills in, in Korean, and fail on any label, legend,
option, button or placeholder whose text only another package's catalogue uses.
"""

from html.parser import HTMLParser
from pathlib import Path

import django
import polib
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from networks.tests.factories import PastForumFactory, RegionalNetworkFactory
from portal import i18n
from tests.world import World


def _foreign_catalogues() -> list[Path]:
    """The Korean catalogues of Django and of every installed package outside the project."""
    paths = [Path(django.__file__).parent / "conf" / "locale" / "ko" / "LC_MESSAGES" / "django.mo"]
    for config in apps.get_app_configs():
        if Path(config.path).parent != i18n.BASE_DIR:  # site-packages, even inside .venv/
            paths.append(Path(config.path) / "locale" / "ko" / "LC_MESSAGES" / "django.mo")
    return [path for path in paths if path.exists()]


def _texts(entries) -> set[str]:
    texts = set()
    for entry in entries:
        texts.update(text for text in [entry.msgstr, *entry.msgstr_plural.values()] if text)
    return {" ".join(text.split()) for text in texts}


def foreign_vocabulary() -> dict[str, str]:
    """Korean text that some other package's catalogue uses and ours never does → that package."""
    ours = set()
    for path in i18n.catalogue_files():
        if path.parts[-3] == "ko":
            ours |= _texts(polib.pofile(str(path)))
    vocabulary = {}
    for path in _foreign_catalogues():
        for text in _texts(polib.mofile(str(path))) - ours:
            vocabulary.setdefault(text, path.parents[3].name)  # the package, e.g. django_celery_beat
    return vocabulary


class _FormText(HTMLParser):
    """The visible words of a page's form controls: labels, legends, options, buttons and placeholders."""

    TAGS = {"label", "legend", "option", "button"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[list[str]] = []
        self.asterisk = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("placeholder"):
            self.texts.append(attributes["placeholder"])
        if tag in self.TAGS:
            self.stack.append([])
        elif tag == "span" and "asteriskField" in (attributes.get("class") or ""):
            self.asterisk += 1

    def handle_endtag(self, tag):
        if tag in self.TAGS and self.stack:
            self.texts.append("".join(self.stack.pop()))
        elif tag == "span" and self.asterisk:
            self.asterisk -= 1

    def handle_data(self, data):
        if self.stack and not self.asterisk:
            self.stack[-1].append(data)


def form_texts(html: bytes) -> list[str]:
    reader = _FormText()
    reader.feed(html.decode())
    return [text for text in (" ".join(raw.split()).rstrip("*").strip() for raw in reader.texts) if text]


def _reset_link(world: World) -> str:
    user = world.resident
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", args=[uid, token])


def public_forms(world: World) -> list[tuple[str, object, str]]:
    """(what, who, URL) for every form the public site shows."""
    draft = world.draft.pk
    past_forum = PastForumFactory(network=world.network)
    regional = RegionalNetworkFactory(district=world.network.district)
    regional.coordinators.add(world.coordinator)
    return [
        ("sign-up", None, reverse("signup")),
        ("login", None, reverse("login")),
        ("password reset", None, reverse("password_reset")),
        ("new password", None, _reset_link(world)),
        ("my details", world.resident, reverse("profile")),
        ("my group", world.resident, reverse("grants:group")),
        ("forum registration", world.drafter, reverse("networks:forum", args=[world.forum.pk])),
        ("project step", world.drafter, reverse("grants:apply_project", args=[draft])),
        ("budget step", world.drafter, reverse("grants:apply_budget", args=[draft])),
        ("documents step", world.drafter, reverse("grants:apply_documents", args=[draft])),
        ("consent step", world.drafter, reverse("grants:apply_consent", args=[draft])),
        ("review step", world.drafter, reverse("grants:apply_review", args=[draft])),
        ("withdraw", world.resident, reverse("grants:withdraw", args=[world.application.pk])),
        ("visit", world.mentor, reverse("mentors:visit_create", args=[world.group.pk])),
        ("visit edit", world.mentor, reverse("mentors:visit_edit", args=[world.visit.pk])),
        ("education session", world.mentor, reverse("mentors:session_create")),
        ("attendance", world.mentor, reverse("mentors:session", args=[world.session.pk])),
        ("new forum", world.coordinator, reverse("networks:forum_create", args=[world.network.pk])),
        ("forum edit", world.coordinator, reverse("networks:forum_edit", args=[world.forum.pk])),
        ("forum record", world.coordinator, reverse("networks:forum_record", args=[past_forum.pk])),
        ("network members", world.coordinator, reverse("networks:members", args=[regional.pk])),
    ]


def test_the_foreign_vocabulary_knows_the_word_that_leaked():
    assert "태스크 이름" in foreign_vocabulary()


def test_no_public_form_speaks_another_packages_vocabulary(client, world):
    vocabulary = foreign_vocabulary()
    leaks, seen = [], 0
    for what, who, url in public_forms(world):
        client.logout()
        if who is not None:
            client.force_login(who)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ko", follow=True)  # the reset link redirects once
        assert response.status_code == 200, f"{what} ({url}) answered {response.status_code}"
        assert len(response.redirect_chain) <= (1 if what == "new password" else 0), (what, response.redirect_chain)
        texts = form_texts(response.content)
        assert texts, f"{what} ({url}) shows no form"
        seen += len(texts)
        leaks += [(what, text, vocabulary[text]) for text in texts if text in vocabulary or "태스크" in text]
    assert not leaks, f"labels from other packages' catalogues: {leaks}"
    assert seen > 100


def test_for_every_word_we_share_with_another_package_our_translation_wins():
    ours: dict[tuple[str, str], set[str]] = {}
    for path in i18n.catalogue_files():
        if path.parts[-3] == "ko":
            for entry in polib.pofile(str(path)):
                if entry.msgstr and not entry.msgid_plural:
                    ours.setdefault((entry.msgctxt or "", entry.msgid), set()).add(entry.msgstr)
    shared = set()
    for path in _foreign_catalogues():
        for entry in polib.mofile(str(path)):
            key = (entry.msgctxt or "", entry.msgid)
            if key in ours and len(ours[key]) == 1 and entry.msgstr and entry.msgstr not in ours[key]:
                shared.add(key)
    assert ("", "Name") in shared  # celery-beat's "태스크 이름"
    with translation.override("ko"):
        losing = [
            (msgid, translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            for context, msgid in sorted(shared)
            if (translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            not in ours[(context, msgid)]
        ]
    assert not losing, f"another package's Korean wins for: {losing}"
