"""A minimal LSP client over stdio: JSON-RPC with Content-Length framing, as an editor speaks it."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time


class LspClient:
    def __init__(self, *args: str, cwd=None):
        self.proc = subprocess.Popen([sys.executable, "-m", "linter", "lsp", *args], cwd=cwd, env=dict(os.environ),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._id = 0
        self.responses: dict[int, dict] = {}
        self.notifications: queue.Queue = queue.Queue()
        self.server_requests: list[dict] = []
        self._cv = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                key, _, value = line.partition(":")
                headers[key.lower()] = value.strip()
            body = json.loads(out.read(int(headers["content-length"])))
            if "id" in body and "method" in body:  # a request from the server: answer it
                self.server_requests.append(body)
                self._send({"jsonrpc": "2.0", "id": body["id"], "result": None})
            elif "id" in body:
                with self._cv:
                    self.responses[body["id"]] = body
                    self._cv.notify_all()
            else:
                self.notifications.put((time.perf_counter(), body))

    def _send(self, message: dict):
        data = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def request(self, method: str, params, timeout: float = 30):
        self._id += 1
        ident = self._id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        with self._cv:
            if not self._cv.wait_for(lambda: ident in self.responses, timeout):
                raise TimeoutError(f"no answer to {method}")
            reply = self.responses.pop(ident)
        if "error" in reply:
            raise AssertionError(f"{method} failed: {reply['error']}")
        return reply["result"]

    def notify(self, method: str, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(self, method: str, predicate=lambda p: True, timeout: float = 30):
        """(arrival time, params) of the next `method` notification that satisfies `predicate`."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {method}")
            try:
                at, msg = self.notifications.get(timeout=left)
            except queue.Empty:
                continue
            if msg.get("method") == method and predicate(msg["params"]):
                return at, msg["params"]

    def diagnostics(self, uri: str, version=None, timeout: float = 30):
        return self.wait_for("textDocument/publishDiagnostics",
                             lambda p: p["uri"] == uri and (version is None or p.get("version") == version), timeout)[1]

    def initialize(self, root_uri: str, encodings=None):
        caps = {"general": {"positionEncodings": encodings}} if encodings else {}
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": root_uri, "capabilities": caps})
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, language: str = "markdown", version: int = 1):
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": version,
                                                              "text": text}})

    def change(self, uri: str, text: str, version: int):
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def close(self) -> int:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            return self.proc.wait(timeout=10)
        finally:
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                try:
                    stream.close()
                except OSError:
                    pass
