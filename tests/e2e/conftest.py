"""Playwright on Debian's chromium (RECIPES.md): never a downloaded browser."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("KIUM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI requires chromium for the e2e tests")
    skip = pytest.mark.skip(reason="chromium not installed (apt-get install chromium)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # A transactional test before this one flushed the migration-loaded reference data.
    from kium.orgs.reference import ensure_reference_data

    ensure_reference_data()
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot and the page text of a failed browser test (var/test-results/)."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when != "call" or not report.failed or page is None:
        return
    from pathlib import Path

    results = Path(__file__).resolve().parents[2] / "var" / "test-results"
    results.mkdir(parents=True, exist_ok=True)
    stem = results / item.name
    try:
        page.screenshot(path=f"{stem}.png", full_page=True)
        Path(f"{stem}.txt").write_text(page.url + "\n" + page.inner_text("body"))
    except Exception as exc:
        report.sections.append(("screenshot", f"could not save: {exc}"))
    else:
        report.sections.append(("screenshot", f"saved {stem}.png"))
