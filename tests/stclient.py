"""A light visitor that speaks Streamlit's own websocket protocol (/_stcore/stream, the
BackMsg / ForwardMsg protobufs that ship in the streamlit package), so that dozens of
simulated visitors cost the client almost nothing. Used by bench/bench_class.py and the
bounded concurrency test.

A visitor first loads /_stcore/health as a browser loads the page, keeping the cookies it
gets (the XSRF token; behind the proxy, the one naming its process) for its websocket and its
uploads. It opens a page (a rerun_script BackMsg with its page_script_hash), learns the
widgets the server drew (their ids, labels and fragments, from the deltas), and changes a
widget's value the way the browser does (a rerun_script carrying the state of every widget
it has set on this page, as the browser sends all of its widgets' states, and the fragment
id when the widget lives in a fragment: typing a word on Explore reruns only its
fragment, in Chromium as here), timing each run to the server's script_finished message.
"""
from __future__ import annotations

import asyncio
import copy
import http.cookiejar
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class Widget:
    id: str
    kind: str
    fragment_id: str


@dataclass
class Run:
    """One script run as the server reported it."""

    seconds: float
    status: int
    exceptions: list[str]
    errors: list[str]
    texts: list[str]

    @property
    def ok(self) -> bool:
        return self.status in FINISHED and not self.exceptions


@dataclass
class Visitor:
    """One simulated browser tab on `base` (http://127.0.0.1:PORT)."""

    base: str
    pages: dict[str, str] = field(default_factory=dict)       # url path -> page_script_hash
    widgets: dict[str, Widget] = field(default_factory=dict)  # label -> widget
    states: dict[str, object] = field(default_factory=dict)   # widget id -> WidgetState sent
    page_hash: str = ""
    query: str = ""
    session_id: str = ""

    async def __aenter__(self) -> "Visitor":
        # as a browser loads the page first: the cookies it gets (the XSRF token, and behind
        # the proxy the one naming this visitor's process) go with the websocket and uploads
        self.cookies = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        await asyncio.to_thread(lambda: self.http.open(self.base + "/_stcore/health", timeout=60).read())
        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        self.socket = await websockets.connect(url, subprotocols=["streamlit"], max_size=None,
                                               open_timeout=60, ping_interval=None,
                                               additional_headers={"Cookie": cookies} if cookies else None)
        return self

    def cookie(self, name: str) -> str | None:
        """The value of a cookie this visitor holds (e.g. the proxy's lab_process)."""
        return next((c.value for c in self.cookies if c.name == name), None)

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def open(self, path: str = "", query: str = "") -> Run:
        """Run a page as a fresh navigation to /path?query."""
        if path and path not in self.pages:       # learn the pages from a first run
            await self._run()
        self.page_hash = self.pages.get(path, "") if path else ""
        self.query, self.widgets, self.states = query, {}, {}
        return await self._run()

    async def set(self, label: str, value) -> Run:
        """Give the widget labelled `label` a new value (str, bool, int or float), as typing
        and pressing Enter or clicking does; reruns its fragment if it lives in one."""
        widget = self.widgets[label]
        return await self._run(widget, value)

    async def _run(self, widget: Widget | None = None, value=None) -> Run:
        message = BackMsg()
        state = message.rerun_script
        state.query_string, state.page_script_hash = self.query, self.page_hash
        if widget is not None:
            entry = state.widget_states.widgets.add()
            entry.id = widget.id
            if isinstance(value, bool):
                entry.bool_value = value
            elif isinstance(value, int):
                entry.int_value = value
            elif isinstance(value, float):
                entry.double_value = value
            else:
                entry.string_value = str(value)
            self._remember(state)
        return await self._send(message, widget.fragment_id if widget else "")

    def _remember(self, state) -> None:
        """Keep the state just set and send every earlier one along with it."""
        entry = state.widget_states.widgets[-1]
        self.states[entry.id] = copy.copy(entry)
        del state.widget_states.widgets[:]
        state.widget_states.widgets.extend(self.states.values())

    async def _send(self, message: BackMsg, fragment_id: str = "") -> Run:
        if fragment_id:
            message.rerun_script.fragment_id = fragment_id
        start = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        exceptions, errors, texts = [], [], []
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await self.socket.recv())
            kind = reply.WhichOneof("type")
            if kind == "new_session":
                self.session_id = reply.new_session.initialize.session_id
            elif kind == "navigation":
                for page in reply.navigation.app_pages:
                    self.pages[page.url_pathname] = page.page_script_hash
                if not self.page_hash:
                    self.page_hash = reply.navigation.page_script_hash
            elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                self._read_element(reply.delta.new_element, reply.delta.fragment_id,
                                   exceptions, errors, texts)
            elif kind == "script_finished":
                if reply.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                return Run(time.perf_counter() - start, reply.script_finished, exceptions, errors, texts)

    async def upload(self, label: str, name: str, data: bytes) -> Run:
        """Upload `data` as file `name` through the file uploader labelled `label`, as the
        browser does: ask for an upload URL, PUT the file (with the XSRF cookie and
        header), then rerun with the uploader's new state."""
        widget = self.widgets[label]
        ask = BackMsg()
        ask.file_urls_request.request_id, ask.file_urls_request.session_id = "up", self.session_id
        ask.file_urls_request.file_names.append(name)
        await self.socket.send(ask.SerializeToString())
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await self.socket.recv())
            if reply.WhichOneof("type") == "file_urls_response":
                urls = reply.file_urls_response.file_urls[0]
                break
        await asyncio.to_thread(_put_file, self.http, self.cookies, self.base, urls.upload_url, name, data)
        message = BackMsg()
        state = message.rerun_script
        state.query_string, state.page_script_hash = self.query, self.page_hash
        entry = state.widget_states.widgets.add()
        entry.id = widget.id
        info = entry.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        self._remember(state)
        return await self._send(message, widget.fragment_id)

    def _read_element(self, element, fragment_id: str, exceptions, errors, texts) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            exceptions.append(f"{element.exception.type}: {element.exception.message}")
            return
        if kind == "alert" and element.alert.format == element.alert.ERROR:
            errors.append(element.alert.body)
        if kind in ("markdown", "heading", "alert"):
            texts.append(getattr(element, kind).body)
        body = getattr(element, kind, None)
        if body is not None and hasattr(body, "id") and hasattr(body, "label") and body.id:
            self.widgets[body.label] = Widget(body.id, kind, fragment_id)


def _put_file(opener, cookies, base: str, upload_url: str, name: str, data: bytes) -> None:
    """PUT one file to Streamlit's upload endpoint as multipart form data, with the visitor's
    cookies (the XSRF cookie echoed in the X-Xsrftoken header, and the proxy's)."""
    token = next((c.value for c in cookies if c.name == "_streamlit_xsrf"), "")
    boundary = "stclientboundary7d"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    url = upload_url if upload_url.startswith("http") else base + upload_url
    request = urllib.request.Request(url, data=body, method="PUT", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": token})
    opener.open(request, timeout=120).read()


def resident_mb(pid: int) -> float:
    """Resident memory of a process in MiB (VmRSS from /proc)."""
    return _memory_kb(f"/proc/{pid}/status", "VmRSS:") / 1024


def proportional_mb(pid: int) -> float:
    """Proportional memory of a process in MiB (Pss: each page shared with other processes,
    such as a memory-mapped table in the page cache, counted as its share): summed over
    processes it is what they take together."""
    return _memory_kb(f"/proc/{pid}/smaps_rollup", "Pss:") / 1024


def _memory_kb(path: str, field: str) -> int:
    for line in Path(path).read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in {path}")
