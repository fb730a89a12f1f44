"""`make lab-screenshot`: JupyterLab, as `make lab` starts it, opened on notebook 03 in headless Chromium,
scrolled to its first stored chart and photographed (a check, not a test: it needs Chromium and a minute).

1. Lab starts on a free port with a random token; its configuration, data (the notebook trust database),
   settings and workspaces live in a temporary folder, so nothing of the user's Jupyter set-up is read or
   changed. The notebooks are trusted there, as `make lab` trusts them, and RARE_EARTHS_CHARTS=interactive
   is set as `make lab` sets it.
2. Debian's `chromium` runs headless with a temporary profile and is driven through the Chrome DevTools
   protocol (websocket-client, already in the lock: no browser download). It opens
   /lab/tree/notebooks/03-*.ipynb and scrolls the notebook down page by page (JupyterLab draws only the
   cells near the view) until a stored chart has been drawn, then scrolls that chart to the top.
3. The page is saved as a PNG (default reports/lab-03-charts.png, git-ignored) and the counts are
   printed: charts drawn as pictures, those loaded and in view at the moment of the screenshot, and,
   as the failure sign of an untrusted notebook, outputs that show altair's text
   (`alt.LayerChart(...)`) instead of the chart.

Exit 0 when at least one chart is drawn, loaded and in view on the screenshot and no chart shows as
text; 1 otherwise (the screenshot is still written, to look at); 2 when Chromium or JupyterLab cannot
be started.

    python benchmarks/lab_screenshot.py [--out reports/lab-03-charts.png] [--timeout 120] [--untrusted]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WIDTH, HEIGHT = 1400, 1000

# What the page holds, measured in the page: the notebook's cells, the charts drawn (JupyterLab draws a
# stored image/svg+xml output as a picture inside .jp-RenderedSVG, or as inline SVG/canvas when a chart is
# run in the session) and whether they have loaded, and outputs whose text is an altair object's repr.
PROBE = """(() => {
  const outputs = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')];
  const drawn = outputs.flatMap(o => [...o.querySelectorAll(
    '.jp-RenderedSVG img, .jp-RenderedSVG svg, .vega-embed svg, .vega-embed canvas')]);
  const loaded = drawn.filter(e => e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0));
  const asText = outputs.filter(o => /^alt\\.[A-Za-z]*Chart\\(/.test((o.innerText || '').trim()));
  const inView = loaded.filter(e => {
    const box = e.getBoundingClientRect();
    return box.width > 50 && box.height > 50 && box.top < window.innerHeight - 100 && box.bottom > 100;
  });
  return {cells: document.querySelectorAll('.jp-Notebook .jp-Cell').length,
          charts: drawn.length, loaded: loaded.length, in_view: inView.length, as_text: asText.length};
})()"""

SCROLL_DOWN = """(() => {
  const outer = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')
             || document.querySelector('.jp-NotebookPanel-notebook');
  if (!outer) return false;
  const before = outer.scrollTop;
  outer.scrollTop = before + outer.clientHeight * 0.8;
  return outer.scrollTop > before;
})()"""

SHOW_FIRST_CHART = """(() => {
  const chart = document.querySelector('.jp-Notebook .jp-RenderedSVG, .jp-Notebook .vega-embed');
  if (!chart) return false;
  const cell = chart.closest('.jp-Cell');
  (cell || chart).scrollIntoView({block: 'start'});
  return true;
})()"""


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str, step: float = 0.5):
    """Poll `condition()` until it returns something true; its value, or TimeoutError naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise TimeoutError(f"{what}: not within {timeout:.0f} s")


def _answers(url: str) -> bool:
    """True when an HTTP GET of `url` returns 200 (the server is up)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def jupyter_environment(home: Path) -> dict[str, str]:
    """The environment with every Jupyter folder in `home` and the charts interactive, as in make lab."""
    folders = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
    }
    environment = dict(os.environ, RARE_EARTHS_CHARTS="interactive", PYTHONUNBUFFERED="1")
    for variable, name in folders.items():
        (home / name).mkdir(parents=True, exist_ok=True)
        environment[variable] = str(home / name)
    news = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text('{"fetchNews": "false"}')  # no "get notified about Jupyter news?" toast over the notebook
    return environment


@contextmanager
def running(command: list[str], log: Path, **options):
    """Start `command` in its own process group, output to `log`; on leaving, end that group."""
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True, **options
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
                    process.wait()


def start_lab(stack: ExitStack, home: Path, timeout: float, trust: bool = True) -> str:
    """Trust the notebooks and start JupyterLab at the repository root; the notebook 03 URL with its token."""
    environment = jupyter_environment(home)
    notebooks = sorted(str(p) for p in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if trust:
        command = [str(BIN / "jupyter"), "trust", *notebooks]
        subprocess.run(command, env=environment, check=True, capture_output=True)
    port, token = free_port(), secrets.token_hex(16)
    command = [
        str(BIN / "jupyter"), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--IdentityProvider.token={token}", "--ServerApp.root_dir=.",
        "--LabApp.default_url=/lab/tree/notebooks", "--ServerApp.open_browser=False",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    lab = stack.enter_context(running(command, home / "lab.log", cwd=ROOT, env=environment))
    base = f"http://127.0.0.1:{port}"
    wait_for(
        lambda: lab.poll() is not None or _answers(f"{base}/api/status?token={token}"),
        timeout,
        "JupyterLab answering",
    )
    if lab.poll() is not None:
        raise RuntimeError("JupyterLab ended at start:\n" + (home / "lab.log").read_text()[-2000:])
    notebook = next((ROOT / "notebooks").glob("03-*.ipynb")).relative_to(ROOT).as_posix()
    return f"{base}/lab/tree/{notebook}?token={token}"


class DevTools:
    """The few Chrome DevTools protocol calls this check needs, over one page's websocket."""

    def __init__(self, websocket_url: str):
        import websocket  # websocket-client, a dependency of jupyter_server

        self.socket = websocket.create_connection(websocket_url, timeout=60, suppress_origin=True)
        self.last = 0

    def call(self, method: str, **params):
        """Send one command and return its result (events that arrive meanwhile are skipped)."""
        self.last += 1
        self.socket.send(json.dumps({"id": self.last, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.last:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")


def start_chromium(stack: ExitStack, home: Path, timeout: float) -> DevTools:
    """Headless Chromium with a temporary profile; a DevTools connection to its blank page."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise FileNotFoundError("no chromium on PATH (Debian: apt-get install chromium)")
    profile = home / "chromium"
    command = [
        browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
        f"--window-size={WIDTH},{HEIGHT}", "--remote-debugging-port=0",
        f"--user-data-dir={profile}", "about:blank",
    ]  # fmt: skip
    stack.enter_context(running(command, home / "chromium.log"))
    port_file = profile / "DevToolsActivePort"
    port = wait_for(lambda: port_file.exists() and port_file.read_text().split("\n")[0], timeout, "Chromium")
    targets = wait_for(
        lambda: [t for t in _json(f"http://127.0.0.1:{port}/json") if t.get("type") == "page"],
        timeout,
        "Chromium's page",
    )
    tools = DevTools(targets[0]["webSocketDebuggerUrl"])
    stack.callback(tools.socket.close)
    tools.call(
        "Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False
    )
    return tools


def _json(url: str):
    """The JSON at `url`, or [] while it cannot be had."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return json.load(response)
    except OSError:
        return []


def reach_first_chart(tools: DevTools, timeout: float) -> dict:
    """Wait for the notebook's cells, scroll down until a chart is drawn and loaded, then bring it into view
    (again until it stays there: JupyterLab re-measures the cells it had only estimated)."""
    wait_for(lambda: (tools.evaluate(PROBE) or {}).get("cells", 0) > 0, timeout, "the notebook's cells")
    time.sleep(2.0)  # the notebook settles (Lab restores its scroll position once it has opened)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and tools.evaluate(PROBE)["loaded"] == 0:
        if not tools.evaluate(SCROLL_DOWN):  # at the end: no chart to find
            break
        time.sleep(0.4)
    steady = 0
    while time.monotonic() < deadline and steady < 3 and tools.evaluate(PROBE)["loaded"] > 0:
        tools.evaluate(SHOW_FIRST_CHART)
        time.sleep(0.7)
        steady = steady + 1 if tools.evaluate(PROBE)["in_view"] > 0 else 0
    return tools.evaluate(PROBE)


def screenshot(out: Path, timeout: float, trust: bool = True) -> int:
    """Lab and Chromium up, notebook 03 opened and scrolled to its first chart, PNG written; the exit code."""
    with ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lab-screenshot-")))
        try:
            url = start_lab(stack, home, timeout, trust)
            tools = start_chromium(stack, home, timeout)
        except (OSError, RuntimeError, TimeoutError, subprocess.CalledProcessError) as error:
            print(f"lab-screenshot: could not start: {error}", file=sys.stderr)
            return 2
        tools.call("Page.enable")
        tools.call("Page.navigate", url=url)
        try:
            probe = reach_first_chart(tools, timeout)
        except TimeoutError as error:
            probe = {**(tools.evaluate(PROBE) or {}), "error": str(error)}
        png = tools.call("Page.captureScreenshot", format="png")["data"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(png))
    print(f"{out}: {json.dumps(probe)}")
    if probe.get("in_view", 0) == 0 or probe.get("as_text", 0) > 0:
        print("lab-screenshot: no chart drawn, or a chart shown as text (untrusted?)", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "lab-03-charts.png")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for each wait (default 120)")
    parser.add_argument(
        "--untrusted",
        action="store_true",
        help="skip the trust step (to see the check fail as a fresh clone would)",
    )
    arguments = parser.parse_args(argv)
    return screenshot(arguments.out.resolve(), arguments.timeout, trust=not arguments.untrusted)


if __name__ == "__main__":
    sys.exit(main())
