"""`copydesk serve` under load and `copydesk lsp` latency, against 127.0.0.1.

    python benchmarks/service.py [--requests 400] [--seconds 20] [--article PATH] [--edits 20]

1. HTTP: a `copydesk serve` process on a free port; N clients (1, 4, 8), each on its own
   keep-alive connection, POST /v1/check the median-size corpus article (or --article) until
   --requests requests in all or --seconds at that level; requests/s and p50/p99 latency.
2. LSP: a `copydesk lsp` session over stdio; --edits times, a burst of five keystrokes 30 ms
   apart; the time from the last keystroke to the diagnostics of its version (p50/p99/max).
3. The same check in process (no HTTP), min and median of 50, to separate the check's cost
   from the service's; and the server's CPU time per request (/proc) beside the wall times.
4. Start-up: the import time of the server stacks (`python -c 'import ...'` minus
   `python -c pass`, best of 5), beside the stdlib's http.server.
Everything is bounded in count and time; the machine is shared, so figures are one run's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "news"


def median_article() -> Path:
    files = sorted(CORPUS.rglob("*.txt"), key=lambda p: (p.stat().st_size, str(p)))
    if not files:
        sys.exit(f"no corpus at {CORPUS}: pass --article")
    return files[len(files) // 2]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def start_server() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "linter", "serve", "--port", "0", "--no-access-log"], cwd=ROOT,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"listening on http://([\d.]+):(\d+)", line)
        if m:
            return proc, m.group(1), int(m.group(2))
        if not line:
            break
    proc.kill()
    sys.exit("copydesk serve did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc): on a shared machine the
    server's CPU per request is steadier than wall-clock latency."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_process_ms(text: str, runs: int = 50) -> dict:
    """Min and median milliseconds, in this process and interleaved (so load hits both
    alike), of the check alone (profile.check) and of what /v1/check does around it short of
    the socket (JSON body parsed, article read, check, report built and encoded)."""
    from starlette.responses import JSONResponse

    from linter.profile import Profiles
    from linter.service import Service
    from linter.source import Source

    profiles = Profiles()
    profile = profiles.get("-")
    profile.warm()
    service = Service(profiles)
    body = json.dumps({"text": text, "format": "text"}).encode()
    check, handler = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        profile.check(Source("article", text), "text")
        t1 = time.perf_counter()
        _ = JSONResponse(service.do_check(json.loads(body))).body  # the handler's work: render the body
        t2 = time.perf_counter()
        check.append(t1 - t0)
        handler.append(t2 - t1)
    return {name: {"min": min(v) * 1000, "median": statistics.median(v) * 1000}
            for name, v in (("check", check), ("handler", handler))}


def load(host: str, port: int, body: bytes, clients: int, total: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    budget = [total]

    def take() -> bool:
        with lock:
            if budget[0] <= 0 or time.monotonic() > stop_at:
                return False
            budget[0] -= 1
            return True

    def client():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine = []
        while take():
            t0 = time.perf_counter()
            conn.request("POST", "/v1/check", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - t0)
            if resp.status != 200:
                errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"clients": clients, "requests": len(latencies), "errors": errors[0], "rps": len(latencies) / wall,
            "p50_ms": pct(latencies, 0.5) * 1000, "p99_ms": pct(latencies, 0.99) * 1000}


def lsp_latency(text: str, edits: int) -> list[float]:
    from tests.lsp.client import LspClient

    c = LspClient(cwd=ROOT)
    try:
        c.initialize(ROOT.as_uri())
        uri = (ROOT / "bench-draft.txt").as_uri()  # never written: the editor's unsaved text
        c.open(uri, text, language="plaintext")
        c.diagnostics(uri, version=1)
        out, version = [], 1
        for n in range(edits):
            for k in range(5):  # five keystrokes 30 ms apart, then a pause
                version += 1
                c.change(uri, text + " x" * (n * 5 + k + 1), version)
                last = time.perf_counter()
                time.sleep(0.03) if k < 4 else None
            at, _ = c.wait_for("textDocument/publishDiagnostics",
                               lambda p, v=version: p["uri"] == uri and p.get("version") == v, timeout=30)
            out.append(at - last)
        return out
    finally:
        c.close()


def import_cost(statement: str) -> float:
    def best(code: str) -> float:
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            runs.append(time.perf_counter() - t0)
        return min(runs)

    return best(statement) - best("pass")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=400, help="requests per concurrency level (default 400)")
    ap.add_argument("--seconds", type=float, default=20, help="at most this long per level (default 20)")
    ap.add_argument("--article", type=Path, help="article to send (default: the median-size corpus article)")
    ap.add_argument("--edits", type=int, default=20, help="typing bursts for the LSP latency (default 20)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    article = args.article or median_article()
    text = article.read_text(encoding="utf-8")
    body = json.dumps({"text": text, "format": "text"}).encode()
    print(f"# {platform.python_implementation()} {platform.python_version()}, article {article.name} "
          f"({len(text.encode())} bytes)")
    figures: dict = {"article": str(article.name), "bytes": len(text.encode())}

    proc, host, port = start_server()
    try:
        load(host, port, body, 1, 20, 10)  # warm the connection path
        figures["http"] = []
        for clients in (1, 4, 8):
            cpu0 = cpu_seconds(proc.pid)
            r = load(host, port, body, clients, args.requests, args.seconds)
            r["server_cpu_ms_per_request"] = (cpu_seconds(proc.pid) - cpu0) * 1000 / max(1, r["requests"])
            figures["http"].append(r)
            print(f"http  {clients} client(s): {r['requests']} requests, {r['rps']:.0f} req/s, "
                  f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, server CPU "
                  f"{r['server_cpu_ms_per_request']:.1f} ms/request, errors {r['errors']}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    figures["in_process_ms"] = ip = in_process_ms(text)
    print(f"in process, no socket (50 runs): check min {ip['check']['min']:.1f} ms, median {ip['check']['median']:.1f} ms; "
          f"/v1/check handler (JSON in, check, report out) min {ip['handler']['min']:.1f} ms, median {ip['handler']['median']:.1f} ms")

    lat = lsp_latency(text, args.edits)
    figures["lsp_ms"] = {"p50": pct(lat, 0.5) * 1000, "p99": pct(lat, 0.99) * 1000, "max": max(lat) * 1000,
                         "n": len(lat)}
    print(f"lsp   diagnostics after the last keystroke ({len(lat)} bursts, debounce 0.1 s): "
          f"p50 {figures['lsp_ms']['p50']:.0f} ms, p99 {figures['lsp_ms']['p99']:.0f} ms, max {figures['lsp_ms']['max']:.0f} ms")

    stacks = {
        "http.server (stdlib)": "import http.server",
        "starlette + uvicorn": "import starlette.applications, starlette.routing, starlette.responses, uvicorn",
        "pygls + lsprotocol": "import pygls.lsp.server, lsprotocol.types",
    }
    figures["imports_ms"] = {}
    for name, statement in stacks.items():
        cost = import_cost(statement) * 1000
        figures["imports_ms"][name] = cost
        print(f"import {name}: {cost:.0f} ms")
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
