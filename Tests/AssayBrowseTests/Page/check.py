#!/usr/bin/env python3
"""Tests the static trace browser template in headless Chromium (standard library only).

    python3 check.py [--quick] [--out DIR] [--fix-csp]
    python3 check.py --page FILE.html [--screens DIR] [--measure]

Fills Sources/AssayBrowse/Page/Resources/browser.html with sample data from sample-data.py exactly as `assay browse` must
(see DATA-FORMAT.md: single-pass substitution, `<` `>` `&` U+2028 U+2029 escaped in the JSON, the
title HTML-escaped), writes DIR/test.html (default /tmp/assay-browser), drives Chromium through the
DevTools protocol (a hand-made WebSocket client) and checks the list, a trace's tree and span details,
search, filters and the URL fragment, review mode and the feedback export, that hostile payloads stay
text, and that the console shows no errors and the Content-Security-Policy no violations. Screenshots
go to DIR/screens. Unless --quick, it also measures first paint with 10,000 traces (about 60,000 spans).

--fix-csp recomputes the script and style hashes in the template's CSP after an edit, then exits.

--page tests a page already filled by `assay browse` (the CI test of the Swift writer): it reads the
page's embedded data (plain or packed; blocks decoded with gzip) and derives every expectation from it:
the file is the template with only the placeholders filled, the data escaped, the CSP hashes intact and
the data as DATA-FORMAT.md describes it (summaries agreeing with their spans); in Chromium the page loads
without console errors or CSP violations, the list has one row per trace in the right order, sorting by
Duration works, searching a word from a span name and one from a span input lists the traces the page's
own matching rules select, the first trace opens with one tree row per span and its details, the richest
span shows its normalized fields, hostile strings in the data (`<script`, `onerror=`, `javascript:`,
U+202E, NUL) stay text, and the review export works. Screenshots traces-list.png and trace-view.png go
to --screens (default: the page's folder); --measure adds first paint (median of 3 loads).

Chromium is $CHROMIUM, else `chromium` or `chromium-browser` on PATH. Prints one line per check and ends
with 'N passed, N failed'; the exit status is 1 if any failed, 2 if Chromium is missing or does not start
(a failure, never a skip).
"""

import base64
import functools
import gzip
import hashlib
import html
import json
import math
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "..", "..", "..", "Sources", "AssayBrowse", "Page", "Resources", "browser.html")
SAMPLE = os.path.join(HERE, "sample-data.py")

# ------------------------------------------------------------------ filling the template


def escape_json_for_script(text):
    """The escaping the Swift writer must apply to the data JSON before placing it in the script element."""
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def fill(template, data):
    """Single-pass substitution of both placeholders (a title containing `{{ASSAY_DATA}}` stays text).
    The title's control and bidi characters become visible `\\u{...}` escapes first (rule 4), as the page shows them."""
    payload = escape_json_for_script(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    title = html.escape(UNSAFE_LINE_RE.sub(ctl_sym, str(data.get("title", ""))), quote=True)
    assert template.count("{{ASSAY_DATA}}") == 1 and template.count("{{ASSAY_TITLE}}") == 1
    return re.sub(r"\{\{ASSAY_(DATA|TITLE)\}\}", lambda m: payload if m.group(1) == "DATA" else title, template)


def csp_hashes(template):
    style = re.search(r"<style>(.*?)</style>", template, re.S).group(1)
    scripts = re.findall(r"<script>(.*?)</script>", template, re.S)
    digest = lambda t: "'sha256-" + base64.b64encode(hashlib.sha256(t.encode("utf-8")).digest()).decode() + "'"
    return digest(style), [digest(s) for s in scripts]


def fix_csp():
    t = open(TEMPLATE, encoding="utf-8").read()
    style, scripts = csp_hashes(t)
    t2 = re.sub(r"style-src '[^;]*'", "style-src " + style, t, count=1)
    t2 = re.sub(r"script-src '[^;]*'", "script-src " + " ".join(scripts), t2, count=1)
    if t2 != t:
        open(TEMPLATE, "w", encoding="utf-8").write(t2)
        print("CSP hashes updated")
    else:
        print("CSP hashes already current")


def sample(n, *flags):
    out = subprocess.run([sys.executable, SAMPLE, str(n), *flags], check=True, capture_output=True).stdout
    return json.loads(out.decode("utf-8"))

# ------------------------------------------------------------------ a minimal DevTools client


class WebSocket:
    def __init__(self, url, timeout=60):
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            buf += chunk
        head, rest = buf.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0] + b" ":
            raise ConnectionError("websocket handshake failed: " + head.decode(errors="replace"))
        self.buf = bytearray(rest)

    def send(self, text):
        data = text.encode("utf-8")
        n = len(data)
        hdr = bytearray([0x81])
        if n < 126:
            hdr.append(0x80 | n)
        elif n < 65536:
            hdr.append(0x80 | 126)
            hdr += struct.pack(">H", n)
        else:
            hdr.append(0x80 | 127)
            hdr += struct.pack(">Q", n)
        mask = os.urandom(4)
        hdr += mask
        m = (mask * (n // 4 + 1))[:n]
        self.sock.sendall(bytes(hdr) + bytes(a ^ b for a, b in zip(data, m)))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError("websocket closed")
            self.buf += chunk
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def recv(self):
        parts = []
        while True:
            b0, b1 = self._read(2)
            op, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(a ^ mask[i % 4] for i, a in enumerate(payload))
            if op == 0x9:  # ping
                continue
            if op == 0x8:
                raise EOFError("websocket closed by peer")
            parts.append(payload)
            if b0 & 0x80:
                return b"".join(parts).decode("utf-8")


class Session:
    """One DevTools target: commands, and the events that matter here (console, exceptions, dialogs, CSP)."""

    def __init__(self, url):
        self.ws = WebSocket(url)
        self.next_id = 0
        self.console = []      # (type, text)
        self.exceptions = []   # text
        self.dialogs = []      # message
        self.log = []          # (level, source, text)
        self.issues = []       # Audits issues

    def call(self, method, **params):
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self._event(msg)

    def _event(self, msg):
        m, p = msg.get("method"), msg.get("params", {})
        if m == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            self.console.append((p.get("type"), text))
        elif m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            self.exceptions.append(d.get("text", "") + " " + str(d.get("exception", {}).get("description", "")))
        elif m == "Page.javascriptDialogOpening":
            self.dialogs.append(p.get("message"))
            self.next_id += 1
            self.ws.send(json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog", "params": {"accept": False}}))
        elif m == "Log.entryAdded":
            e = p.get("entry", {})
            self.log.append((e.get("level"), e.get("source"), e.get("text")))
        elif m == "Audits.issueAdded":
            self.issues.append(p.get("issue", {}))

    def eval(self, expr, await_promise=False):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=await_promise)
        if "exceptionDetails" in r:
            raise RuntimeError("evaluate failed: " + json.dumps(r["exceptionDetails"])[:500])
        return r.get("result", {}).get("value")

    def wait(self, expr, timeout=15.0, interval=0.05):
        end = time.time() + timeout
        guarded = "(() => { try { return (" + expr + "); } catch (e) { return null; } })()"
        while True:
            v = self.eval(guarded)
            if v:
                return v
            if time.time() > end:
                return v
            time.sleep(interval)

    def pump(self, seconds):
        """Reads pending events for a while (a cheap evaluate keeps the loop going)."""
        end = time.time() + seconds
        while time.time() < end:
            self.eval("1")
            time.sleep(0.05)

    def key(self, key, shift=False):
        codes = {"Escape": 27, "Enter": 13, "ArrowDown": 40, "ArrowUp": 38, "ArrowLeft": 37, "ArrowRight": 39,
                 "Home": 36, "End": 35, "PageDown": 34, "PageUp": 33}
        mods = 8 if shift else 0
        if key in codes:
            params = {"key": key, "code": key, "windowsVirtualKeyCode": codes[key], "modifiers": mods}
            if key == "Enter":
                params["text"] = "\r"
            self.call("Input.dispatchKeyEvent", type="rawKeyDown" if key != "Enter" else "keyDown", **params)
            self.call("Input.dispatchKeyEvent", type="keyUp", **params)
        else:
            vk = ord(key.upper()) if key.isalpha() else {"+": 187, "-": 189, "0": 48, "/": 191, "?": 191, "[": 219, "]": 221}.get(key, 0)
            params = {"key": key, "text": key, "unmodifiedText": key, "windowsVirtualKeyCode": vk, "modifiers": mods}
            self.call("Input.dispatchKeyEvent", type="keyDown", **params)
            self.call("Input.dispatchKeyEvent", type="keyUp", **params)

    def click(self, selector):
        box = self.eval(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null;"
                        f" e.scrollIntoView({{block: 'nearest'}}); const r = e.getBoundingClientRect();"
                        f" return [r.left + r.width / 2, r.top + r.height / 2]; }})()")
        if not box:
            raise RuntimeError("no element " + selector)
        for t in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=t, x=box[0], y=box[1], button="left", clickCount=1)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path

    def navigate(self, url, ready=True, timeout=60):
        self.call("Page.navigate", url=url)
        if ready:
            return self.wait("document.documentElement.getAttribute('data-ready')", timeout)


class NoBrowser(Exception):
    """Headless Chromium is missing or does not start: a test failure (exit status 2), never a skip."""


def find_chromium():
    """$CHROMIUM (a path or a command name), else `chromium` or `chromium-browser` on PATH."""
    env = os.environ.get("CHROMIUM")
    if env:
        exe = shutil.which(env)
        if not exe:
            raise NoBrowser(f"$CHROMIUM is set to {env!r}, which is not an executable file or a command on PATH")
        return exe
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not exe:
        raise NoBrowser("Chromium not found: neither `chromium` nor `chromium-browser` is on PATH and $CHROMIUM is not set "
                        "(Debian/Ubuntu: apt-get update && apt-get install -y chromium)")
    return exe


class Chromium:
    def __init__(self, workdir):
        exe = find_chromium()
        self.profile = tempfile.mkdtemp(prefix="profile-", dir=workdir)
        self.proc = subprocess.Popen(
            [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
             "--user-data-dir=" + self.profile, "--window-size=1400,900", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        end = time.time() + 30
        while not os.path.exists(port_file) or len(open(port_file).read().split("\n")) < 2:
            if time.time() > end or self.proc.poll() is not None:
                self.close()
                raise NoBrowser(f"{exe} did not start (no DevTools port within 30 s)")
            time.sleep(0.1)
        port, browser_path = open(port_file).read().split("\n")[:2]
        self.base = f"http://127.0.0.1:{port}"
        self.browser_ws = f"ws://127.0.0.1:{port}{browser_path}"

    def page(self):
        for _ in range(50):
            targets = json.load(urllib.request.urlopen(self.base + "/json/list"))
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                s = Session(pages[0]["webSocketDebuggerUrl"])
                for d in ("Page.enable", "Runtime.enable", "Log.enable", "Audits.enable"):
                    s.call(d)
                s.call("Emulation.setDeviceMetricsOverride", width=1400, height=900, deviceScaleFactor=1, mobile=False)
                s.call("Page.addScriptToEvaluateOnNewDocument", source=(
                    "window.__csp = []; document.addEventListener('securitypolicyviolation', function (e) {"
                    " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });"))
                return s
            time.sleep(0.1)
        raise NoBrowser("Chromium started but offers no page target")

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

# ------------------------------------------------------------------ what the page should show (mirrors the script)


def hay(t):
    parts = [t["traceId"], t["rootName"], ", ".join(t["models"]), t["sessionId"], t["userId"]]
    for f in t["feedback"]:
        parts += [f.get("comment"), f.get("correction")]
    for s in t["spans"]:
        parts += [s["name"], s["input"], s["output"], s["statusMessage"], s["errorType"], s["toolName"],
                  s["toolArguments"], s["toolResult"], s["model"]]
        for m in s["inputMessages"] + s["outputMessages"]:
            parts.append(m["content"])
            for c in m["toolCalls"]:
                parts += [c["name"], c["arguments"]]
        for d in s["documents"]:
            parts += [d["id"], d["content"]]
        for e in s["events"]:
            parts.append(e["name"])
            parts += [a["value"] for a in e["attributes"] if a["key"].startswith("exception.")]
    return "\x01".join(str(p) for p in parts if p is not None).lower()


def search_count(data, query):
    terms = [a or b for a, b in re.findall(r'"([^"]*)"|(\S+)', query.lower())]
    terms = [t for t in terms if t]
    return sum(1 for t in data["traces"] if all(x in hay(t) for x in terms))


def start_ms(t):
    return int(t["startTimeUnixNano"]) // 1_000_000

# ------------------------------------------------------------------ the checks


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(("PASS " if ok else "FAIL ") + name + (f"  ({detail})" if detail else ""), flush=True)
        return ok


def static_checks(r, template):
    r.check("template has one {{ASSAY_DATA}} inside the assay-data JSON script",
            template.count("{{ASSAY_DATA}}") == 1 and
            '<script type="application/json" id="assay-data">{{ASSAY_DATA}}</script>' in template)
    r.check("template has one {{ASSAY_TITLE}} inside <title>",
            template.count("{{ASSAY_TITLE}}") == 1 and "<title>{{ASSAY_TITLE}}</title>" in template)
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', template)
    r.check("CSP meta tag precedes every style and script", bool(m) and m.start() < template.index("<style>") and
            m.start() < template.index("<script"))
    csp = m.group(1) if m else ""
    style, scripts = csp_hashes(template)
    r.check("CSP: default-src 'none', no unsafe-inline/unsafe-eval, base-uri and form-action 'none'",
            "default-src 'none'" in csp and "unsafe" not in csp and "base-uri 'none'" in csp and "form-action 'none'" in csp)
    r.check("CSP hashes match the inline style and script (run check.py --fix-csp after editing)",
            ("style-src " + style) in csp and all(h in csp for h in scripts) and len(scripts) == 1,
            "" if ("style-src " + style) in csp else "expected " + style + " / " + " ".join(scripts))
    code = re.search(r"<script>(.*?)</script>", template, re.S).group(1)
    markup = re.sub(r"<script>.*?</script>|<style>.*?</style>", "", template, flags=re.S)
    bad = [p for p in (r"\beval\s*\(", r"new\s+Function", r"\.innerHTML", r"\.outerHTML", r"insertAdjacentHTML",
                       r"document\.write", r"setTimeout\(\s*['\"`]", r"setInterval\(\s*['\"`]", r"\.srcdoc",
                       r"createContextualFragment", r"DOMParser") if re.search(p, code)]
    r.check("script uses no eval, Function, innerHTML, document.write or string timers", not bad, ", ".join(bad))
    inline_handlers = re.findall(r"<[^>]+\son[a-z]+\s*=", markup, re.I)
    r.check("markup has no inline event-handler attributes or style attributes",
            not inline_handlers and not re.search(r"<[^>]+\sstyle\s*=", markup, re.I), str(inline_handlers[:3]))
    ext = re.findall(r"(?:src|href)\s*=\s*\"(?!data:|#)[^\"]*\"|@import|url\(", template)
    r.check("no external resources (src/href only data:, no @import or url())", not ext, str(ext[:3]))


def run(args):
    quick = "--quick" in args
    out_dir = args[args.index("--out") + 1] if "--out" in args else "/tmp/assay-browser"
    screens = os.path.join(out_dir, "screens")
    downloads = os.path.join(out_dir, "downloads")
    os.makedirs(screens, exist_ok=True)
    shutil.rmtree(downloads, ignore_errors=True)
    os.makedirs(downloads)
    template = open(TEMPLATE, encoding="utf-8").read()
    r = Results()
    static_checks(r, template)

    data = sample(60)
    plain_data = json.loads(json.dumps(data))
    test_html = os.path.join(out_dir, "test.html")
    with open(test_html, "w", encoding="utf-8") as f:
        f.write(fill(template, data))
    packed = sample(60, "--packed", "--block-traces", "8")
    packed_html = os.path.join(out_dir, "test-packed.html")
    with open(packed_html, "w", encoding="utf-8") as f:
        f.write(fill(template, packed))
    raw_html = os.path.join(out_dir, "template.html")
    shutil.copy(TEMPLATE, raw_html)
    url = "file://" + test_html
    traces = data["traces"]
    by_id = {t["traceId"]: t for t in traces}

    try:
        browser = Chromium(out_dir)
    except NoBrowser as e:
        r.check("headless Chromium is available", False, str(e))
        print(f"{r.passed} passed, {r.failed} failed")
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        p = browser.page()
        bws = Session(browser.browser_ws)
        bws.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=downloads, eventsEnabled=True)

        # --- the unfilled template explains itself
        p.navigate("file://" + raw_html)
        msg = p.eval("document.querySelector('.fatal h2') && document.querySelector('.fatal h2').textContent")
        r.check("unfilled template shows what it is", msg == "This is the trace browser template.", str(msg))

        # --- the list
        p.navigate("about:blank", ready=False)
        ready = p.navigate(url)
        r.check("page becomes ready", ready == "true", str(ready))
        rows = p.eval("document.querySelectorAll('#gbody .grow:not([hidden])').length")
        r.check("list renders rows, virtualized (fewer DOM rows than traces)", 0 < rows < len(traces), f"{rows} rows for {len(traces)}")
        r.check("grid announces the row count", p.eval("document.getElementById('grid').getAttribute('aria-rowcount')") == str(len(traces) + 1))
        r.check("count line", p.eval("document.getElementById('count').textContent") == f"{len(traces)} traces")
        newest = max(traces, key=lambda t: int(t["startTimeUnixNano"]))
        first_row = p.eval("document.getElementById('row-0').querySelector('.n2').textContent")
        r.check("default sort is newest first", first_row.startswith(newest["traceId"][:8]), first_row)
        shown = p.eval("document.getElementById('row-0').textContent")
        r.check("a row shows root name, start, duration, spans, models, tokens, cost",
                newest["rootName"] in shown and newest["models"][0] in shown and "$" in shown and
                ("2026-03-02 " in shown) and (" s" in shown or " ms" in shown) and str(newest["spanCount"]) in shown, shown[:200])
        r.check("document title is the data title, as text (control and bidi characters as \\u{...} escapes, rule 4)",
                p.eval("document.title") == UNSAFE_LINE_RE.sub(ctl_sym, data["title"]), repr(p.eval("document.title"))[:120])
        p.screenshot(os.path.join(screens, "list.png"))

        # --- filters and sort through the fragment (same-document hash changes)
        def count_after(fragment):
            p.eval(f"location.hash = {json.dumps(fragment)}")
            time.sleep(0.15)
            return p.eval("document.getElementById('grid').getAttribute('aria-rowcount') - 1")
        n_err = sum(1 for t in traces if t["status"] == "error")
        r.check("#status=error filters", count_after("status=error") == n_err, f"expected {n_err}")
        n_mini = sum(1 for t in traces if "gpt-4o-mini" in t["models"])
        r.check("#model= filters", count_after("model=gpt-4o-mini") == n_mini, f"expected {n_mini}")
        n_ret = sum(1 for t in traces if "retrieval" in t["operations"])
        r.check("#op= filters", count_after("op=retrieval") == n_ret, f"expected {n_ret}")
        n_flag = sum(1 for t in traces if any(f["flagged"] for f in t["feedback"]))
        r.check("#fb=flagged filters", count_after("fb=flagged") == n_flag, f"expected {n_flag}")
        n_rated = sum(1 for t in traces if any(f["rating"] for f in t["feedback"]))
        r.check("#fb=rated filters", count_after("fb=rated") == n_rated, f"expected {n_rated}")
        starts = sorted(start_ms(t) for t in traces)
        lo, hi = starts[len(starts) // 4], starts[3 * len(starts) // 4]
        iso = lambda ms: time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000))
        lo_s, hi_s = (lo // 1000) * 1000, (hi // 1000) * 1000 + 999
        n_time = sum(1 for t in traces if lo_s <= start_ms(t) <= hi_s)
        r.check("#from=&to= filters by start time (UTC)", count_after(f"from={iso(lo)}&to={iso(hi)}") == n_time, f"expected {n_time}")
        count_after("sort=duration")
        longest = max(traces, key=lambda t: int(t["durationNanos"]))
        first = p.eval("document.getElementById('row-0').querySelector('.n2').textContent")
        r.check("#sort=duration puts the longest first", first.startswith(longest["traceId"][:8]), first)
        p.eval("location.hash = ''")
        time.sleep(0.1)
        p.eval("{ const s = document.getElementById('f-status'); s.value = 'error'; s.dispatchEvent(new Event('change')) }")
        r.check("changing a filter writes the fragment", "status=error" in p.eval("location.hash"), p.eval("location.hash"))
        p.click("#ghead [data-col='cost'] button")
        r.check("clicking a column header sorts and writes the fragment",
                "sort=cost" in p.eval("location.hash") and p.eval("document.querySelector(\"#ghead [data-col='cost']\").getAttribute('aria-sort')") == "descending")
        p.click("#clear")
        time.sleep(0.1)
        r.check("Clear resets the filters", p.eval("document.getElementById('grid').getAttribute('aria-rowcount') - 1") == len(traces))

        # --- search (full text, lazily indexed)
        for query in ("inv-2291", "\"read replica\"", "timeouterror", "kb-204 refund"):
            expected = search_count(data, query)
            p.eval("{ const q = document.getElementById('q'); q.focus(); q.select() }")
            p.call("Input.insertText", text=query)
            got = p.wait(f"document.getElementById('searchstate').textContent === '' && "
                         f"(document.getElementById('grid').getAttribute('aria-rowcount') - 1) === {expected}", 10)
            n = p.eval("document.getElementById('grid').getAttribute('aria-rowcount') - 1")
            r.check(f"search {query!r} finds the traces whose names, inputs, outputs or messages match", bool(got) and 0 < expected < len(traces),
                    f"expected {expected}, shown {n}")
        r.check("search writes the fragment", "q=kb-204+refund" in p.eval("location.hash"), p.eval("location.hash"))
        p.screenshot(os.path.join(screens, "list-search.png"))
        p.eval("{ const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')) }")
        p.wait("(document.getElementById('grid').getAttribute('aria-rowcount') - 1) === %d" % len(traces), 5)
        p.eval("document.getElementById('q').blur()")

        # --- a trace through #trace=<id> on a fresh load
        agent = next(t for t in traces if t["rootName"] == "invoke_agent support-agent" and t["spanCount"] >= 7
                     and t["status"] == "error" and any(e["name"] == "exception" for s in t["spans"] for e in s["events"]))
        p.navigate("about:blank", ready=False)
        p.navigate(url + "#trace=" + agent["traceId"])
        ok = p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
        r.check("#trace=<id> opens the trace view", bool(ok) and p.eval("document.documentElement.getAttribute('data-view')") == "trace")
        tree_rows = p.eval("document.querySelectorAll('#tree .wrow:not([hidden])').length")
        r.check("the span tree shows every span", tree_rows == agent["spanCount"], f"{tree_rows} of {agent['spanCount']}")
        levels = p.eval("[...document.querySelectorAll('#tree .wrow:not([hidden])')].map(e => e.getAttribute('aria-level')).join(',')")
        r.check("tree items carry aria-level (nesting)", levels and "2" in levels.split(",") and levels.split(",")[0] == "1", levels)
        r.check("details show the root span", p.eval("document.getElementById('d-title').textContent") == agent["rootName"])
        r.check("an error banner lists the failed spans", p.eval("!document.getElementById('errbanner').hidden && document.getElementById('errbanner').textContent"))
        r.check("critical path is drawn", p.eval("document.querySelectorAll('#tree .bar.crit').length") >= 2 and
                p.eval("document.querySelectorAll('#tree .cseg').length") >= 1)
        chat_spans = [s for s in agent["spans"] if s["operation"] == "chat" and s["inputTokens"] is not None]
        r.check("context-growth chart has a point per LLM call", p.eval("document.querySelectorAll('#chart circle').length") == len(chat_spans),
                f"{len(chat_spans)} chat spans")
        r.check("trace-level meta shows tokens and cost", "in ·" in p.eval("document.getElementById('tv-meta').textContent"))
        p.screenshot(os.path.join(screens, "trace.png"))

        # select spans through the fragment (same document)
        chat = max(chat_spans, key=lambda s: len(s["inputMessages"]))
        p.eval(f"location.hash = 'trace={agent['traceId']}&span={chat['spanId']}'")
        p.wait(f"document.getElementById('d-title').textContent === {json.dumps(chat['name'])}", 5)
        n_msgs = len(chat["inputMessages"]) + len(chat["outputMessages"])
        r.check("&span=<id> selects a span; its messages are drawn as a conversation",
                p.eval("document.querySelectorAll('#details .msg').length") == n_msgs, f"expected {n_msgs}")
        n_calls = sum(len(m["toolCalls"]) for m in chat["inputMessages"] + chat["outputMessages"])
        r.check("tool calls are drawn in the conversation", p.eval("document.querySelectorAll('#details .tcall').length") == n_calls, f"expected {n_calls}")
        roles = p.eval("[...document.querySelectorAll('#details .msg .role')].map(e => e.textContent).join(',')")
        r.check("message roles are shown", roles.split(",")[:2] == ["system", "user"], roles)
        r.check("a tool result names the call it answers", (not any(m["toolCallId"] for m in chat["inputMessages"])) or
                "result of" in p.eval("document.getElementById('details').textContent"))
        r.check("attributes are listed raw", p.eval("document.querySelectorAll('#details table.attrs tr').length") >= len(chat["attributes"]))
        p.screenshot(os.path.join(screens, "trace-conversation.png"))
        ret = next((s for s in agent["spans"] if s["documents"]), None)
        if ret:
            p.eval(f"location.hash = 'trace={agent['traceId']}&span={ret['spanId']}'")
            p.wait(f"document.getElementById('d-title').textContent === {json.dumps(ret['name'])}", 5)
            r.check("retrieved documents are listed with scores", p.eval("document.querySelectorAll('#details .doc').length") == len(ret["documents"]) and
                    "score 0." in p.eval("document.getElementById('details').textContent"))
        err = next(s for s in agent["spans"] if any(e["name"] == "exception" for e in s["events"]))
        p.eval(f"location.hash = 'trace={agent['traceId']}&span={err['spanId']}'")
        p.wait(f"document.getElementById('d-title').textContent === {json.dumps(err['name'])}", 5)
        d_text = p.eval("document.getElementById('details').textContent")
        r.check("an exception shows its type, message and stack", p.eval("document.querySelectorAll('#details .errbox').length") >= 1
                and "Traceback (most recent call last)" in d_text and err["errorType"] in d_text)
        p.screenshot(os.path.join(screens, "trace-error.png"))

        # keyboard in the tree: collapse, expand, zoom
        p.eval("document.getElementById('tree').focus()")
        p.key("Home")
        p.key("ArrowLeft")
        r.check("ArrowLeft on the root collapses the tree", p.eval("document.querySelectorAll('#tree .wrow:not([hidden])').length") == 1)
        p.key("ArrowRight")
        r.check("ArrowRight expands it again", p.eval("document.querySelectorAll('#tree .wrow:not([hidden])').length") == agent["spanCount"])
        p.key("ArrowDown")
        r.check("ArrowDown selects the next span and writes &span=", "span=" in p.eval("location.hash"))
        p.key("+")
        z = p.eval("document.getElementById('zoomlbl').textContent")
        p.key("0")
        z0 = p.eval("document.getElementById('zoomlbl').textContent")
        r.check("+ zooms the timeline, 0 fits it", z == "2.0×" and z0 == "1.0×", f"{z} {z0}")
        box = p.eval("(() => { const r = document.getElementById('axtrack').getBoundingClientRect(); return [r.left, r.width, r.top + r.height / 2]; })()")
        x0, x1 = box[0] + box[1] * 0.25, box[0] + box[1] * 0.5
        p.call("Input.dispatchMouseEvent", type="mousePressed", x=x0, y=box[2], button="left", buttons=1, clickCount=1)
        for k in range(1, 6):
            p.call("Input.dispatchMouseEvent", type="mouseMoved", x=x0 + (x1 - x0) * k / 5, y=box[2], button="left", buttons=1)
        p.call("Input.dispatchMouseEvent", type="mouseReleased", x=x1, y=box[2], button="left", buttons=0, clickCount=1)
        z = p.eval("document.getElementById('zoomlbl').textContent")
        r.check("dragging on the time axis zooms to that range", z == "4.0×", z)
        p.key("0")
        second_chat = sorted(chat_spans, key=lambda s: int(s["startTimeUnixNano"]))[1]
        p.click("#chart circle:nth-of-type(2)")
        r.check("clicking a point of the context-growth chart selects that LLM call",
                p.wait(f"new URLSearchParams(location.hash.slice(1)).get('span') === {json.dumps(second_chat['spanId'])}", 3) is True)
        p.click("#details .spanreview .tog.flag")
        r.check("the span's Flag button reviews the span", p.eval("document.querySelector('#details .spanreview .tog.flag').getAttribute('aria-pressed')") == "true")
        p.click("#details .spanreview .tog.flag")
        p.key("?")
        r.check("? opens the keyboard help", p.eval("document.getElementById('help').open") is True)
        p.key("Escape")
        r.check("Escape closes it", p.eval("document.getElementById('help').open") is False)

        # --- j/k move between traces in the list's order
        p.navigate("about:blank", ready=False)
        p.navigate(url)
        order = p.eval("[...Array(5).keys()].map(i => document.getElementById('row-' + i).querySelector('.n2').textContent.slice(0, 8))")
        p.eval("document.getElementById('grid').focus()")
        p.key("j")
        p.key("Enter")
        p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
        h1 = p.eval("new URLSearchParams(location.hash.slice(1)).get('trace') || ''")
        p.key("j")
        p.wait(f"(new URLSearchParams(location.hash.slice(1)).get('trace') || '') !== {json.dumps(h1)}", 5)
        h2 = p.eval("new URLSearchParams(location.hash.slice(1)).get('trace') || ''")
        p.key("k")
        time.sleep(0.1)
        h3 = p.eval("new URLSearchParams(location.hash.slice(1)).get('trace') || ''")
        r.check("keyboard: j then Enter opens the second trace; j/k move to the next and back",
                h1[:8] == order[1] and h2[:8] == order[2] and h3 == h1, f"{order[:3]} {h1[:8]} {h2[:8]} {h3[:8]}")
        p.key("Escape")
        r.check("Escape returns to the list", p.eval("document.documentElement.getAttribute('data-view')") == "list" and
                "trace=" not in p.eval("location.hash"))

        # --- review mode: rate, flag, correct; kept in localStorage; exported as JSON Lines
        p.eval(f"location.hash = 'trace={agent['traceId']}'")
        p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
        p.key("u")
        p.key("f")
        p.key("c")
        correction = "The refund window is 30 days. <b>not bold</b> \u202e"
        p.call("Input.insertText", text=correction)
        p.key("Escape")
        p.eval("document.getElementById('tree').focus()")
        p.key("ArrowDown")
        p.key("D", shift=True)
        time.sleep(0.4)
        stored = p.eval("JSON.stringify(Object.keys(localStorage).map(k => [k, JSON.parse(localStorage.getItem(k))]))")
        stored = json.loads(stored)
        items = stored[0][1]["items"] if stored else []
        trace_item = next((i for i in items if i["traceId"] == agent["traceId"] and i["spanId"] is None), None)
        span_item = next((i for i in items if i["spanId"]), None)
        r.check("u, f and the correction box are saved in localStorage (keyed by title and generatedAt)",
                bool(trace_item) and trace_item["rating"] == "up" and trace_item["flagged"] and trace_item["correction"] == correction
                and json.loads(stored[0][0].split(":", 1)[1]) == [data["title"], data["generatedAt"]], json.dumps(items)[:300])
        r.check("Shift+D rates the selected span", bool(span_item) and span_item["rating"] == "down")
        p.screenshot(os.path.join(screens, "trace-review.png"))
        p.navigate("about:blank", ready=False)
        p.navigate(url + "#trace=" + agent["traceId"])
        p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
        r.check("the review survives a reload", p.eval("document.getElementById('rv-up').getAttribute('aria-pressed')") == "true" and
                p.eval("document.getElementById('rv-flag').getAttribute('aria-pressed')") == "true" and
                p.eval("document.getElementById('rv-corr').value") == correction)
        p.key("Escape")
        r.check("the list marks reviewed traces and counts them", "Reviewed 1 of" in p.eval("document.getElementById('progress').textContent"))
        count_after("fb=unreviewed")
        r.check("#fb=unreviewed hides reviewed traces", p.eval("document.getElementById('grid').getAttribute('aria-rowcount') - 1") == len(traces) - 1)
        p.eval("location.hash = ''")
        p.wait("document.getElementById('grid').getAttribute('aria-rowcount') - 1 === %d" % len(traces), 3)
        p.eval("document.getElementById('grid').focus()")
        before = [t["traceId"] for t in sorted(traces, key=lambda t: -int(t["startTimeUnixNano"]))]
        reviewed_pos = before.index(agent["traceId"])
        for _ in range(max(0, reviewed_pos - 1)):
            p.key("j")
        p.key("n")
        p.key("Enter")
        p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
        got = p.eval("new URLSearchParams(location.hash.slice(1)).get('trace')")
        r.check("n skips traces already reviewed", got == before[reviewed_pos + 1], f"{got} vs {before[reviewed_pos + 1]}")
        p.key("Escape")
        p.eval("location.hash = ''")
        p.click("#export")
        end = time.time() + 10
        files = []
        while time.time() < end:
            files = [f for f in os.listdir(downloads) if f.endswith(".jsonl")]
            if files:
                break
            time.sleep(0.1)
        lines = []
        if files:
            time.sleep(0.2)
            lines = [json.loads(x) for x in open(os.path.join(downloads, files[0]), encoding="utf-8").read().splitlines()]
        keys = ["traceId", "spanId", "rating", "flagged", "correction", "comment", "author", "source", "time"]
        r.check("Export downloads a JSON Lines feedback file (blob: link with download attribute, allowed under the CSP)",
                len(lines) == 2 and all(list(x.keys()) == keys for x in lines), f"{files} {lines[:1]}")
        t_line = next((x for x in lines if x["spanId"] is None), {})
        r.check("export lines carry rating, flag, correction, author 'reviewer', source 'human', ISO time",
                t_line.get("rating") == "up" and t_line.get("flagged") is True and t_line.get("correction") == correction and
                t_line.get("author") == "reviewer" and t_line.get("source") == "human" and
                re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", t_line.get("time", "")) is not None, json.dumps(t_line)[:200])
        r.check("export file name is derived safely", bool(files) and re.match(r"^assay-feedback-[A-Za-z0-9._-]+\.jsonl$", files[0]) is not None,
                str(files))

        # --- sessions, from the same page's data
        def load_page(fragment=""):
            p.navigate("about:blank", ready=False)
            return p.navigate(url + fragment)
        session_checks(r, p, PageData(test_html), load_page, screens, downloads, 15)
        load_page()

        # --- the big trace: the tree is virtualized
        big = max(traces, key=lambda t: t["spanCount"])
        p.eval(f"location.hash = 'trace={big['traceId']}'")
        p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 15)
        dom_rows = p.eval("document.querySelectorAll('#tree .wrow').length")
        r.check(f"a {big['spanCount']}-span tree renders only what is visible", 0 < dom_rows < 120, f"{dom_rows} DOM rows")
        p.eval("{ const t = document.getElementById('tree'); t.scrollTop = t.scrollHeight }")
        time.sleep(0.2)
        last = p.eval("Math.max(...[...document.querySelectorAll('#tree .wrow:not([hidden])')].map(e => +e.id.slice(3)))")
        r.check("scrolling the tree renders the rows further down", last == big["spanCount"] - 1, str(last))
        p.eval("document.getElementById('tree').scrollTop = 0")
        p.key("+")
        p.key("+")
        p.screenshot(os.path.join(screens, "trace-big.png"))

        # --- hostile payloads: visit the hostile trace and each of its spans
        hostile = [t for t in traces if "__pwned" in (t["rootName"] or "")]
        p.eval("location.hash = ''")
        p.eval("{ const q = document.getElementById('q'); q.focus(); q.select() }")
        p.call("Input.insertText", text="pwned")
        p.wait("document.getElementById('searchstate').textContent === ''", 10)
        time.sleep(0.3)
        listed = p.eval("[...document.querySelectorAll('#gbody .grow:not([hidden]) .n1')].map(e => e.textContent)")
        r.check("hostile root names are listed as text", len(hostile) >= 2 and any("</script><script>window.__pwned=1" in x for x in listed), str(listed[:2]))
        p.eval("document.getElementById('q').blur()")
        for t in hostile[:2]:
            p.eval(f"location.hash = 'trace={t['traceId']}'")
            p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
            p.eval("document.getElementById('tree').focus()")
            for s in t["spans"]:
                p.eval(f"location.hash = 'trace={t['traceId']}&span={s['spanId']}'")
                time.sleep(0.03)
            p.eval("document.querySelectorAll('#details .more').forEach(b => b.click())")
        p.eval(f"location.hash = 'trace={hostile[0]['traceId']}'")
        p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
        p.screenshot(os.path.join(screens, "hostile-root.png"))
        root_text = p.eval("document.getElementById('main').textContent")
        p.eval(f"location.hash = 'trace={hostile[0]['traceId']}&span={hostile[0]['spans'][1]['spanId']}'")
        time.sleep(0.2)
        p.screenshot(os.path.join(screens, "hostile-span.png"))
        dom = json.loads(p.eval("""JSON.stringify({
            img: document.querySelectorAll('img, iframe, object, embed, frame').length,
            scripts: document.scripts.length,
            svgInData: [...document.querySelectorAll('svg')].filter(s => s.closest('#details, #gbody, #tracefb, #tv-meta, #errbanner') && !s.closest('.chip, .btn, .tog')).length,
            links: document.querySelectorAll('a[href], area[href], [src], [srcdoc], [formaction], base').length,
            handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length,
            styleAttrs: [...document.querySelectorAll('[style]')].filter(e => /expression|url\\(|javascript/i.test(e.getAttribute('style'))).length,
            pwned: typeof window.__pwned,
            polluted: typeof ({}).polluted,
            text: document.getElementById('main').textContent,
            title: document.getElementById('title').textContent,
        })"""))
        r.check("no element injected: no img/iframe/object, no extra script, no element with a URL attribute",
                dom["img"] == 0 and dom["scripts"] == 2 and dom["links"] == 0, json.dumps({k: dom[k] for k in ("img", "scripts", "links")}))
        r.check("no element carries an on* handler attribute", dom["handlers"] == 0, str(dom["handlers"]))
        r.check("no payload ran (window.__pwned unset, no dialog) and no prototype pollution",
                dom["pwned"] == "undefined" and not p.dialogs and dom["polluted"] == "undefined", f"{dom['pwned']} {p.dialogs}")
        text = dom["text"] + root_text
        r.check("markup payloads are shown literally", "\"><img src=x onerror=" in text and "</script><script>" in text and "javascript:alert(1)" in text)
        raw_controls = [c for c in ("\u202e", "\u0000", "\u0007", "\u001b", "\u2028", "\ufeff", "\u0085") if c in text + dom["title"]]
        r.check("control and bidi characters never reach the page raw", not raw_controls, repr(raw_controls))
        r.check("they are shown visibly instead, as \\u{...} escapes (marked up in text blocks)",
                all(e in text for e in ("\\u{0}", "\\u{202e}", "\\u{1b}", "\\u{2028}", "\\u{85}")) and
                p.eval("document.querySelectorAll('#main .esc').length") > 0,
                str([e for e in ("\\u{0}", "\\u{202e}", "\\u{1b}", "\\u{2028}", "\\u{85}") if e not in text]) + " esc=" + str(p.eval("document.querySelectorAll('#main .esc').length")))
        r.check("the page title payload stayed text, and {{ASSAY_DATA}} in it was not substituted",
                "{{ASSAY_DATA}}" in dom["title"] and "</script><b>x</b>" in dom["title"])

        # --- a missing trace id
        p.eval("location.hash = 'trace=ffffffffffffffffffffffffffffffff'")
        time.sleep(0.2)
        r.check("#trace=<unknown id> says the trace is not in the file",
                "is not in this file" in p.eval("document.getElementById('notice').textContent") and
                p.eval("document.documentElement.getAttribute('data-view')") == "list")
        p.eval("location.hash = 'trace=%3Cimg%20src%3Dx%20onerror%3Dalert(9)%3E'")
        time.sleep(0.2)
        r.check("a hostile #trace= value is shown as text", "<img src=x onerror=alert(9)>" in p.eval("document.getElementById('notice').textContent")
                and p.eval("document.querySelectorAll('img').length") == 0)

        # --- dark mode and print
        p.eval(f"location.hash = 'trace={agent['traceId']}&span={chat['spanId']}'")
        p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
        p.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark"}])
        time.sleep(0.2)
        p.screenshot(os.path.join(screens, "trace-dark.png"))
        p.eval("location.hash = ''")
        time.sleep(0.2)
        p.screenshot(os.path.join(screens, "list-dark.png"))
        p.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "light"}])
        p.eval(f"location.hash = 'trace={agent['traceId']}'")
        p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
        pdf = base64.b64decode(p.call("Page.printToPDF", printBackground=True)["data"])
        with open(os.path.join(screens, "trace-print.pdf"), "wb") as f:
            f.write(pdf)
        r.check("the trace view prints (PDF)", pdf.startswith(b"%PDF") and len(pdf) > 20000, f"{len(pdf)} bytes")
        p.eval("window.dispatchEvent(new Event('beforeprint'))")
        p.call("Emulation.setEmulatedMedia", media="print")
        time.sleep(0.2)
        flat = p.eval("document.querySelectorAll('#tree .wrow').length")
        p.screenshot(os.path.join(screens, "trace-print.png"))
        p.call("Emulation.setEmulatedMedia", media="")
        p.eval("window.dispatchEvent(new Event('afterprint'))")
        r.check("printing lays out every span row", flat == agent["spanCount"], f"{flat} rows")

        # --- accessibility basics
        a11y = json.loads(p.eval("""JSON.stringify({
            unnamedButtons: [...document.querySelectorAll('button')].filter(b => !(b.textContent.trim() || b.getAttribute('aria-label') || b.title) && b.getAttribute('aria-hidden') !== 'true').length,
            unlabelled: [...document.querySelectorAll('input, select, textarea')].filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length,
            tree: document.getElementById('tree').getAttribute('role'), grid: document.getElementById('grid').getAttribute('role'),
            live: document.querySelectorAll('[aria-live]').length, lang: document.documentElement.lang })"""))
        r.check("accessibility: buttons named, fields labelled, grid/tree roles, live regions, lang",
                a11y["unnamedButtons"] == 0 and a11y["unlabelled"] == 0 and a11y["tree"] == "tree" and a11y["grid"] == "grid"
                and a11y["live"] >= 3 and a11y["lang"] == "en", json.dumps(a11y))

        # --- packed data (compressed span blocks)
        p.navigate("about:blank", ready=False)
        p.navigate("file://" + packed_html)
        r.check("packed data: the list renders", p.eval("document.getElementById('grid').getAttribute('aria-rowcount') - 1") == len(packed["traces"]))
        p.eval(f"location.hash = 'trace={agent['traceId']}&span={chat['spanId']}'")
        ok = p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
        r.check("packed data: a trace's spans are decompressed on demand",
                bool(ok) and p.eval("document.querySelectorAll('#details .msg').length") == n_msgs)
        p.eval("location.hash = ''")
        expected = search_count(plain_data, "\"read replica\"")
        p.eval("{ const q = document.getElementById('q'); q.focus(); q.select() }")
        p.call("Input.insertText", text="\"read replica\"")
        got = p.wait(f"document.getElementById('searchstate').textContent === '' && (document.getElementById('grid').getAttribute('aria-rowcount') - 1) === {expected}", 15)
        r.check("packed data: full-text search indexes every block", bool(got), f"expected {expected}")

        # --- nothing went wrong anywhere
        p.pump(0.3)
        errors = [t for (k, t) in p.console if k in ("error", "assert")]
        r.check("no console errors", not errors and not p.exceptions, str(errors[:3] + p.exceptions[:3]))
        csp = p.eval("window.__csp") or []
        csp_logs = [x for x in p.log if "Content Security Policy" in (x[2] or "") or x[1] == "security"]
        csp_issues = [i for i in p.issues if "ContentSecurityPolicy" in i.get("code", "")]
        r.check("no CSP violations", not csp and not csp_logs and not csp_issues, str(csp[:3] + csp_logs[:3] + csp_issues[:1])[:300])
        browser_errors = [x for x in p.log if x[0] == "error"]
        r.check("no errors in the browser log", not browser_errors, str(browser_errors[:3]))
        r.check("no JavaScript dialogs", not p.dialogs, str(p.dialogs))
        # Trusted Types: the CSP makes string assignments to innerHTML throw (a violation, deliberately)
        blocked = p.eval("(() => { try { document.getElementById('live').innerHTML = '<img src=x>'; return 'assigned'; } catch (e) { return 'blocked'; } })()")
        r.check("Trusted Types enforced: innerHTML with a string throws", blocked == "blocked", blocked)

        # --- screenshots of ordinary data (no hostile strings), for a look at the page
        benign = sample(200, "--benign", "--packed")
        benign_html = os.path.join(out_dir, "benign.html")
        with open(benign_html, "w", encoding="utf-8") as f:
            f.write(fill(template, benign))
        p.navigate("about:blank", ready=False)
        p.navigate("file://" + benign_html)
        p.screenshot(os.path.join(screens, "benign-list.png"))
        pick = next(t for t in benign["traces"] if t["rootName"] == "invoke_agent support-agent" and t["spanCount"] >= 9 and t["feedback"])
        p.eval(f"location.hash = 'trace={pick['traceId']}'")
        p.wait("document.documentElement.getAttribute('data-trace') === 'ready'", 10)
        p.eval("document.getElementById('tree').focus()")
        for _ in range(3):
            p.key("ArrowDown")
        time.sleep(0.2)
        p.screenshot(os.path.join(screens, "benign-trace.png"))

        if not quick:
            bench(r, template, browser, out_dir)
    finally:
        browser.close()
    print(f"{r.passed} passed, {r.failed} failed")
    return 0 if r.failed == 0 else 1


def bench(r, template, browser, out_dir):
    """First paint with 10,000 traces (about 60,000 spans), packed and plain."""
    results = {}
    digest = hashlib.sha256(open(SAMPLE, "rb").read()).hexdigest()[:12]
    for shape, flags in (("packed", ["--packed"]), ("plain", [])):
        cache = os.path.join(out_dir, f"bench-10000-{shape}-{digest}.json")
        if not os.path.exists(cache):
            t0 = time.time()
            out = subprocess.run([sys.executable, SAMPLE, "10000", *flags], check=True, capture_output=True).stdout
            with open(cache, "wb") as f:
                f.write(out)
            print(f"     (generated {shape} sample data in {time.time() - t0:.0f}s)", flush=True)
        data = json.load(open(cache, encoding="utf-8"))
        spans = sum(t.get("spanCount", 0) for t in data["traces"])
        page = os.path.join(out_dir, f"bench-{shape}.html")
        t0 = time.time()
        filled = fill(template, data)
        fill_s = time.time() - t0
        with open(page, "w", encoding="utf-8") as f:
            f.write(filled)
        size = os.path.getsize(page)
        del data, filled
        paints = []
        for _ in range(3):
            p = browser.page()
            p.navigate("about:blank", ready=False)
            p.console.clear()
            p.navigate("file://" + page, timeout=90)
            p.wait("document.documentElement.getAttribute('data-ready') === 'true'", 90)
            p.pump(0.2)
            line = next((t for (k, t) in p.console if "assay:first-paint-ms=" in t), "")
            m = re.search(r"first-paint-ms=(\d+)", line)
            fcp = p.eval("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0")
            paints.append((int(m.group(1)) if m else 10 ** 9, round(fcp), line))
            if shape == "packed" and len(paints) == 1:
                p.screenshot(os.path.join(out_dir, "screens", "list-10000.png"))
                t1 = time.time()
                p.eval("{ const q = document.getElementById('q'); q.focus(); q.value = 'inv-2291'; q.dispatchEvent(new Event('input')) }")
                p.wait("document.getElementById('searchstate').textContent === '' && document.getElementById('count').textContent.includes(' of ')", 120)
                results["search"] = time.time() - t1
            p.ws.sock.close()
        best = sorted(x[0] for x in paints)
        med = statistics.median(best)
        results[shape] = (med, best, size, spans, paints[0][2], fill_s, [x[1] for x in paints])
        print(f"     {shape}: 10,000 traces, {spans} spans, file {size / 1e6:.1f} MB, "
              f"fill {fill_s:.2f}s, first paint (ms) {best}, median {med:.0f}; FCP {[x[1] for x in paints]}; {paints[0][2]}", flush=True)
    med, best, size, spans, line, _, _ = results["packed"]
    r.check(f"first paint with 10,000 traces / {spans} spans (packed, {size / 1e6:.1f} MB) under 1.5 s", med < 1500, f"median {med:.0f} ms of {best}")
    if "search" in results:
        print(f"     full-text search over 10,000 packed traces, first query including indexing: {results['search']:.1f}s")


# ------------------------------------------------------------------ --page: test a page already filled by the writer
#
# Everything the page should show is derived from the page's own embedded data, read the way the page's
# script reads it (the helpers below mirror `str`, `vis`, `clip`, the search haystack, the sorts and the
# span tree of browser.html), so the mode works for any page `assay browse` writes.

DIGITS_RE = re.compile(r"[0-9]{1,20}")
HEX_RE = re.compile(r"[0-9a-fA-F]{1,64}")
UNSAFE = (r"\x7f-\x9f\xad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
          r"\ufff9-\ufffb\U000e0000-\U000e007f\U000e0100-\U000e01ef")
UNSAFE_LINE_RE = re.compile(r"[\x00-\x1f" + UNSAFE + "]")
UNSAFE_MULTI_RE = re.compile(r"[\x00-\x08\x0b-\x1f" + UNSAFE + "]")
OPS = ["agent", "chat", "embeddings", "retrieval", "tool", "chain", "other"]
HOSTILE = ("<script", "onerror=", "javascript:", "\u202e", "\x00")


def js_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def js_str(v):
    """String(v) as the page's `str()` computes it."""
    if isinstance(v, str):
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            return "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")
        if v.is_integer() and abs(v) < 1e21:
            return str(int(v))
        return re.sub(r"e([+-])0*(\d)", r"e\1\2", repr(v))
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def js_str_or_null(v):
    return None if v is None else js_str(v)


def js_arr(v):
    return v if isinstance(v, list) else []


def js_obj(v):
    return v if isinstance(v, dict) else None


def u16len(s):
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def clip(s, n):
    u = s.encode("utf-16-le", "surrogatepass")
    if len(u) // 2 <= n:
        return s
    cut = n
    if 0xD800 <= int.from_bytes(u[2 * cut - 2:2 * cut], "little") <= 0xDBFF:
        cut -= 1
    return u[:2 * cut].decode("utf-16-le", "surrogatepass") + "\u2026"


def ctl_sym(m):
    return "\\u{%x}" % ord(m.group(0))


def vis(v):
    return UNSAFE_LINE_RE.sub(ctl_sym, js_str(v))


def vis_multi(v):
    return UNSAFE_MULTI_RE.sub(ctl_sym, js_str(v).replace("\r\n", "\n"))


def nf(n):
    return f"{n:,}"


def ms_of(v):
    t = js_str(v)
    if not DIGITS_RE.fullmatch(t):
        return 0
    p = t.rjust(10, "0")
    return int(p[:-9]) * 1000 + int(p[-9:][:3])


def big(v):
    t = js_str(v)
    return int(t) if DIGITS_RE.fullmatch(t) else 0


def js_number_of_string(t):
    """Number(t) for the decimal strings a writer may send (NaN and infinities read as 0, as the page does)."""
    t = t.strip()
    if t == "":
        return 0.0
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", t):
        return 0.0
    f = float(t)
    return f if math.isfinite(f) and f >= 0 else 0.0


def is_js_integer(v):
    return js_num(v) and float(v).is_integer()


class PageData:
    """The data embedded in a filled page, with each trace's spans resolved as the page resolves them."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.html = open(self.path, encoding="utf-8").read()
        self.problems = []
        m = re.search(r'<script type="application/json" id="assay-data">(.*?)</script>', self.html, re.S)
        self.raw = m.group(1) if m else None
        t = re.search(r"<title>(.*?)</title>", self.html, re.S)
        self.title_html = t.group(1) if t else None
        self.data = None
        self.error = None
        if self.raw is None:
            self.error = "no <script type=\"application/json\" id=\"assay-data\"> element"
        elif self.raw.strip() == "{{ASSAY_DATA}}":
            self.error = "the page is the unfilled template"
        else:
            try:
                self.data = json.loads(self.raw)
            except ValueError as e:
                self.error = f"the embedded JSON does not parse: {e}"
            if self.data is not None and not (isinstance(self.data, dict) and isinstance(self.data.get("traces"), list)):
                self.error = "the embedded JSON has no \"traces\" list"
                self.data = None
        if self.data is None:
            self.traces = []
            return
        self.traces = self.data["traces"]
        self.blocks = self.data.get("spanBlocks") if isinstance(self.data.get("spanBlocks"), list) else None
        self.decoded = {}
        self.block_turns = {}
        self.block_errors = []
        self.by_id = {}
        for i, t in enumerate(self.traces):
            self.by_id.setdefault(js_str((js_obj(t) or {}).get("traceId")).lower(), i)
        self._spans = [None] * len(self.traces)

    def block(self, k):
        """Block k as the page decodes it: lower-case trace id -> spans (later entries win)."""
        if k in self.decoded:
            return self.decoded[k]
        m = {}
        turns = {}
        try:
            b = js_obj(self.blocks[k]) or {}
            if b.get("encoding") == "json":
                text = js_str(b.get("data"))
            elif b.get("encoding") == "gzip-base64":
                text = gzip.decompress(base64.b64decode(js_str(b.get("data")), validate=True)).decode("utf-8")
            else:
                raise ValueError(f"unknown encoding {b.get('encoding')!r}")
            for e in js_arr(json.loads(text)):
                o = js_obj(e)
                if o is not None and isinstance(o.get("spans"), list):
                    m[js_str(o.get("traceId")).lower()] = o["spans"]
                    turns[js_str(o.get("traceId")).lower()] = js_obj(o.get("turn"))
        except Exception as e:  # the page shows an error for such a block; the data check reports it
            self.block_errors.append(f"spanBlocks[{k}]: {type(e).__name__}: {e}")
            m, turns = {}, {}
        self.decoded[k] = m
        self.block_turns[k] = turns
        return m

    def turn(self, i):
        """Trace i's turn object as the page's turnOf() and normTurn() read it, or None: an input or
        answer the object leaves out is the root span's."""
        t = js_obj(self.traces[i]) or {}
        sb = t.get("spanBlock")
        if not isinstance(t.get("spans"), list) and self.blocks is not None and is_js_integer(sb) and 0 <= sb < len(self.blocks):
            self.block(int(sb))
            key = js_str(t.get("traceId")).lower()
            if key not in self.block_turns[int(sb)]:
                return None
            raw = self.block_turns[int(sb)][key]
            spans = self.block(int(sb))[key]
        else:
            raw, spans = js_obj(t.get("turn")), js_arr(t.get("spans"))
        if raw is None:
            return None
        rid = js_str_or_null(t.get("rootSpanId"))
        root = next((sp for sp in map(js_obj, spans) if sp is not None and rid is not None and js_str(sp.get("spanId")).lower() == rid.lower()), None)
        text = lambda k, rk: js_str_or_null(raw.get(k)) if k in raw else (js_str_or_null(root.get(rk)) if root is not None else None)
        it, de = js_obj(raw.get("interrupt")), js_obj(raw.get("decision"))
        ctx = raw.get("contextTokens")
        return {
            "number": int(raw["number"]) if is_js_integer(raw.get("number")) else None,
            "exchange": raw.get("exchange") if raw.get("exchange") in ("message", "resume") else None,
            "input": text("input", "input"), "answer": text("answer", "output"),
            "interrupt": {"id": js_str(it.get("id")), "kind": js_str(it.get("kind")), "message": js_str_or_null(it.get("message"))} if it is not None else None,
            "decision": {"decision": js_str(de.get("decision")), "text": js_str_or_null(de.get("text"))} if de is not None else None,
            "tools": [js_str(x) for x in js_arr(raw.get("tools"))], "errors": [js_str(x) for x in js_arr(raw.get("errors"))],
            "context": int(ctx) if is_js_integer(ctx) and ctx >= 0 else None,
        }

    def sessions(self):
        """The page's sessions (buildSessions): traces grouped by session id, each turn list in start
        order, the sessions newest activity first; with the trace each session's review is exported to."""
        facts = {}
        for x in js_arr(self.data.get("sessions")):
            x = js_obj(x)
            if x is not None and isinstance(x.get("id"), str) and x["id"] not in facts:
                facts[x["id"]] = x
        groups = {}
        for i, t in enumerate(self.traces):
            sid = js_str_or_null((js_obj(t) or {}).get("sessionId"))
            if sid is not None:
                groups.setdefault(sid, []).append(i)
        S = [self.summary(i) for i in range(len(self.traces))]

        def by_start(a, b):
            x, y = S[a]["start"], S[b]["start"]
            d = (u16len(x) - u16len(y)) or ((x > y) - (x < y))
            ka, kb = S[a]["id"].lower(), S[b]["id"].lower()
            return d or ((ka > kb) - (ka < kb)) or a - b
        out = []
        for sid, idxs in groups.items():
            idxs.sort(key=functools.cmp_to_key(by_start))
            x = facts.get(sid)
            anchor = x["firstTraceId"] if x is not None and isinstance(x.get("firstTraceId"), str) and \
                re.fullmatch(r"[0-9a-fA-F]{32}", x["firstTraceId"]) else S[idxs[0]]["id"]
            end = max(S[i]["startMs"] + S[i]["dur"] / 1e6 for i in idxs)
            out.append({"id": sid, "idxs": idxs, "anchor": anchor, "endMs": end})
        u16 = lambda v: v.encode("utf-16-be", "surrogatepass")
        out.sort(key=functools.cmp_to_key(lambda a, b: ((b["endMs"] > a["endMs"]) - (b["endMs"] < a["endMs"])) or
                                          ((u16(a["id"]) > u16(b["id"])) - (u16(a["id"]) < u16(b["id"])))))
        return out

    def spans(self, i):
        if self._spans[i] is None:
            t = js_obj(self.traces[i]) or {}
            sb = t.get("spanBlock")
            if isinstance(t.get("spans"), list):
                s = t["spans"]
            elif self.blocks is not None and is_js_integer(sb) and 0 <= sb < len(self.blocks):
                s = self.block(int(sb)).get(js_str(t.get("traceId")).lower(), [])
            else:
                s = []
            self._spans[i] = s
        return self._spans[i]

    def summary(self, i):
        t = js_obj(self.traces[i]) or {}
        root = t.get("rootName")
        models = [js_str(x) for x in js_arr(t.get("models"))]
        return {"id": js_str(t.get("traceId")), "root": None if root is None else js_str(root),
                "modelsText": ", ".join(models), "session": js_str_or_null(t.get("sessionId")),
                "user": js_str_or_null(t.get("userId")), "start": js_str(t.get("startTimeUnixNano")),
                "startMs": ms_of(t.get("startTimeUnixNano")), "dur": js_number_of_string(js_str(t.get("durationNanos"))),
                "spanCount": int(t["spanCount"]) if js_num(t.get("spanCount")) else 0,
                "feedback": [f for f in js_arr(t.get("feedback")) if js_obj(f) is not None]}

    def hay(self, i):
        """The page's lower-cased search haystack of trace i (buildHay + spanHay)."""
        s = self.summary(i)
        parts = [s["id"], s["root"], s["modelsText"], s["session"], s["user"]]
        for f in s["feedback"]:
            parts += [js_str_or_null(f.get("comment")), js_str_or_null(f.get("correction"))]
        for sp in self.spans(i):
            sp = js_obj(sp)
            if sp is None:
                continue
            parts += [sp.get(k) for k in ("name", "input", "output", "statusMessage", "errorType", "toolName",
                                          "toolArguments", "toolResult", "model")]
            for key in ("inputMessages", "outputMessages"):
                for m in js_arr(sp.get(key)):
                    m = js_obj(m)
                    if m is None:
                        continue
                    parts.append(m.get("content"))
                    for c in js_arr(m.get("toolCalls")):
                        c = js_obj(c)
                        if c is not None:
                            parts += [c.get("name"), c.get("arguments")]
            for d in js_arr(sp.get("documents")):
                d = js_obj(d)
                if d is not None:
                    parts += [d.get("id"), d.get("content")]
            for e in js_arr(sp.get("events")):
                e = js_obj(e)
                if e is None:
                    continue
                parts.append(e.get("name"))
                for a in js_arr(e.get("attributes")):
                    a = js_obj(a)
                    if a is not None and js_str(a.get("key")).startswith("exception."):
                        parts.append(a.get("value"))
        return "".join(js_str(p) + "\x01" for p in parts if p is not None).lower()

    def search_count(self, query, hays):
        terms = [a or b for a, b in re.findall(r'"([^"]*)"|(\S+)', query.lower())]
        terms = [t for t in terms if t]
        return sum(1 for h in hays if all(x in h for x in terms))

    def order(self, sort, desc):
        """The list order (indices) for sort `start` or `duration`, as sortView computes it."""
        S = [self.summary(i) for i in range(len(self.traces))]
        sgn = -1 if desc else 1
        if sort == "duration":
            def cmp(a, b):
                d = sgn * (S[a]["dur"] - S[b]["dur"])
                return (d > 0) - (d < 0) or a - b
        else:
            def cmp(a, b):
                d = S[a]["startMs"] - S[b]["startMs"]
                if d == 0:
                    x, y = S[a]["start"], S[b]["start"]
                    d = (u16len(x) - u16len(y)) or ((x > y) - (x < y))
                d = sgn * d
                return (d > 0) - (d < 0) or a - b
        return sorted(range(len(self.traces)), key=functools.cmp_to_key(cmp))

    def strings(self, v):
        """Every string in a value (keys included)."""
        stack = [v]
        while stack:
            x = stack.pop()
            if isinstance(x, str):
                yield x
            elif isinstance(x, list):
                stack.extend(x)
            elif isinstance(x, dict):
                stack.extend(x.keys())
                stack.extend(x.values())

    def hostile(self, s):
        low = s.lower()
        return [h for h in HOSTILE if h in low]


def tree_model(spans):
    """The page's span tree (buildModel): (number of rows, index of the span selected by default or -1)."""
    nodes = []
    base = None
    for sp in spans:
        sp = js_obj(sp) or {}
        st = big(sp.get("startTimeUnixNano"))
        nodes.append({"id": js_str(sp.get("spanId")), "parent": js_str_or_null(sp.get("parentSpanId")), "startB": st})
        if base is None or st < base:
            base = st
    by_id = {}
    for i, nd in enumerate(nodes):
        nd["start"] = float(nd["startB"] - base)
        by_id.setdefault(nd["id"].lower(), i)
    roots = []
    for i, nd in enumerate(nodes):
        pk = nd["parent"].lower() if nd["parent"] else ""
        p = by_id.get(pk) if pk and not re.fullmatch(r"0+", pk) else None
        if p is None or p == i:
            roots.append(i)
    roots.sort(key=lambda i: (nodes[i]["start"], i))
    return len(nodes), (roots[0] if roots else (0 if nodes else -1)), by_id


def contract_problems(pd):
    """Departures from DATA-FORMAT.md in the embedded data (types and the summary/spans agreement)."""
    bad = []
    d = pd.data
    dec = lambda v: isinstance(v, str) and DIGITS_RE.fullmatch(v) is not None
    intv = lambda v: isinstance(v, int) and not isinstance(v, bool)
    if not isinstance(d.get("title"), str):
        bad.append("title is not a string")
    if not isinstance(d.get("generatedAt"), str):
        bad.append("generatedAt is not a string")
    if "spanBlocks" in d and not isinstance(d["spanBlocks"], list):
        bad.append("spanBlocks is not a list")
    for k, b in enumerate(pd.blocks or []):
        b = js_obj(b) or {}
        if b.get("encoding") not in ("gzip-base64", "json") or not isinstance(b.get("data"), str):
            bad.append(f"spanBlocks[{k}] is not {{encoding: gzip-base64|json, data: str}}")
        pd.block(k)
    bad += pd.block_errors
    summary = []
    for i, t in enumerate(pd.traces):
        if not isinstance(t, dict):
            bad.append(f"traces[{i}] is not an object")
            continue
        w = f"trace {js_str(t.get('traceId'))[:32] or i}"
        if not (isinstance(t.get("traceId"), str) and re.fullmatch(r"[0-9a-fA-F]{32}", t["traceId"])):
            bad.append(f"{w}: traceId is not 32 hex digits")
        if not (t.get("rootName") is None or isinstance(t.get("rootName"), str)):
            bad.append(f"{w}: rootName is not a string or null")
        for k in ("startTimeUnixNano", "durationNanos"):
            if not dec(t.get(k)):
                bad.append(f"{w}: {k} is not a decimal string: {t.get(k)!r}"[:160])
        if t.get("status") not in ("ok", "error"):
            bad.append(f"{w}: status is {t.get('status')!r}")
        for k in ("spanCount", "errorCount", "inputTokens", "outputTokens", "totalTokens"):
            if not intv(t.get(k)):
                bad.append(f"{w}: {k} is not an integer: {t.get(k)!r}"[:160])
        for k in ("models", "operations", "feedback"):
            if not isinstance(t.get(k), list):
                bad.append(f"{w}: {k} is not a list")
        if "spans" in t:
            if not isinstance(t["spans"], list):
                bad.append(f"{w}: spans is not a list")
        elif "spanBlock" in t:
            sb = t["spanBlock"]
            if not (intv(sb) and pd.blocks is not None and 0 <= sb < len(pd.blocks)):
                bad.append(f"{w}: spanBlock {sb!r} is not the index of a block")
            elif t.get("traceId", "").lower() not in pd.block(sb) and not pd.block_errors:
                bad.append(f"{w}: block {sb} has no entry for this trace")
        else:
            bad.append(f"{w}: neither spans nor spanBlock")
        spans = pd.spans(i)
        for j, sp in enumerate(spans):
            if not isinstance(sp, dict):
                bad.append(f"{w}: span {j} is not an object")
                continue
            if not (isinstance(sp.get("spanId"), str) and re.fullmatch(r"[0-9a-fA-F]{16}", sp["spanId"])):
                bad.append(f"{w}: span {j}: spanId is not 16 hex digits")
            if not isinstance(sp.get("name"), str):
                bad.append(f"{w}: span {j}: name is not a string")
            for k in ("startTimeUnixNano", "endTimeUnixNano"):
                if not dec(sp.get(k)):
                    bad.append(f"{w}: span {j}: {k} is not a decimal string: {sp.get(k)!r}"[:160])
            if sp.get("status") not in ("unset", "ok", "error"):
                bad.append(f"{w}: span {j}: status is {sp.get('status')!r}")
            for k in ("inputMessages", "outputMessages", "documents", "attributes", "events", "links"):
                if not isinstance(sp.get(k), list):
                    bad.append(f"{w}: span {j}: {k} is not a list")
        # the summary must agree with the spans (TraceSummary / TraceRollup semantics)
        objs = [sp for sp in spans if isinstance(sp, dict)]
        errs = sum(1 for sp in objs if sp.get("status") == "error")
        if intv(t.get("spanCount")) and t["spanCount"] != len(spans):
            summary.append(f"{w}: spanCount {t['spanCount']} but {len(spans)} spans")
        if intv(t.get("errorCount")) and t["errorCount"] != errs:
            summary.append(f"{w}: errorCount {t['errorCount']} but {errs} failed spans")
        if t.get("status") in ("ok", "error") and (t["status"] == "error") != (errs > 0):
            summary.append(f"{w}: status {t['status']} but {errs} failed spans")
        if objs and dec(t.get("startTimeUnixNano")) and dec(t.get("durationNanos")):
            first = min(big(sp.get("startTimeUnixNano")) for sp in objs)
            last = max(big(sp.get("endTimeUnixNano")) for sp in objs)
            if int(t["startTimeUnixNano"]) != first or int(t["durationNanos"]) != max(0, last - first):
                summary.append(f"{w}: start/duration {t['startTimeUnixNano']}/{t['durationNanos']} but spans run {first} to {last}")
        if len(bad) > 200 and len(summary) > 200:
            break
    return bad, summary


def page_static_checks(r, pd, template):
    """The file itself: made from the template, with the data escaped and the CSP intact."""
    html_ = pd.html
    pre, rest = template.split("{{ASSAY_TITLE}}", 1)
    mid, post = rest.split("{{ASSAY_DATA}}", 1)
    same = html_.startswith(pre) and html_.endswith(post) and mid in html_[len(pre):len(html_) - len(post)]
    r.check("the page is the template with only {{ASSAY_TITLE}} and {{ASSAY_DATA}} filled in (run from this checkout's browser.html)",
            same, "" if same else "the page's markup, style or script differs from Resources/browser.html")
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html_)
    csp = m.group(1) if m else ""
    ok = False
    if m and len(re.findall(r"<script>(.*?)</script>", html_, re.S)) == 1:
        style, scripts = csp_hashes(html_)
        ok = ("style-src " + style) in csp and all(h in csp for h in scripts)
    r.check("the page's CSP hashes match its inline style and script", ok)
    raw = pd.raw or ""
    stray = sorted(set(re.findall("[<>&\u2028\u2029\x00-\x08\x0b\x0c\x0e-\x1f]", raw)))
    r.check("the data JSON is escaped for a script element (no raw < > & U+2028 U+2029 or control characters)",
            pd.raw is not None and not stray, repr(stray))
    title = pd.title_html
    title_ok = title is not None and not re.search(r"[<>\"']", title) and \
        not re.search(r"&(?!(?:amp|lt|gt|quot|#39|#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);)", title)
    r.check("the <title> is HTML-escaped", title_ok, repr((title or "")[:120]))
    r.check("the <title> carries no control or bidi characters", title is not None and not UNSAFE_LINE_RE.search(html.unescape(title)),
            repr([c for c in html.unescape(title or "") if UNSAFE_LINE_RE.match(c)][:5]))
    r.check("the embedded data parses", pd.data is not None, pd.error or "")


JS_DETAILS = r"""JSON.stringify((() => {
  const d = document.getElementById('details');
  const kv = {};
  const dl = d.querySelector('dl.kv');
  if (dl) { const dts = dl.querySelectorAll('dt'); for (const dt of dts) { const dd = dt.nextElementSibling; if (dt.textContent) kv[dt.textContent] = dd ? dd.textContent : null; } }
  const secs = [...d.querySelectorAll('section.d-sec')].map(s => { const h = s.querySelector('h3'); const pre = s.querySelector('.pre');
    return [h && h.firstChild ? h.firstChild.textContent : '', pre ? pre.textContent : null, s.querySelectorAll('table.attrs tr').length]; });
  return { title: (document.getElementById('d-title') || {}).textContent || null, kv, secs,
    msgs: d.querySelectorAll('.msg').length, roles: [...d.querySelectorAll('.msg .role')].map(e => e.textContent),
    docs: d.querySelectorAll('.doc').length, attrs: d.querySelectorAll('table.attrs tr').length,
    events: d.querySelectorAll('.event').length, text: d.textContent.slice(0, 400) };
})())"""

JS_DOM_SAFETY = r"""JSON.stringify((() => {
  const texts = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, { acceptNode: (n) =>
    n.parentElement && n.parentElement.closest('script, style') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  let n, len = 0;
  while ((n = w.nextNode())) { texts.push(n.data); len += n.data.length; }
  const all = texts.join('\n') + '\n' + document.title;
  return {
    img: document.querySelectorAll('img, iframe, object, embed, frame, frameset, video, audio, source, track').length,
    scripts: document.scripts.length,
    links: document.querySelectorAll('a[href], area[href], [src], [srcdoc], [formaction], [xlink\\:href], base, meta[http-equiv="refresh"]').length,
    handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length,
    pwned: typeof window.__pwned, polluted: typeof ({}).polluted,
    raw: [...new Set([...all].filter(c => /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u2028\u2029]/.test(c)))].map(c => c.codePointAt(0).toString(16)),
  };
})())"""


JS_TURNS = r"""JSON.stringify([...document.querySelectorAll('#sv-turns > li.turn')].map(li => ({
  trace: li.getAttribute('data-trace'), label: (li.querySelector('.tn') || {}).textContent || '',
  steps: [...li.querySelectorAll(':scope > .step')].map(st => [st.className.replace(/^step /, ''), st.querySelector('.who').textContent, st.querySelector('.sb').textContent]),
  tools: li.querySelectorAll('.tchip').length })))"""


def newest_export(downloads, before, timeout=15):
    """The lines of the feedback file downloaded after `before` (a set of names), or []."""
    end = time.time() + timeout
    while time.time() < end:
        new = [f for f in os.listdir(downloads) if f.endswith(".jsonl") and f not in before]
        if new:
            time.sleep(0.3)
            text = open(os.path.join(downloads, new[0]), encoding="utf-8").read()
            return [json.loads(x) for x in text.splitlines()], text
        time.sleep(0.1)
    return [], ""


def session_checks(r, p, pd, load, screens, downloads, slow):
    """The Sessions tab and a session's view, derived from the page's data (DATA-FORMAT.md, "Sessions"):
    the list in newest-activity order, the turns in start order with their user input, tool calls,
    answers, approvals (the agent's interrupt and the decision that answered it), the context-growth
    chart, a turn opening its trace and a trace linking to its session, the review of a whole session
    exported with its id, and hostile session ids and turn texts staying text."""
    sessions = pd.sessions()
    n = len(sessions)
    frag = lambda **kw: "#" + urllib.parse.urlencode(kw)
    ready = load(frag(view="sessions"))
    p.wait("document.documentElement.getAttribute('data-view') === 'sessions'", 10)
    count = p.eval("document.getElementById('scount').textContent")
    rowcount = p.eval("document.getElementById('sgrid').getAttribute('aria-rowcount') - 1")
    r.check(f"#view=sessions lists {n} session{'s' if n != 1 else ''} (traces grouped by session id)",
            ready == "true" and count == f"{nf(n)} session{'' if n == 1 else 's'}" and rowcount == n and
            p.eval("document.getElementById('tab-sessions-n').textContent") == nf(n) and
            p.eval("document.getElementById('tab-sessions').getAttribute('aria-selected')") == "true", f"{count!r} rows={rowcount}")
    if n == 0:
        r.check("no sessions: the Sessions tab says why", (p.eval("document.getElementById('sempty').textContent") or "").startswith(
            "No trace in this file belongs to a session"))
        p.screenshot(os.path.join(screens, "sessions-list.png"))
        return
    k = min(8, n)
    shown = p.eval("[...document.querySelectorAll('#sbody .grow:not([hidden])')].map(e => [+e.getAttribute('aria-rowindex') - 2, "
                   "e.querySelector('.n1').textContent]).sort((a, b) => a[0] - b[0]).slice(0, %d).map(x => x[1])" % k)
    want = [clip(vis(x["id"]), 200) for x in sessions[:k]]
    r.check("the sessions are listed newest activity first", shown == want, f"{shown[:2]} vs {want[:2]}")
    p.screenshot(os.path.join(screens, "sessions-list.png"))

    turns = {x["id"]: [pd.turn(i) for i in x["idxs"]] for x in sessions}

    def score(x):
        ts = turns[x["id"]]
        return (any(t and t["interrupt"] for t in ts) and any(t and t["decision"] for t in ts),
                sum(1 for t in ts if t and t["context"] is not None) >= 2, len(x["idxs"]) >= 2, -sessions.index(x))
    S = max(sessions[:200], key=score)
    ts = turns[S["id"]]
    ids = [pd.summary(i)["id"] for i in S["idxs"]]

    def open_session(sid):
        p.eval(f"location.hash = {json.dumps(frag(session=sid)[1:])}")
        return p.wait("document.documentElement.getAttribute('data-view') === 'session' && "
                      "document.documentElement.getAttribute('data-session') === 'ready' && "
                      f"document.getElementById('sv-name').textContent === {json.dumps('Session ' + clip(vis(sid), 300))}", slow)
    ok = open_session(S["id"])
    r.check(f"#session=<id> opens the session view ({len(ids)} turns)", bool(ok), str(p.eval("document.documentElement.getAttribute('data-session')")))
    got = json.loads(p.eval(JS_TURNS))
    r.check("the turns are the session's traces in start order", [g["trace"] for g in got] == ids,
            f"{[g['trace'][:8] for g in got]} vs {[x[:8] for x in ids]}")
    labels = [("Turn " + str(t["number"])) if t and t["number"] is not None else f"Turn {j + 1}" for j, t in enumerate(ts)]
    r.check("each turn is labelled with its turn number", [g["label"] for g in got] == labels, f"{[g['label'] for g in got]}")
    problems = []
    for j, (t, g) in enumerate(zip(ts, got)):
        steps = {c.split(" ")[0]: (who, text) for c, who, text in g["steps"]}
        if t is None:
            if "note" not in steps:
                problems.append(f"turn {j + 1}: no note for a turn without data")
            continue
        if t["decision"]:
            d = steps.get("decision")
            if not d or clip(vis(t["decision"]["decision"]), 60) not in d[1]:
                problems.append(f"turn {j + 1}: decision {t['decision']['decision']!r} not shown: {d}")
        elif "decision" in steps:
            problems.append(f"turn {j + 1}: a decision shown that the data does not have")
        user = t["input"] is not None and not (t["exchange"] == "resume" and t["decision"])
        if user != ("user" in steps) or (user and not steps["user"][1].startswith(vis_multi(t["input"])[:100])):
            problems.append(f"turn {j + 1}: user input {'missing' if user else 'unexpected'} or different: {steps.get('user', ('', ''))[1][:60]!r}")
        if t["interrupt"]:
            a = steps.get("approval")
            m = t["interrupt"]["message"]
            if not a or (m is not None and clip(vis(m), 2000) not in a[1]):
                problems.append(f"turn {j + 1}: the agent's request for a decision is not shown: {a}")
        else:
            a = steps.get("agent")
            plain = t["answer"] is not None and not re.match(r"\s*[\[{]", t["answer"])
            if not a or (plain and not a[1].startswith(vis_multi(t["answer"])[:100])):
                problems.append(f"turn {j + 1}: the answer is not shown: {(a or ('', ''))[1][:60]!r}")
        if g["tools"] != min(40, len(t["tools"])):
            problems.append(f"turn {j + 1}: {g['tools']} tool chips for {len(t['tools'])} tools")
    r.check("each turn shows what the user said, the tools called and the agent's answer", not problems, "; ".join(problems[:3]))
    n_ask = sum(1 for t in ts if t and t["interrupt"])
    n_dec = sum(1 for t in ts if t and t["decision"])
    shown_ask = sum(1 for g in got for c, _, _ in g["steps"] if c.startswith("approval"))
    shown_dec = sum(1 for g in got for c, _, _ in g["steps"] if c.startswith("decision"))
    r.check(f"approvals are shown: {n_ask} request(s) for a decision, {n_dec} decision(s)", shown_ask == n_ask and shown_dec == n_dec,
            f"shown {shown_ask} requests, {shown_dec} decisions")
    pts = sum(1 for t in ts if t and t["context"] is not None)
    circles = p.eval("document.querySelectorAll('#sv-chart svg circle').length")
    r.check(f"the context-growth chart has a point per turn with token counts ({pts})",
            circles == pts and (pts == 0 or p.eval("!!document.querySelector('#sv-chart svg[role=img]')")), f"{circles} points")
    facts = next((x for x in map(js_obj, js_arr(pd.data.get("sessions"))) if x is not None and x.get("id") == S["id"]), None)
    n_fb = sum(1 for f in js_arr((facts or {}).get("feedback")) if js_obj(f) is not None)
    title = p.eval("document.getElementById('sv-fbtitle').textContent")
    r.check(f"the feedback on the whole session is listed ({n_fb})", title == f"Feedback on the session ({n_fb})" and
            p.eval("document.querySelectorAll('#sv-fb .fb').length") == n_fb, repr(title))
    p.screenshot(os.path.join(screens, "session-view.png"))

    # a turn opens its trace, in the session's context; Escape goes back to the session
    j = 1 if len(ids) > 1 else 0
    p.click(f"#turn-{j} .open-trace")
    ok = p.wait("document.documentElement.getAttribute('data-view') === 'trace' && "
                "['ready', 'error'].includes(document.documentElement.getAttribute('data-trace'))", slow)
    hp = dict(urllib.parse.parse_qsl(p.eval("location.hash.slice(1)")))
    pos = p.eval("document.getElementById('pos').textContent")
    r.check("a turn's Open trace button opens its trace, in the session (back button and turn position)",
            bool(ok) and hp.get("trace") == ids[j] and hp.get("session") == S["id"] and
            p.eval("document.getElementById('back').textContent") == "← Session" and pos == f"turn {j + 1} of {len(ids)}", f"{hp} {pos!r}")
    p.key("Escape")
    ok = p.wait("document.documentElement.getAttribute('data-view') === 'session' && document.documentElement.getAttribute('data-session') === 'ready'", slow)
    r.check("Escape in a turn's trace returns to its session", bool(ok) and "trace=" not in p.eval("location.hash"))

    # a trace that belongs to a session links to it
    p.eval(f"location.hash = {json.dumps(frag(trace=ids[-1])[1:])}")
    p.wait("document.documentElement.getAttribute('data-view') === 'trace' && !!document.querySelector('#tv-meta .session-link')", slow)
    link = p.eval("(document.querySelector('#tv-meta .session-link') || {}).textContent || null")
    p.click("#tv-meta .session-link")
    ok = p.wait("document.documentElement.getAttribute('data-view') === 'session' && "
                "document.documentElement.getAttribute('data-session') === 'ready'", slow)
    r.check("a trace of a session links to the session", link == clip(vis(S["id"]), 120) and bool(ok) and
            dict(urllib.parse.parse_qsl(p.eval("location.hash.slice(1)"))).get("session") == S["id"], repr(link))

    # reviewing the whole session: u and f, exported with the session's id on its first trace
    before = set(os.listdir(downloads))
    p.eval("document.getElementById('sv-back').focus()")
    p.key("u")
    p.key("f")
    time.sleep(0.4)
    pressed = p.eval("[document.getElementById('sv-up').getAttribute('aria-pressed'), document.getElementById('sv-flag').getAttribute('aria-pressed')]")
    p.click("#export")
    lines, text = newest_export(downloads, before)
    line = next((x for x in lines if "sessionId" in x), {})
    keys = ["traceId", "spanId", "sessionId", "rating", "flagged", "correction", "comment", "author", "source", "time"]
    r.check("u and f review the whole session; the export's line carries sessionId, on the session's first trace",
            pressed == ["true", "true"] and list(line) == keys and line["sessionId"] == S["id"] and line["traceId"] == S["anchor"] and
            line["spanId"] is None and line["rating"] == "up" and line["flagged"] is True and text.endswith("\n") and
            sum(1 for x in lines if "sessionId" in x) == 1, f"{pressed} {json.dumps(line)[:300]}")

    # hostile session ids and turn texts stay text
    hostile = []
    for x in sessions:
        blob = json.dumps([x["id"], turns[x["id"]]], ensure_ascii=False).lower()
        if any((h if h != "\x00" else "\\u0000") in blob for h in HOSTILE):
            hostile.append(x)
    if hostile:
        wrong = []
        for x in hostile[:3]:
            if not open_session(x["id"]):
                wrong.append(f"session {clip(vis(x['id']), 40)!r} did not open as text")
            p.eval("document.querySelectorAll('#sv-turns .more').forEach(b => b.click())")
            p.eval("document.querySelectorAll('#sv-turns details').forEach(d => d.open = true)")
        p.pump(0.3)
        dom = json.loads(p.eval(JS_DOM_SAFETY))
        p.screenshot(os.path.join(screens, "session-hostile.png"))
        r.check(f"hostile session ids and turn texts ({len(hostile)} sessions) are shown as text, nothing injected or run",
                not wrong and dom["img"] == 0 and dom["scripts"] == 2 and dom["links"] == 0 and dom["handlers"] == 0 and
                dom["pwned"] == "undefined" and not p.dialogs and not dom["raw"], "; ".join(wrong[:2]) + " " + json.dumps({k: dom[k] for k in ("img", "scripts", "links", "handlers", "pwned", "raw")}))
    else:
        print("     (no hostile strings in the sessions: their injection check not run)")

    # a session id not in the file
    p.eval(f"location.hash = {json.dumps(frag(session='no such session <b>x</b>')[1:])}")
    p.wait("document.documentElement.getAttribute('data-view') === 'sessions'", 5)
    r.check("#session=<id not in the file> says so over the sessions", "<b>x</b> is not in this file" in p.eval("document.getElementById('snotice').textContent"))


def run_page(args):
    """python3 check.py --page FILE.html [--screens DIR] [--measure]"""
    def opt(name):
        if name in args:
            i = args.index(name)
            if i + 1 >= len(args):
                raise SystemExit(f"{name} needs a value")
            return args[i + 1]
        return None
    path = opt("--page")
    if not path or not os.path.isfile(path):
        print(f"FAIL the page file exists ({path!r})")
        print("0 passed, 1 failed")
        return 2
    screens = opt("--screens") or os.path.dirname(os.path.abspath(path))
    measure = "--measure" in args
    os.makedirs(screens, exist_ok=True)
    t_start = time.time()
    r = Results()
    template = open(TEMPLATE, encoding="utf-8").read()
    pd = PageData(path)
    size_mb = os.path.getsize(pd.path) / 1e6
    print(f"     page {pd.path}: {size_mb:.1f} MB, "
          f"{len(pd.traces)} traces, {'packed (' + str(len(pd.blocks)) + ' span blocks)' if pd.data is not None and pd.blocks is not None else 'plain'}", flush=True)
    page_static_checks(r, pd, template)
    data = pd.data or {}
    traces = pd.traces
    n = len(traces)
    if pd.data is not None:
        bad, summary = contract_problems(pd)
        r.check("the data follows DATA-FORMAT.md (field types, ids, decimal times, span blocks decode)", not bad,
                f"{len(bad)} problems: " + "; ".join(bad[:4]) if bad else "")
        r.check("each trace summary agrees with its spans (spanCount, errorCount, status, start, duration)", not summary,
                f"{len(summary)} traces: " + "; ".join(summary[:3]) if summary else "")
    slow = 30 + 6 * size_mb  # seconds: generous for 100 MB pages on a busy machine

    # expectations, computed once
    hays = [pd.hay(i) for i in range(n)]
    hostile_traces = []
    for i in range(n):
        text = json.dumps([traces[i], pd.spans(i)], ensure_ascii=False).lower()  # NUL appears as \u0000
        found = [h for h in HOSTILE if (h if h != "\x00" else "\\u0000") in text]
        if found:
            hostile_traces.append((i, found))
    hostile_title = pd.hostile(js_str(data.get("title")))

    workdir = tempfile.mkdtemp(prefix="assay-check-")
    downloads = os.path.join(workdir, "downloads")
    os.makedirs(downloads)
    url = "file://" + urllib.parse.quote(pd.path)
    browser = None
    try:
        browser = Chromium(workdir)
        p = browser.page()
        bws = Session(browser.browser_ws)
        bws.call("Browser.setDownloadBehavior", behavior="allow", downloadPath=downloads, eventsEnabled=True)

        def state(attr="data-ready"):
            return p.eval(f"document.documentElement.getAttribute({json.dumps(attr)})")

        def load(fragment=""):
            p.navigate("about:blank", ready=False)
            p.call("Page.navigate", url=url + fragment)
            # ready, failed, or the script refused by the CSP (then it never gets ready: do not wait it out)
            return p.wait("document.documentElement.getAttribute('data-ready') || "
                          "((window.__csp || []).some(v => v.startsWith('script-src')) && 'csp-blocked')", slow)

        def trace_ready():
            p.wait("['ready', 'error'].includes(document.documentElement.getAttribute('data-trace'))", slow)
            return state("data-trace")

        def rowcount():
            return p.eval("document.getElementById('grid').getAttribute('aria-rowcount') - 1")

        def rows(k):
            return p.eval(f"[...document.querySelectorAll('#gbody .grow:not([hidden])')].map(e => [+e.getAttribute('aria-rowindex') - 2,"
                          f" e.querySelector('.n1').textContent, e.querySelector('.n2').textContent.slice(0, 8)])"
                          f".sort((a, b) => a[0] - b[0]).slice(0, {k}).map(x => x.slice(1))")

        def row_of(i):
            s = pd.summary(i)
            return ["(root span missing)" if s["root"] is None else clip(vis(s["root"]), 200), s["id"][:8]]

        def search(q, expected):
            if state("data-view") != "list":
                p.eval("location.hash = ''")
                p.wait("document.documentElement.getAttribute('data-view') === 'list'", 5)
            p.eval("{ const q = document.getElementById('q'); q.focus(); q.select() }")
            p.call("Input.insertText", text=q)
            p.wait(f"new URLSearchParams(location.hash.slice(1)).get('q') === {json.dumps(q)}", 5)
            got = p.wait(f"document.getElementById('searchstate').textContent === '' && "
                         f"(document.getElementById('grid').getAttribute('aria-rowcount') - 1) === {expected}", slow)
            return bool(got), rowcount(), p.eval("document.getElementById('searchstate').textContent")

        def clear_search():
            p.eval("{ const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); q.blur() }")
            p.wait(f"(document.getElementById('grid').getAttribute('aria-rowcount') - 1) === {n}", 10)

        def browse():
            """Everything after the first load; returns early when the page does not come up."""
            # --- load and the list
            t0 = time.time()
            ready = load()
            load_s = time.time() - t0
            fatal = p.eval("(document.querySelector('.fatal') || {}).textContent || ''")
            csp_seen = p.eval("window.__csp") or []
            if not r.check("the page loads and becomes ready", ready == "true", f"data-ready={ready!r} {fatal} {csp_seen[:2]}".strip()):
                p.screenshot(os.path.join(screens, "traces-list.png"))
                return
            print(f"     (loaded in {load_s:.1f}s)", flush=True)
            r.check("the header shows the data title as text", p.eval("document.getElementById('title').textContent") ==
                    clip(vis(data.get("title")) or "Assay traces", 200), repr(p.eval("document.getElementById('title').textContent"))[:120])
            total_spans = sum(pd.summary(i)["spanCount"] for i in range(n))
            sub = p.eval("document.getElementById('subtitle').textContent")
            r.check("the subtitle counts traces and spans", sub.startswith(f"{nf(n)} traces · {nf(total_spans)} spans"), sub)
            count = p.eval("document.getElementById('count').textContent")
            r.check("the count line and the grid's row count give one row per trace",
                    count == f"{nf(n)} traces" and rowcount() == n, f"{count!r}, aria-rowcount-1={rowcount()}, expected {n}")
            dom_rows = p.eval("document.querySelectorAll('#gbody .grow:not([hidden])').length")
            r.check("the list renders the visible rows (all of them when few; virtualized when many)",
                    dom_rows == n if n <= 10 else 10 <= dom_rows < min(n, 200) + 1, f"{dom_rows} DOM rows for {n} traces")
            expect_order = pd.order("start", True)
            k = min(8, n)
            got_rows = rows(k)
            r.check("the default order is newest first (the first rows match the data)", got_rows == [row_of(i) for i in expect_order[:k]],
                    f"{got_rows[:2]} vs {[row_of(i) for i in expect_order[:2]]}")
            if n == 0:
                r.check("an empty file shows the empty state", p.eval("!document.getElementById('empty').hidden && document.getElementById('empty').textContent")
                        == "This file has no traces.")
            p.screenshot(os.path.join(screens, "traces-list.png"))

            # --- sorting by a column (duration: descending, then ascending)
            for desc in (True, False):
                p.click("#ghead [data-col='duration'] button")
                p.wait("location.hash.includes('sort=duration') && document.querySelector(\"#ghead [data-col='duration']\")"
                       f".getAttribute('aria-sort') === '{'descending' if desc else 'ascending'}'", 5)
                aria = p.eval("document.querySelector(\"#ghead [data-col='duration']\").getAttribute('aria-sort')")
                want = [row_of(i) for i in pd.order("duration", desc)[:k]]
                got_rows = rows(k)
                r.check(f"clicking the Duration header sorts {'longest' if desc else 'shortest'} first",
                        aria == ("descending" if desc else "ascending") and got_rows == want and rowcount() == n,
                        f"aria-sort={aria}, hash={p.eval('location.hash')}, first rows {got_rows[:2]} vs {want[:2]}")
            p.eval("location.hash = ''")
            p.wait("!location.hash.includes('sort=')", 5)

            # --- search: a word from a span name, a word from a span input, and a word no trace contains
            def candidates(field):
                seen = []
                for i in range(min(n, 200)):
                    for sp in pd.spans(i):
                        sp = js_obj(sp) or {}
                        v = sp.get(field)
                        if not isinstance(v, str):
                            continue
                        for w in re.findall(r"[A-Za-z][A-Za-z0-9]{3,23}", v[:4000]):
                            w = w.lower()
                            if w not in seen:
                                seen.append(w)
                            if len(seen) >= 40:
                                return seen
                return seen
            for field in ("name", "input"):
                best = None
                for w in candidates(field):
                    c = sum(1 for h in hays if w in h)
                    if best is None and c > 0:
                        best = (w, c)
                    if 0 < c < n:
                        best = (w, c)
                        break
                if best is None:
                    print(f"     (no span {field} with a searchable word: search check for {field}s not run)")
                    continue
                w, c = best
                ok, got, st = search(w, c)
                r.check(f"searching {w!r} (a word from a span {field}) lists the {c} of {n} traces that contain it", ok,
                        f"shown {got}, searchstate {st!r}")
            nothing = "zq" + hashlib.sha256(pd.raw.encode() if pd.raw else b"").hexdigest()[:10] + "xq"
            ok, got, st = search(nothing, 0)
            empty = p.eval("!document.getElementById('empty').hidden && document.getElementById('empty').textContent")
            r.check("a search nothing matches empties the list and says so", ok and empty == ("No trace matches these filters." if n else "This file has no traces."),
                    f"shown {got}, empty state {empty!r}")
            r.check("search writes the fragment", bool(p.wait(f"location.hash.includes('q={nothing}')", 5)), p.eval("location.hash"))
            clear_search()

            # --- #trace=<id> of the first trace, on a fresh load
            details = lambda: json.loads(p.eval(JS_DETAILS))
            if n:
                first = pd.summary(0)
                spans0 = pd.spans(0)
                n_rows, sel, by_id0 = tree_model(spans0)
                ready = load("#trace=" + urllib.parse.quote(first["id"], safe=""))
                st = trace_ready()
                r.check("#trace=<first trace> opens the trace view", ready == "true" and st == "ready" and state("data-view") == "trace",
                        f"data-ready={ready} data-trace={st} data-view={state('data-view')}")
                r.check("the trace view names the trace", p.eval("document.getElementById('tv-name').textContent") ==
                        ("(root span missing)" if first["root"] is None else clip(vis(first["root"]), 300)))
                wt = p.eval("document.getElementById('wtitle').textContent")
                shown = p.eval("document.querySelectorAll('#tree .wrow:not([hidden])').length")
                height = p.eval("document.getElementById('tsizer').style.height")
                r.check(f"the span tree has one row per span ({n_rows})", wt == f"Spans ({nf(n_rows)})" and height == f"{n_rows * 28}px" and
                        (shown == n_rows if n_rows <= 10 else 10 <= shown <= n_rows),
                        f"label {wt!r}, sizer {height}, {shown} rows rendered")
                if n_rows > 10:
                    p.eval("{ const t = document.getElementById('tree'); t.scrollTop = t.scrollHeight }")
                    time.sleep(0.3)
                    last = p.eval("Math.max(-1, ...[...document.querySelectorAll('#tree .wrow:not([hidden])')].map(e => +e.id.slice(3)))")
                    r.check("scrolling the virtualized tree renders its last row", last == n_rows - 1, str(last))
                    p.eval("document.getElementById('tree').scrollTop = 0")
                n_err = sum(1 for sp in spans0 if (js_obj(sp) or {}).get("status") == "error")
                banner = p.eval("document.getElementById('errbanner').hidden ? '' : document.getElementById('errbanner').textContent")
                r.check("the error banner matches the failed spans", (banner.startswith(f"{n_err} span" if n_err > 1 else "1 span failed")
                                                                       if n_err else banner == ""), f"{n_err} failed, banner {banner[:80]!r}")
                dt = details()
                if sel >= 0:
                    name = js_str((js_obj(spans0[sel]) or {}).get("name"))
                    r.check("the details panel shows the first root span", dt["title"] == (clip(vis(name), 500) or "(unnamed)"),
                            f"{dt['title']!r} vs {clip(vis(name), 500)!r}")
                else:
                    r.check("the details panel says the trace has no spans", "This trace has no spans in the file." in p.eval(
                        "document.getElementById('details').textContent"))
                p.screenshot(os.path.join(screens, "trace-view.png"))

                # --- one span's normalized fields: the richest span of the first traces
                def richness(sp):
                    return (3 * bool(js_arr(sp.get("inputMessages")) or js_arr(sp.get("outputMessages"))) +
                            2 * (sp.get("toolArguments") is not None or sp.get("toolResult") is not None) +
                            (sp.get("input") is not None) + (sp.get("output") is not None) + bool(js_arr(sp.get("documents"))) +
                            (sp.get("model") is not None) + bool(js_arr(sp.get("events"))) + 1)
                pick, budget = None, 20000
                for i in range(n):
                    if pd.by_id.get(pd.summary(i)["id"].lower()) != i:
                        continue
                    sp_list = pd.spans(i)
                    _, _, ids = tree_model(sp_list)
                    for j, sp in enumerate(sp_list):
                        sp = js_obj(sp)
                        if sp is None or not HEX_RE.fullmatch(js_str(sp.get("spanId"))) or ids.get(js_str(sp.get("spanId")).lower()) != j:
                            continue
                        score = richness(sp)
                        if pick is None or score > pick[0]:
                            pick = (score, i, sp)
                    budget -= len(sp_list) + 1
                    if budget <= 0 or (pick and pick[0] >= 10):
                        break
                if pick:
                    _, ti, sp = pick
                    sid = js_str(sp["spanId"])
                    p.eval(f"location.hash = {json.dumps('trace=' + urllib.parse.quote(pd.summary(ti)['id'], safe='') + '&span=' + sid)}")
                    p.wait(f"(() => {{ const d = document.querySelector('#details dl.kv'); return document.documentElement.getAttribute('data-trace') === 'ready' &&"
                           f" d && [...d.querySelectorAll('dt')].some(dt => dt.textContent === 'Span ID' && dt.nextElementSibling.textContent === {json.dumps(clip(vis(sid), 2000))}) }})()", slow)
                    dt = details()
                    op = sp.get("operation") if sp.get("operation") in OPS else "other"
                    want_kv = {"Operation": op, "Span ID": clip(vis(sid), 2000)}
                    for label, key in (("Kind", "kind"), ("Provider", "provider"), ("Model", "model"), ("Tool", "toolName"), ("Error type", "errorType")):
                        v = js_str(sp.get(key)) if key == "kind" else js_str_or_null(sp.get(key))
                        if v:
                            want_kv[label] = clip(vis(v), 2000)
                    it, ot = sp.get("inputTokens"), sp.get("outputTokens")
                    if (js_num(it) or js_num(ot)) and all(x is None or isinstance(x, int) for x in (it, ot)):
                        want_kv["Tokens"] = (nf(it) if js_num(it) else "—") + " in · " + (nf(ot) if js_num(ot) else "—") + " out"
                    got_kv = {k: dt["kv"].get(k) for k in want_kv}
                    r.check(f"opening span {sid} shows its name and normalized fields ({', '.join(want_kv)})",
                            dt["title"] == (clip(vis(js_str(sp.get("name"))), 500) or "(unnamed)") and got_kv == want_kv,
                            "" if got_kv == want_kv else f"got {got_kv} want {want_kv}"[:400])
                    in_m, out_m = js_arr(sp.get("inputMessages")), js_arr(sp.get("outputMessages"))
                    want_secs = ["Details"]
                    if in_m or out_m:
                        want_secs.append("Conversation")
                    if js_str_or_null(sp.get("toolArguments")) is not None or js_str_or_null(sp.get("toolResult")) is not None:
                        want_secs.append("Tool call")
                    for label, key in (("Input", "input"), ("Output", "output")):
                        if sp.get(key) is not None:
                            want_secs.append(label)
                    docs = [x for x in js_arr(sp.get("documents")) if js_obj(x) is not None]
                    if docs:
                        want_secs.append("Retrieved documents")
                    events = [x for x in js_arr(sp.get("events")) if js_obj(x) is not None]
                    if events:
                        want_secs.append("Events")
                    want_secs.append("Attributes")
                    got_secs = [s[0] for s in dt["secs"]]
                    r.check("the span's sections are shown: " + ", ".join(want_secs), all(s in got_secs for s in want_secs), str(got_secs))
                    roles = [clip(vis((js_obj(m) or {}).get("role")), 40) or "(no role)" for m in in_m + out_m]
                    attrs = next((s[2] for s in dt["secs"] if s[0] == "Attributes"), -1)
                    r.check(f"its conversation ({len(roles)} messages), documents ({len(docs)}), events ({len(events)}) and attributes are drawn",
                            dt["msgs"] == len(roles) and dt["roles"] == roles and dt["docs"] == len(docs) and
                            dt["events"] == min(500, len(events)) and attrs == min(400, len(js_arr(sp.get("attributes")))),
                            json.dumps({k: dt[k] for k in ("msgs", "docs", "events")}) + f" attributes {attrs} of "
                            f"{len(js_arr(sp.get('attributes')))}, roles {dt['roles'][:4]}")
                    for label, key in (("Input", "input"), ("Output", "output")):
                        v = sp.get(key)
                        if v is None:
                            continue
                        block = next((s[1] for s in dt["secs"] if s[0] == label), None)
                        v = js_str(v)
                        is_json = False
                        if len(v) <= 400000 and re.match(r"\s*[\[{]", v):
                            try:
                                json.loads(v)
                                is_json = True
                            except ValueError:
                                pass
                        if is_json:
                            ok = block is not None and block.lstrip()[:1] in ("{", "[")
                        else:
                            ok = block is not None and block.startswith(vis_multi(v)[:200])
                        r.check(f"its {label.lower()} is shown{' (pretty-printed JSON)' if is_json else ''}", ok, repr((block or "")[:100]))
                else:
                    print("     (no span with a selectable id: span details check not run)")

                # --- hostile strings in the data stay text
                if hostile_traces or hostile_title:
                    kinds = sorted({h for _, hs in hostile_traces for h in hs} | set(hostile_title))
                    print(f"     ({len(hostile_traces)} traces carry hostile strings: {', '.join(repr(x) for x in kinds)})", flush=True)
                    exact = []
                    for i, _ in hostile_traces[:3]:
                        s = pd.summary(i)
                        if pd.by_id.get(s["id"].lower()) != i:
                            continue
                        # its row in the list (found by its id)
                        search(s["id"], sum(1 for h in hays if s["id"].lower() in h))
                        got_rows = rows(50)
                        if row_of(i) not in got_rows:
                            exact.append(f"list row of {s['id'][:8]}: {got_rows[:1]}")
                        clear_search()
                        p.eval(f"location.hash = {json.dumps('trace=' + urllib.parse.quote(s['id'], safe=''))}")
                        trace_ready()
                        want = "(root span missing)" if s["root"] is None else clip(vis(s["root"]), 300)
                        if p.eval("document.getElementById('tv-name').textContent") != want:
                            exact.append(f"trace name of {s['id'][:8]}")
                        _, _, ids = tree_model(pd.spans(i))
                        for j, sp in enumerate(pd.spans(i)[:60]):
                            sp = js_obj(sp)
                            sid = js_str((sp or {}).get("spanId"))
                            if sp is None or not HEX_RE.fullmatch(sid) or ids.get(sid.lower()) != j:
                                continue
                            p.eval(f"location.hash = {json.dumps('trace=' + urllib.parse.quote(s['id'], safe='') + '&span=' + sid)}")
                            want = clip(vis(js_str(sp.get("name"))), 500) or "(unnamed)"
                            if not p.wait(f"(document.getElementById('d-title') || {{}}).textContent === {json.dumps(want)}", 5):
                                shown_title = p.eval("(document.getElementById('d-title') || {}).textContent")
                                exact.append(f"span title {sid}: {shown_title!r}"[:120])
                            p.eval("document.querySelectorAll('#details .more').forEach(b => b.click())")
                            p.eval("document.querySelectorAll('#details details').forEach(d => d.open = true)")
                    p.pump(0.3)
                    dom = json.loads(p.eval(JS_DOM_SAFETY))
                    r.check("hostile strings are shown exactly as text (list rows, trace names, span titles)", not exact, "; ".join(exact[:3]))
                    r.check("no element injected (no img/iframe/object, no extra script, no element with a URL attribute)",
                            dom["img"] == 0 and dom["scripts"] == 2 and dom["links"] == 0, json.dumps({k: dom[k] for k in ("img", "scripts", "links")}))
                    r.check("no element carries an on* handler attribute", dom["handlers"] == 0, str(dom["handlers"]))
                    r.check("no payload ran: window.__pwned unset, no dialog, no prototype pollution",
                            dom["pwned"] == "undefined" and not p.dialogs and dom["polluted"] == "undefined", f"{dom['pwned']} {p.dialogs}")
                    r.check("no control or bidi character (U+202E, NUL, ...) reaches the page raw", not dom["raw"], str(dom["raw"]))
                    p.screenshot(os.path.join(screens, "trace-hostile.png"))
                else:
                    print("     (no hostile strings in the data: injection checks not run)")

                # --- a trace id not in the file
                missing = next(x for x in ("f" * 32, "e" * 32, "d" * 32) if x not in pd.by_id)
                p.eval(f"location.hash = 'trace={missing}'")
                p.wait("document.documentElement.getAttribute('data-view') === 'list'", 5)
                r.check("#trace=<id not in the file> says so over the list", "is not in this file" in p.eval("document.getElementById('notice').textContent"))

                # --- review and export: rate the first trace up and flag it, export JSON Lines
                p.eval(f"location.hash = {json.dumps('trace=' + urllib.parse.quote(first['id'], safe=''))}")
                trace_ready()
                p.eval("document.getElementById('tree').focus()")
                p.key("u")
                p.key("f")
                time.sleep(0.4)
                p.key("Escape")
                p.wait("document.documentElement.getAttribute('data-view') === 'list'", 5)
                p.click("#export")
                end, files = time.time() + 15, []
                while time.time() < end:
                    files = [f for f in os.listdir(downloads) if f.endswith(".jsonl")]
                    if files:
                        break
                    time.sleep(0.1)
                lines, text = [], ""
                if files:
                    time.sleep(0.3)
                    text = open(os.path.join(downloads, files[0]), encoding="utf-8").read()
                    lines = [json.loads(x) for x in text.splitlines()]
                keys = ["traceId", "spanId", "rating", "flagged", "correction", "comment", "author", "source", "time"]
                one = lines[0] if len(lines) == 1 else {}
                r.check("Export feedback downloads one JSON Lines review (u + f on the first trace)",
                        len(lines) == 1 and list(one) == keys and text.endswith("\n") and one["traceId"] == first["id"] and
                        one["spanId"] is None and one["rating"] == "up" and one["flagged"] is True and one["author"] == "reviewer" and
                        one["source"] == "human" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", str(one.get("time"))) is not None and
                        re.fullmatch(r"assay-feedback-[A-Za-z0-9._-]+\.jsonl", files[0]) is not None, f"{files} {lines[:2]}"[:300])
            else:
                print("     (no traces: trace view, span details, hostile-string and export checks not run)")
                p.eval("location.hash = 'trace=" + "f" * 32 + "'")
                p.wait("!document.getElementById('notice').hidden", 5)
                r.check("#trace=<id> on an empty file says the trace is not in this file", "is not in this file" in p.eval("document.getElementById('notice').textContent"))
                p.eval("location.hash = ''")
                p.screenshot(os.path.join(screens, "trace-view.png"))

            # --- sessions: the list, one session's conversation, its review
            session_checks(r, p, pd, load, screens, downloads, slow)

            # --- first paint
            if measure:
                paints = []
                for _ in range(3):
                    mark = len(p.console)
                    p.navigate("about:blank", ready=False)
                    p.navigate(url, timeout=slow)
                    p.wait("document.documentElement.getAttribute('data-ready') === 'true'", slow)
                    p.pump(0.2)
                    line = next((t for (kind, t) in p.console[mark:] if "assay:first-paint-ms=" in t), "")
                    m = re.search(r"first-paint-ms=(\d+)", line)
                    fcp = p.eval("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0")
                    paints.append((int(m.group(1)) if m else None, round(fcp), line))
                got = [x[0] for x in paints if x[0] is not None]
                r.check("three loads each report first paint", len(got) == 3, str([x[2] for x in paints])[:200])
                if got:
                    print(f"     first paint: median {statistics.median(got):.0f} ms of {got} "
                          f"(FCP {[x[1] for x in paints]}; {paints[0][2]})", flush=True)

        browse()

        # --- nothing went wrong anywhere
        p.pump(0.3)
        errors = [t for (kind, t) in p.console if kind in ("error", "assert")]
        r.check("no console errors or uncaught exceptions", not errors and not p.exceptions, str(errors[:3] + p.exceptions[:3])[:400])
        csp = p.eval("window.__csp") or []
        csp_logs = [x for x in p.log if "Content Security Policy" in (x[2] or "") or x[1] == "security"]
        csp_issues = [i for i in p.issues if "ContentSecurityPolicy" in i.get("code", "")]
        r.check("no CSP violations", not csp and not csp_logs and not csp_issues, str(csp[:3] + csp_logs[:3] + csp_issues[:1])[:300])
        browser_errors = [x for x in p.log if x[0] == "error"]
        r.check("no errors in the browser log", not browser_errors, str(browser_errors[:3])[:300])
        r.check("no JavaScript dialogs", not p.dialogs, str(p.dialogs))
    except NoBrowser as e:
        r.check("headless Chromium is available", False, str(e))
        print(f"{r.passed} passed, {r.failed} failed")
        print(f"error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a broken page must fail the run, not crash it
        r.check("the checks ran to the end", False, f"{type(e).__name__}: {e}"[:400])
    finally:
        if browser:
            browser.close()
        shutil.rmtree(workdir, ignore_errors=True)
    shots = [os.path.join(screens, f) for f in ("traces-list.png", "trace-view.png", "sessions-list.png", "session-view.png")
             if os.path.exists(os.path.join(screens, f)) and os.path.getmtime(os.path.join(screens, f)) >= t_start]
    print(f"     screenshots: {', '.join(shots) or 'none'}; {time.time() - t_start:.1f}s")
    print(f"{r.passed} passed, {r.failed} failed")
    return 0 if r.failed == 0 else 1


if __name__ == "__main__":
    if "--fix-csp" in sys.argv:
        fix_csp()
        sys.exit(0)
    if "--page" in sys.argv:
        sys.exit(run_page(sys.argv[1:]))
    try:
        sys.exit(run(sys.argv[1:]))
    except NoBrowser as e:
        print("FAIL headless Chromium is available  (" + str(e) + ")")
        print("0 passed, 1 failed")
        print("error: " + str(e), file=sys.stderr)
        sys.exit(2)
