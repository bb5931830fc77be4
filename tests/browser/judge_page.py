#!/usr/bin/env python3
"""The judge page in a real browser (headless Chromium, driven by selenium), on 127.0.0.1 only.

The page is opened as a phone on the venue Wi-Fi would open it: http://venue.test:PORT/ mapped
to 127.0.0.1, which (unlike http://127.0.0.1) is not a secure context, so WebCrypto is absent
exactly as on a real phone. Join URL → PIN → score → submit → receipt; the server stopped →
another submit waits; a reload loses nothing; the server restarted → it arrives. Screenshots at
360×740 go to docs/ when a folder is given.

Usage: judge_page.py SCOREDESK_BINARY FIXTURES_DIR [DOCS_DIR]
Prints one `test result:` line (counted by scripts/test.sh) and exits non-zero on failure.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.common.by import By

BIN, FIXTURES = sys.argv[1], sys.argv[2]
DOCS = sys.argv[3] if len(sys.argv) > 3 else None
DEADLINE = 60  # seconds for any wait below


def run(*args):
    out = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise AssertionError(f"{args}: {out.stderr}")
    return out.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(master, port):
    p = subprocess.Popen(
        [BIN, "serve", master, "--bind", "127.0.0.1", "--port", str(port), "--for", "280"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    assert "listening on 127.0.0.1" in line, line
    return p


def wait_for(cond, what):
    end = time.time() + DEADLINE
    while time.time() < end:
        try:
            if cond():
                return
        except Exception:  # the page is changing under us: try again
            pass
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


def judge_score(master, contestant, judge="PW029"):
    v = json.loads(run("results", master, "--event", "E05", "--format", "json"))
    for g in v["groups"]:
        for e in g["entries"]:
            if e["contestant"] == contestant:
                for s in e["scores"]:
                    if s["judge"] == judge:
                        return str(s["score"])
    return None


def main():
    work = tempfile.mkdtemp(prefix="scoredesk-page-")
    master = os.path.join(work, "master.sqlite")
    run("new", master, "--organiser-pin", "123456")
    run("import", "contestants", master, os.path.join(FIXTURES, "roster.utf8.csv"))
    out = run("import", "judges", master, os.path.join(FIXTURES, "judges.csv"))
    pin = next(l.split("PIN ")[1].strip() for l in out.splitlines() if l.startswith("PW029\t"))
    run("draw", master, "--event", "E05", "--seed", "7")
    port = free_port()
    url = run("tokens", master, "--judge", "PW029", "--master", f"http://venue.test:{port}").split("\t")[2].strip()

    server = serve(master, port)
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-quic", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--window-size=360,740",
              f"--user-data-dir={os.path.join(work, 'profile')}",
              "--host-resolver-rules=MAP venue.test 127.0.0.1"]:
        opts.add_argument(a)
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    d = webdriver.Chrome(options=opts, service=service)
    d.set_window_size(360, 740)
    try:
        d.get(url)
        assert d.execute_script("return window.isSecureContext") is False, "must be like a phone"
        assert d.execute_script("return typeof crypto.subtle") == "undefined"
        d.find_element(By.ID, "pin").send_keys(pin)
        d.find_element(By.ID, "login-btn").click()
        wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "#events .row"), "the queue")
        d.execute_script("window.scrollTo(0, 0)")
        if DOCS:
            d.save_screenshot(os.path.join(DOCS, "phone-queue.png"))

        def score_next(values):
            # The queue is redrawn every two seconds: retry on a row that went stale.
            code = None
            for _ in range(50):
                try:
                    rows = [r for r in d.find_elements(By.CSS_SELECTOR, "#events .row")
                            if r.find_element(By.CSS_SELECTOR, ".st").text == "打分"]
                    code = rows[0].find_elements(By.TAG_NAME, "span")[0].text
                    # Centred first, so the sticky header does not take the tap.
                    d.execute_script("arguments[0].scrollIntoView({block: 'center'});", rows[0])
                    rows[0].click()
                    break
                except Exception:
                    time.sleep(0.1)
            assert code, "no contestant to score"
            wait_for(lambda: d.find_element(By.ID, "f0").is_displayed(), "the sheet")
            for i, v in enumerate(values):
                d.find_element(By.ID, f"f{i}").send_keys(v)
            return code

        # A score over the maximum is shown at the field and blocks submitting.
        code1 = score_next(["8", "12", "20", "25", "99"])
        assert "超过满分" in d.find_element(By.ID, "e4").text
        assert not d.find_element(By.ID, "submit-btn").is_enabled()
        f = d.find_element(By.ID, "f4")
        f.clear()
        f.send_keys("16")
        assert d.find_element(By.ID, "total").text == "81"
        if DOCS:
            d.save_screenshot(os.path.join(DOCS, "phone-sheet.png"))
        d.find_element(By.ID, "submit-btn").click()
        assert code1.split()[0] in d.find_element(By.ID, "confirm-who").text
        d.find_element(By.ID, "confirm-btn").click()
        wait_for(lambda: "所有已提交的评分都已送达" in d.find_element(By.ID, "outbox").text, "the receipt")
        first = json.loads(d.execute_script("return localStorage.getItem('scoredesk.v1')"))
        assert len(first["sent"]) == 1 and all(len(h) == 64 for h in first["sent"].values())

        # The master has it (read-only commands work while it serves).
        queue_state = first["queue"]["events"][0]["queue"]
        contestant1 = next(i["contestant"] for i in queue_state if i["code"] == code1.split()[0])
        assert judge_score(master, contestant1) == "81.0", judge_score(master, contestant1)

        # The master goes away: the next sheet waits in the browser, a reload loses nothing.
        server.terminate()
        server.wait(timeout=20)
        code2 = score_next(["9", "13", "21", "26", "17"])
        d.find_element(By.ID, "submit-btn").click()
        d.find_element(By.ID, "confirm-btn").click()
        wait_for(lambda: "等待发送：1" in d.find_element(By.ID, "outbox").text, "the waiting sheet")
        wait_for(lambda: d.find_element(By.ID, "net").text.startswith("离线"), "offline shown")
        assert "待发 1" in d.find_element(By.ID, "net").text
        d.execute_script("window.scrollTo(0, 0)")
        if DOCS:
            d.save_screenshot(os.path.join(DOCS, "phone-offline.png"))
        # Reopened with the master still away: the page comes from the browser's cache and the
        # waiting sheet is still there.
        d.get("about:blank")
        d.get(url)
        wait_for(lambda: "等待发送：1" in d.find_element(By.ID, "outbox").text, "still waiting after reopening")

        # The master is back: it arrives, with nothing doubled.
        server = serve(master, port)
        wait_for(lambda: "所有已提交的评分都已送达" in d.find_element(By.ID, "outbox").text, "the second receipt")
        contestant2 = next(i["contestant"] for i in queue_state if i["code"] == code2.split()[0])
        assert judge_score(master, contestant2) == "86.0", judge_score(master, contestant2)
        assert judge_score(master, contestant1) == "81.0"
        print("test result: ok. 1 passed; 0 failed; 0 ignored (judge page in headless Chromium)")
        return 0
    except Exception as e:  # report, then fail
        if DOCS:
            d.save_screenshot(os.path.join(work, "failure.png"))
        print(f"judge page test FAILED: {e!r} (screenshot in {work})")
        print("test result: FAILED. 0 passed; 1 failed; 0 ignored (judge page in headless Chromium)")
        return 1
    finally:
        d.quit()
        server.terminate()


if __name__ == "__main__":
    sys.exit(main())
