"""The gate in front of textual-serve: tokens, a cap per view, nothing else reachable.

Routes, all behind :meth:`ViewServer.gate`:

- ``/{view}/{token}/``: the page (and ``/{view}/{token}`` redirects to it);
- ``/{view}/{token}/ws``: the websocket that starts one process for the view;
- ``/{view}/{token}/static/{file}``: the files the page loads, from an allow-list;
- ``/download/{key}``: an export the view delivered (the path is fixed by textual's
  page); the key works once and only with the cookie of the view that made it.

Every other request, and every one with a wrong, old or over-long token, gets 403
before anything starts. The websocket also checks that a browser's ``Origin`` is
the page's own host, and refuses (503) once the view has its maximum of
connections, before a process is started.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiohttp import WSMsgType, web
from textual_serve.download_manager import DownloadManager

from facilitate.serve.page import (
    font_size,
    page_headers,
    render_page,
    safe_filename,
    static_files,
)
from facilitate.serve.service import ViewAppService
from facilitate.serve.views import View

log = logging.getLogger("facilitate.serve")

GATED = ("index", "bare", "websocket", "static")
MAX_MESSAGE = 256 * 1024
SIZE_LIMITS = {"width": (10, 500), "height": (5, 300)}
COOKIE = "facilitate_{view}"

Announce = Callable[[Sequence[View], int, bool], None]
"""Told the views (tokens included), the port, and whether the links were just renewed."""


def _int_in(raw: object, low: int, high: int, default: int) -> int:
    if not isinstance(raw, str | int | float):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(high, value))


class ViewServer:
    def __init__(self, views: Sequence[View], host: str, port: int) -> None:
        self.views = {view.name: view for view in views}
        self.host = host
        self.port = port
        self.download_manager = DownloadManager()
        self.statics = static_files()
        self.services: set[ViewAppService] = set()
        self.sockets: dict[web.WebSocketResponse, View] = {}
        self.stopping = asyncio.Event()

    # -- the application --

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.gate])
        app.add_routes(
            [
                web.get("/{view}/{token}/", self.handle_index, name="index"),
                web.get("/{view}/{token}", self.handle_bare, name="bare"),
                web.get("/{view}/{token}/ws", self.handle_websocket, name="websocket"),
                web.get("/{view}/{token}/static/{path:.+}", self.handle_static, name="static"),
                web.get("/download/{key}", self.handle_download, name="download"),
            ]
        )
        return app

    @web.middleware
    async def gate(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        route = request.match_info.route.name  # None for no match and wrong methods
        if route in GATED:
            view = self.views.get(request.match_info["view"])
            if view is None or not view.admits(request.match_info["token"]):
                raise web.HTTPForbidden()
            request["view"] = view
        elif route != "download":
            raise web.HTTPForbidden()
        response = await handler(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    # -- pages and files --

    async def handle_index(self, request: web.Request) -> web.Response:
        view: View = request["view"]
        body, nonce = render_page(
            f"facilitate: {view.name}", font_size(request.query.get("fontsize"))
        )
        response = web.Response(body=body.encode("utf-8"), headers=page_headers(nonce))
        # Proves, when the browser then fetches /download/{key}, which view it has open.
        response.set_cookie(
            COOKIE.format(view=view.name),
            view.token,
            path="/download/",
            httponly=True,
            samesite="Strict",
            secure=request.secure,
        )
        return response

    async def handle_bare(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(
            request.path + "/" + (f"?{request.query_string}" if request.query_string else "")
        )

    async def handle_static(self, request: web.Request) -> web.StreamResponse:
        path = self.statics.get(request.match_info["path"])
        if path is None:
            raise web.HTTPForbidden()
        return web.FileResponse(path, headers={"Cache-Control": "private, max-age=3600"})

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        try:
            download = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPForbidden() from None
        service = download.app_service
        if not isinstance(service, ViewAppService):
            raise web.HTTPForbidden()
        view = service.view
        if not view.admits(request.cookies.get(COOKIE.format(view=view.name), "")):
            raise web.HTTPForbidden()
        response = web.StreamResponse()
        content_type = download.mime_type
        if download.encoding:
            content_type += f"; charset={download.encoding}"
        response.headers["Content-Type"] = content_type
        name = safe_filename(download.file_name)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["Cache-Control"] = "no-store"
        await response.prepare(request)
        async for chunk in self.download_manager.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    # -- one process per websocket --

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        view: View = request["view"]
        origin = request.headers.get("Origin")
        if origin is not None and origin.split("://", 1)[-1] != request.host:
            raise web.HTTPForbidden()  # another site's page, even with the token
        if view.connections >= view.max_connections:
            raise web.HTTPServiceUnavailable(text=f"the {view.name} view is full\n")
        view.connections += 1  # no await between the check and this
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        service: ViewAppService | None = None
        try:
            await websocket.prepare(request)
            self.sockets[websocket] = view
            service = ViewAppService(
                view,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=_closer(websocket),
                download_manager=self.download_manager,
            )
            self.services.add(service)
            width = _int_in(request.query.get("width"), *SIZE_LIMITS["width"], 80)
            height = _int_in(request.query.get("height"), *SIZE_LIMITS["height"], 24)
            await service.start(width, height)
            log.info(
                "%s view opened (process %s; %d of %d)",
                view.name,
                service.pid,
                view.connections,
                view.max_connections,
            )
            await self._messages(websocket, service, view)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await websocket.close()
            raise
        except web.HTTPException:
            raise
        except Exception:
            log.exception("%s view failed", view.name)
        finally:
            if service is not None:
                await service.shutdown()
                self.services.discard(service)
            self.sockets.pop(websocket, None)
            view.connections -= 1
        return websocket

    async def _messages(
        self, websocket: web.WebSocketResponse, service: ViewAppService, view: View
    ) -> None:
        """The browser's frames: keys (none for a read-only view), size, focus, pings."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, LookupError, TypeError):
                continue
            if kind == "stdin" and isinstance(data, str):
                if not view.read_only:
                    await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(
                    _int_in(data.get("width"), *SIZE_LIMITS["width"], 80),
                    _int_in(data.get("height"), *SIZE_LIMITS["height"], 24),
                )
            elif kind == "ping" and isinstance(data, str | int | float):
                await websocket.send_json(["pong", data])
            elif kind == "focus":
                await service.focus()
            elif kind == "blur":
                await service.blur()

    # -- running --

    def rotate(self) -> None:
        """New tokens for every view; whoever had the old links is shown out."""
        for view in self.views.values():
            view.rotate()
        for websocket in list(self.sockets):
            asyncio.get_running_loop().create_task(
                websocket.close(code=4001, message=b"the links were renewed")
            )

    async def run(self, announce: Announce) -> None:
        """Serve until SIGINT, SIGTERM or SIGHUP (or ``q`` typed); ``n`` typed, or SIGUSR1,
        renews the links."""
        runner = web.AppRunner(
            self.make_app(), handle_signals=False, access_log=None, shutdown_timeout=2
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            port = int(runner.addresses[0][1]) if runner.addresses else self.port
            loop = asyncio.get_running_loop()
            for name in ("SIGINT", "SIGTERM", "SIGHUP"):
                _on_signal(loop, name, self.stopping.set)
            views = list(self.views.values())
            announce(views, port, False)

            def renew() -> None:
                self.rotate()
                announce(views, port, True)

            _on_signal(loop, "SIGUSR1", renew)  # `facilitate serve --new-tokens` from elsewhere
            with _commands(loop, {"n": renew, "q": self.stopping.set}):
                await self.stopping.wait()
        finally:
            await self._stop(runner)

    async def _stop(self, runner: web.AppRunner) -> None:
        log.info("stopping: ending %d view process(es)", len(self.services))
        await asyncio.gather(*(s.shutdown() for s in list(self.services)), return_exceptions=True)
        for websocket in list(self.sockets):
            with contextlib.suppress(Exception):
                await websocket.close(code=1001, message=b"the server stopped")
        await runner.cleanup()


def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
    """What the app's process calls when it exits: close the page's websocket."""

    async def close() -> None:
        await websocket.close(code=1000, message=b"the view was quit")

    return close


@contextlib.contextmanager
def _commands(loop: asyncio.AbstractEventLoop, actions: dict[str, Callable[[], Any]]) -> Any:
    """Lines typed in the server's terminal (or piped to it) as one-letter commands.

    Not read from a terminal this process does not own (started with ``&``): reading
    it would stop the process.
    """
    fd = sys.stdin.fileno() if sys.stdin is not None else -1
    readable = fd >= 0
    with contextlib.suppress(OSError, AttributeError):  # no process groups on Windows
        if os.isatty(fd) and os.tcgetpgrp(fd) != os.getpgrp():
            readable = False
    if not readable:
        yield
        return
    pending = b""

    def read() -> None:
        nonlocal pending
        try:
            data = os.read(fd, 1024)
        except OSError:
            data = b""
        if not data:
            loop.remove_reader(fd)
            return
        pending += data
        *lines, pending = pending.split(b"\n")
        for line in lines:
            action = actions.get(line.decode("utf-8", "replace").strip().lower())
            if action is not None:
                action()

    try:
        loop.add_reader(fd, read)
    except (OSError, ValueError, NotImplementedError):
        yield
        return
    try:
        yield
    finally:
        loop.remove_reader(fd)


def _on_signal(loop: asyncio.AbstractEventLoop, name: str, action: Callable[[], Any]) -> None:
    """Run ``action`` on the signal where the platform has it and lets asyncio handle it
    (Windows has neither SIGHUP nor SIGUSR1, nor loop signal handlers: Ctrl-C there
    arrives as KeyboardInterrupt, and typing n renews the links)."""
    number = getattr(signal, name, None)
    if number is None:
        return
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(number, action)
