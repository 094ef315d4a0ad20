#!/usr/bin/env python3
"""Loads an HTML file in headless Chromium over the DevTools pipe (no extra packages) and
prints one JSON object: console errors and failed loads, and per width the document's scroll
width, the viewport width and the PNG sizes of a screenshot of the page and of an empty page of the same size (a
blank screenshot compresses to almost nothing).

usage: check_page.py CHROMIUM PAGE.html OUT_DIR
The page's own CSP forbids scripts; Runtime.evaluate runs in DevTools, outside that policy,
so measuring needs no script in the page.
"""
import base64, json, os, subprocess, sys, tempfile

chromium, page, out_dir = sys.argv[1:4]
r_cmd, w_cmd = os.pipe()   # we write commands -> chromium reads fd 3
r_ev, w_ev = os.pipe()     # chromium writes fd 4 -> we read
profile = tempfile.mkdtemp()


def child_fds():
    os.dup2(r_cmd, 3)
    os.dup2(w_ev, 4)


proc = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
     "--no-first-run", f"--user-data-dir={profile}", "about:blank"],
    pass_fds=(3, 4), preexec_fn=child_fds,
    stdout=subprocess.DEVNULL, stderr=open(os.path.join(out_dir, "chromium.log"), "wb"))
os.close(r_cmd); os.close(w_ev)
out = os.fdopen(w_cmd, "wb", buffering=0)
inp = os.fdopen(r_ev, "rb", buffering=0)
buf = b""
seq = 0
errors = []


def read_message():
    global buf
    while b"\0" not in buf:
        chunk = inp.read(1 << 16)
        if not chunk:
            raise SystemExit("chromium closed the pipe")
        buf += chunk
    msg, buf = buf.split(b"\0", 1)
    return json.loads(msg)


def note(msg):
    m, p = msg.get("method"), msg.get("params", {})
    if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
        errors.append(str(p.get("args")))
    elif m == "Runtime.exceptionThrown":
        errors.append(str(p.get("exceptionDetails")))
    elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
        errors.append(p["entry"].get("text"))
    elif m == "Network.loadingFailed":
        errors.append("load failed: " + str(p.get("errorText")))


def send(method, session=None, wait_event=None, **params):
    global seq
    seq += 1
    msg = {"id": seq, "method": method, "params": params}
    if session:
        msg["sessionId"] = session
    out.write(json.dumps(msg).encode() + b"\0")
    result = None
    while True:
        reply = read_message()
        note(reply)
        if reply.get("id") == seq:
            if "error" in reply:
                raise SystemExit(f"{method}: {reply['error']}")
            result = reply.get("result", {})
            if wait_event is None:
                return result
        if wait_event and reply.get("method") == wait_event and result is not None:
            return result


target = send("Target.createTarget", url="about:blank")["targetId"]
s = send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
for domain in ("Page", "Runtime", "Log", "Network"):
    send(domain + ".enable", s)
url = "file://" + os.path.abspath(page)
report = {"errors": errors, "widths": {}}
for width, height in ((1280, 2000), (390, 844)):
    send("Emulation.setDeviceMetricsOverride", s, width=width, height=height,
         deviceScaleFactor=1, mobile=width < 600)
    send("Page.navigate", s, wait_event="Page.loadEventFired", url=url)
    ev = send("Runtime.evaluate", s, returnByValue=True,
              expression="[document.documentElement.scrollWidth, innerWidth, document.body.innerText.length]")
    scroll, inner, text = ev["result"]["value"]
    shot = send("Page.captureScreenshot", s, format="png")["data"]
    send("Page.navigate", s, wait_event="Page.loadEventFired", url="about:blank")
    empty = base64.b64decode(send("Page.captureScreenshot", s, format="png")["data"])
    path = os.path.join(out_dir, f"report-{width}.png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot))
    png = base64.b64decode(shot)
    report["widths"][str(width)] = {"scroll_width": scroll, "viewport": inner, "text": text,
                                    "png": path, "png_bytes": len(png),
                                    "blank_png_bytes": len(empty)}
send("Browser.close")
proc.wait(timeout=30)
print(json.dumps(report))
