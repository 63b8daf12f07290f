"""On a 375 px phone every text reads at 4.5:1 or better against what is really behind it (the
open menu and the live budget warning included), and every checkbox and radio is at least 24×24
CSS px (WCAG 2.2 AA: 1.4.3 contrast, 2.5.8 target size)."""

import re

import pytest
from playwright.sync_api import expect

from grants.models import BudgetLine
from tests.browser import login
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every visible element with text of its own: its colour blended over the backgrounds actually
# behind it (each ancestor's background colour composited from the page down), and the ratio.
CONTRAST_JS = """(selector) => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const behind = (element) => {
    const chain = [];
    for (let e = element; e; e = e.parentElement) chain.unshift(e);
    let colour = {r: 255, g: 255, b: 255, a: 1};
    for (const e of chain) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) colour = over(c, colour);
    }
    return colour;
  };
  const luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const results = [];
  for (const root of document.querySelectorAll(selector)) {
    for (const element of [root, ...root.querySelectorAll("*")]) {
      const text = [...element.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(" ").trim();
      if (!text || element.closest(".visually-hidden, .skip-link, template, script, style, option")) continue;
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      if (style.visibility !== "visible" || style.display === "none" || !box.width || !box.height) continue;
      const background = behind(element);
      const foreground = over(parse(style.color), background);
      const [a, b] = [luminance(foreground), luminance(background)];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      results.push({text: text.slice(0, 40), ratio: Math.round(ratio * 100) / 100, color: style.color});
    }
  }
  return results;
}"""

TARGETS_JS = """() => [...document.querySelectorAll("main input[type=checkbox], main input[type=radio]")]
  .filter((input) => input.offsetParent !== null)
  .map((input) => { const box = input.getBoundingClientRect();
    return {name: input.name, width: Math.round(box.width * 10) / 10, height: Math.round(box.height * 10) / 10}; })"""


def low_contrast(page, selector="body", minimum=4.5):
    texts = page.evaluate(CONTRAST_JS, selector)
    assert texts, f"no text found under {selector}"
    return [text for text in texts if text["ratio"] < minimum]


def small_targets(page, minimum=24):
    targets = page.evaluate(TARGETS_JS)
    return targets, [t for t in targets if t["width"] < minimum or t["height"] < minimum]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


def test_the_open_menu_reads_at_4_5_to_1(live_server, phone_page, screenshot, world):
    page = phone_page
    login(page, live_server, world.mentor.email)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="메뉴 열기").click()
    expect(page.locator("#main-nav")).to_be_visible()
    expect(page.locator("#main-nav .nav-link").first).to_be_visible()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))  # opened, not still sliding
    screenshot(page, "menu-open")
    assert not low_contrast(page, "header")
    assert not low_contrast(page)


def test_the_live_budget_warning_reads_at_4_5_to_1(live_server, phone_page, screenshot, world):
    page = phone_page
    BudgetLine.objects.filter(application=world.draft).update(source=BudgetLine.Source.SUBSIDY)
    login(page, live_server, world.drafter.email)
    page.goto(f"{live_server.url}/my/applications/{world.draft.pk}/budget/")
    page.locator("#budget-lines input[name$=-amount]").first.fill("2000000")
    warning = page.locator("[data-warning=self]")
    expect(warning).to_be_visible()
    screenshot(page, "budget-warning")
    assert not low_contrast(page, "#budget-totals")
    assert not low_contrast(page)


@pytest.mark.parametrize(
    "who, page_of",
    [
        ("drafter", lambda w: f"/my/applications/{w.draft.pk}/project/"),
        ("drafter", lambda w: f"/my/applications/{w.draft.pk}/budget/"),
        ("drafter", lambda w: f"/my/applications/{w.draft.pk}/consent/"),
        ("drafter", lambda w: "/my/group/"),
        ("drafter", lambda w: f"/networks/forums/{w.forum.pk}/"),
        ("mentor", lambda w: f"/mentors/groups/{w.group.pk}/visits/new/"),
        ("mentor", lambda w: f"/mentors/visits/{w.visit.pk}/edit/"),
        ("mentor", lambda w: "/mentors/sessions/new/"),
        ("mentor", lambda w: f"/mentors/sessions/{w.session.pk}/"),
    ],
    ids=["project", "budget", "consent", "group", "forum", "visit", "visit-edit", "session", "attendance"],
)
def test_every_checkbox_and_radio_is_24_px_and_every_text_4_5_to_1(live_server, phone_page, world, who, page_of):
    page = phone_page
    login(page, live_server, getattr(world, who).email)
    page.goto(live_server.url + page_of(world))
    expect(page.locator("main form").first).to_be_visible()
    _targets, small = small_targets(page)
    assert not small, f"controls smaller than 24×24 px: {small}"
    assert not low_contrast(page)


def test_the_pages_with_choices_do_have_checkboxes_and_radios_to_measure(live_server, phone_page, world):
    """The size test above measures something: the consent step has its yes/no radios, the budget
    step a remove checkbox per line."""
    page = phone_page
    login(page, live_server, world.drafter.email)
    page.goto(f"{live_server.url}/my/applications/{world.draft.pk}/consent/")
    expect(page.locator("main input[type=radio]").first).to_be_visible()
    assert len(small_targets(page)[0]) >= 6
    page.goto(f"{live_server.url}/my/applications/{world.draft.pk}/budget/")
    expect(page.locator("main input[type=checkbox]").first).to_be_visible()
