#!/usr/bin/env python3
"""Drive a real headless Chromium over the DevTools protocol, for the tests.

    cdp.py PAGE.html SCRIPT

Chromium is started with --remote-debugging-pipe: protocol messages are JSON
objects ended by a NUL byte, written to its descriptor 3 and read from its
descriptor 4, so no port is opened and nothing but the standard library is
needed.  SCRIPT has one command per line:

    key NAME            press a key (ArrowRight, Home, 1, ], ...)
    click SELECTOR      click the centre of the first element matching SELECTOR
    text SELECTOR       print the element's textContent on one line
    count SELECTOR      print how many elements match
    eval EXPRESSION     print the value of a JavaScript expression
    shot FILE.png       save a screenshot of the whole page
    size W H            set the window size (CSS pixels)

At the end it prints "requests N" (every network request the page made other
than the page itself), "errors N" (script errors and console errors), and
each error.  Every wait is bounded: the whole run stops after 60 seconds.
"""
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import time

DEADLINE = time.monotonic() + 60


class Browser:
    def __init__(self):
        exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not exe:
            sys.exit("cdp.py: no chromium on PATH")
        to_r, self.to_w = os.pipe()      # we write commands, chromium reads fd 3
        self.from_r, from_w = os.pipe()  # chromium writes fd 4, we read
        self.home = os.path.join(os.environ.get("TMPDIR", "/tmp"), "cdp-%d" % os.getpid())
        args = [exe, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--disable-component-update",
                "--user-data-dir=" + self.home, "about:blank"]

        def fds():  # in the child: the pipe ends to 3 and 4, by way of numbers above both
            a = fcntl.fcntl(to_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.proc = subprocess.Popen(args, close_fds=False, preexec_fn=fds,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", wait=False)
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.home, ignore_errors=True)

    def read_message(self):
        while b"\0" not in self.buf:
            left = DEADLINE - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer within 60 s")
            r, _, _ = select.select([self.from_r], [], [], left)
            if not r:
                continue
            chunk = os.read(self.from_r, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, wait=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        if not wait:
            return None
        while True:
            m = self.read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method):
        for i, m in enumerate(self.events):
            if m.get("method") == method:
                return self.events.pop(i)
        while True:
            m = self.read_message()
            if m.get("method") == method:
                return m
            self.events.append(m)


def main():
    page, script = os.path.abspath(sys.argv[1]), sys.argv[2]
    b = Browser()
    status = 0
    try:
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            b.send(domain + ".enable", session=s)
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=s)
        b.send("Page.navigate", {"url": "file://" + page}, session=s)
        b.wait_event("Page.loadEventFired")

        def evaluate(expr):
            r = b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=s)
            if "exceptionDetails" in r:
                raise RuntimeError("eval %s: %s" % (expr, r["exceptionDetails"].get("text")))
            return r["result"].get("value")

        # the page inflates its data after the load event: wait until it is built (bounded)
        while evaluate("document.documentElement.getAttribute('data-ready')") is None:
            if time.monotonic() > DEADLINE:
                raise TimeoutError("the page was not built within 60 s")
            time.sleep(0.02)
        print("built in %.0f ms" % evaluate("performance.now()"), file=sys.stderr)

        with open(script) as f:
            lines = [ln.rstrip("\n") for ln in f if ln.strip() and not ln.startswith("#")]
        for line in lines:
            cmd, _, arg = line.partition(" ")
            if cmd == "key":
                codes = {"ArrowRight": 39, "ArrowLeft": 37, "ArrowDown": 40, "ArrowUp": 38,
                         "Home": 36, "End": 35, "Enter": 13, "PageDown": 34, "PageUp": 33}
                code = codes.get(arg, ord(arg.upper()) if len(arg) == 1 else 0)
                ev = {"key": arg, "windowsVirtualKeyCode": code, "code": arg}
                if len(arg) == 1:
                    ev["text"] = arg
                b.send("Input.dispatchKeyEvent", dict(ev, type="keyDown"), session=s)
                b.send("Input.dispatchKeyEvent", dict(ev, type="keyUp"), session=s)
            elif cmd == "click":
                box = evaluate("(function(){var r=document.querySelector(%s).getBoundingClientRect();"
                               "return [r.left+r.width/2, r.top+r.height/2];})()" % json.dumps(arg))
                for kind in ("mousePressed", "mouseReleased"):
                    b.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                        "button": "left", "clickCount": 1}, session=s)
            elif cmd == "text":
                v = evaluate("(function(){var n=document.querySelector(%s);return n?n.textContent:'<none>';})()"
                             % json.dumps(arg))
                print(" ".join(v.split()))
            elif cmd == "count":
                print(evaluate("document.querySelectorAll(%s).length" % json.dumps(arg)))
            elif cmd == "eval":
                print(evaluate(arg))
            elif cmd == "size":
                w, h = arg.split()
                b.send("Emulation.setDeviceMetricsOverride",
                       {"width": int(w), "height": int(h), "deviceScaleFactor": 1, "mobile": False}, session=s)
            elif cmd == "shot":
                png = b.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                             session=s)["data"]
                with open(arg, "wb") as f:
                    f.write(base64.b64decode(png))
            else:
                raise SystemExit("cdp.py: unknown command " + cmd)
        # what happened meanwhile: requests beyond the page itself, errors
        evaluate("1")
        requests = [m["params"]["request"]["url"] for m in b.events
                    if m.get("method") == "Network.requestWillBeSent"
                    and m["params"]["request"]["url"] != "file://" + page]
        errors = [m["params"]["exceptionDetails"].get("exception", {}).get("description")
                  or m["params"]["exceptionDetails"].get("text")
                  for m in b.events if m.get("method") == "Runtime.exceptionThrown"]
        errors += [m["params"]["entry"]["text"] for m in b.events
                   if m.get("method") == "Log.entryAdded" and m["params"]["entry"]["level"] == "error"]
        errors += [" ".join(str(a.get("value", a.get("description", ""))) for a in m["params"]["args"])
                   for m in b.events
                   if m.get("method") == "Runtime.consoleAPICalled" and m["params"]["type"] == "error"]
        print("requests %d" % len(requests))
        for r in requests:
            print("  request " + r)
        print("errors %d" % len(errors))
        for e in errors:
            print("  error " + str(e).replace("\n", " "))
    except Exception as e:  # report and fail, never hang
        print("cdp.py: %s" % e, file=sys.stderr)
        status = 1
    finally:
        b.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
