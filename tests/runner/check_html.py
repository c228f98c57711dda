"""Loads the HTML report of a synthetic document in headless Chromium.

Fails on any console message from the page, when the DOM lacks the table or
the charts, or when Chromium is missing (skip is not pass: install it with
`apt-get install -y chromium`). Leaves a screenshot at SCREENSHOT.

usage: check_html.py TOOL WORKDIR SCREENSHOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]

# Messages from the page itself; chromium's own dbus / gpu / sandbox noise is not.
PAGE_PROBLEM = re.compile(r"CONSOLE\(|Uncaught|:CONSOLE|Refused to|net::ERR_|Failed to load resource")


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run(chromium, extra, url):
    with tempfile.TemporaryDirectory(prefix="hakit-chromium-") as profile:
        cmd = [chromium, *FLAGS, f"--user-data-dir={profile}", *extra, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def main():
    tool, workdir, screenshot = sys.argv[1:4]
    chromium = find_chromium()
    if chromium is None:
        print("FAIL chromium is not installed: install it with `apt-get install -y chromium` "
              "(the CI script does); this test does not skip")
        return 1
    os.makedirs(workdir, exist_ok=True)
    page = os.path.abspath(os.path.join(workdir, "report.html"))
    subprocess.run([tool, "html", page, "--failing", "--repetitions"], check=True)
    url = "file://" + page

    problems = []
    dom = run(chromium, ["--dump-dom"], url)
    if dom.returncode != 0:
        problems.append(f"chromium --dump-dom exited {dom.returncode}")
    for line in dom.stderr.splitlines():
        if PAGE_PROBLEM.search(line):
            problems.append("console: " + line.strip())
    html = dom.stdout
    if '<table id="comparison">' not in html:
        problems.append("the DOM has no comparison table")
    if html.count("<svg") < 6:
        problems.append(f"the DOM has {html.count('<svg')} svg charts, expected 6")
    # Self-contained: every src / href / url() stays inside the file.
    for ref in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"|url\(([^)]*)\)', html):
        target = ref[0] or ref[1]
        if not target.startswith(("data:", "#")):
            problems.append(f"the page references an outside resource: {target}")
    if "exited &lt;1&gt; &amp; dumped core" not in html:
        problems.append("document text is not escaped in the DOM")

    os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
    if os.path.exists(screenshot):
        os.remove(screenshot)
    shot = run(chromium, [f"--screenshot={os.path.abspath(screenshot)}", "--window-size=1200,2600",
                          "--hide-scrollbars"], url)
    for line in shot.stderr.splitlines():
        if PAGE_PROBLEM.search(line):
            problems.append("console: " + line.strip())
    if not os.path.exists(screenshot) or os.path.getsize(screenshot) == 0:
        problems.append(f"no screenshot at {screenshot} (chromium exited {shot.returncode})")

    for p in problems:
        print("FAIL", p)
    if problems:
        print("--- chromium stderr ---")
        print(dom.stderr)
        return 1
    print(f"ok   report.html renders without console errors; screenshot at {screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
