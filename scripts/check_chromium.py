"""Say loudly, before the suite runs, whether the browser tests can run here."""

import os
import shutil
import sys

CHROMIUM = os.environ.get("KIUM_CHROMIUM", "/usr/bin/chromium")

if os.path.exists(CHROMIUM) or shutil.which("chromium"):
    print(f"e2e: chromium found at {CHROMIUM}; browser tests will run.")
    sys.exit(0)
banner = "!" * 78
print(banner)
print("e2e: chromium is NOT installed, so the browser tests (tests/e2e) are SKIPPED.")
print("     Install it with: apt-get install -y chromium   (CI always runs them)")
print(banner)
if os.environ.get("CI"):
    print("CI is set: browser tests are required, failing.")
    sys.exit(1)
