"""Follow every link on a page the way a person clicking through would, and report the broken ones.

    broken = broken_links(client, "/mentors/groups/3/")
    assert not broken, broken

Only same-site links are followed (not ``mailto:``, ``tel:``, ``#anchors`` or other hosts). A link
is broken when, after redirects, it does not answer 200, or when it lands on the login page (the
person was logged in and clicked a link that threw them out).
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import reverse


class _LinkReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def page_links(html: str | bytes, base: str) -> list[str]:
    """The same-site paths (with query) that the page's ``<a href>`` point at, in order, once each."""
    reader = _LinkReader()
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    seen: list[str] = []
    for href in reader.hrefs:
        parts = urlsplit(urljoin(f"http://testserver{base}", href))
        if parts.scheme not in {"http", "https"} or parts.netloc != "testserver":
            continue
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if target not in seen:
            seen.append(target)
    return seen


def broken_links(client, path: str, *, expect_links: int = 1) -> list[tuple[str, str]]:
    """``(link, what went wrong)`` for every link on ``path`` that does not open; the page itself
    must answer 200 and carry at least ``expect_links`` links."""
    response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    links = page_links(response.content, path)
    assert len(links) >= expect_links, f"{path} has only {len(links)} links"
    login = reverse("login")
    broken = []
    for link in links:
        answer = client.get(link, follow=True)
        if getattr(answer, "file_to_stream", None) is not None:
            answer.file_to_stream.close()  # not answer.close(): that ends the test's DB connection
        final = answer.redirect_chain[-1][0] if answer.redirect_chain else link
        if answer.status_code != 200:
            broken.append((link, f"answered {answer.status_code}"))
        elif urlsplit(final).path == login and urlsplit(link).path != login:
            broken.append((link, "sent a logged-in person to the login page"))
    return broken
