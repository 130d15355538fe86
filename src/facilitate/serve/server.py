"""The gate in front of textual-serve: tokens, a cap per view, nothing else reachable.

Routes, all behind :meth:`ViewServer.gate`:

- ``/{view}/{token}/``: the page (and ``/{view}/{token}`` redirects to it);
- ``/{view}/{token}/ws``: the websocket that starts one process for the view;
- ``/{view}/{token}/static/{file}``: the files the page loads, from an allow-list;
- ``/download/{key}``: an export the view delivered (the path is fixed by textual's
  page); the key works once and only with the cookie of the view that made it.

Every other request, and every one with a wrong, old or over-long token, gets 403
before anything starts (a browser asking for a view's page is told, in a sentence,
to ask for the current link). The websocket also checks that a browser's
``Origin`` is the page's own host, and, once the view has its maximum of pages
open (:mod:`facilitate.serve.slots`), closes at once with the reason, which the
page shows, without starting a process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import WSMsgType, web
from textual_serve.download_manager import DownloadManager

from facilitate.serve.console import Listening, commands, on_signal
from facilitate.serve.lease import POLL_S, ServeClaim
from facilitate.serve.page import (
    NO_LONGER,
    font_size,
    notice_page,
    page_headers,
    render_page,
    safe_filename,
    static_files,
    wants_html,
)
from facilitate.serve.service import ViewAppService
from facilitate.serve.slots import Slots
from facilitate.serve.views import View

log = logging.getLogger("facilitate.serve")

GATED = ("index", "bare", "websocket", "static")
MAX_MESSAGE = 256 * 1024
SIZE_LIMITS = {"width": (10, 500), "height": (5, 300)}
COOKIE = "facilitate_{view}_{port}"  # per server: browsers share cookies across ports
PAGES = ("index", "bare")

# Why a page's websocket closed, as its page tells the person (at most 123 bytes each).
CLOSE_QUIT = 1000
CLOSE_STOPPED = 1001
CLOSE_RENEWED = 4001
CLOSE_FULL = 4002
QUIT_REASON = "This view was quit."
STOPPED_REASON = "The facilitator stopped serving the views."
RENEWED_REASON = "The links were renewed: ask the facilitator for the new one."

RENEWED_HERE = "typed here"
RENEWED_ELSEWHERE = "asked for from another terminal"

Announce = Callable[[Sequence[View], Listening, str], None]
"""Told the views (tokens included), where the server listens, and why the links were
renewed ("" when they are the first)."""


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
        self.ending: set[ViewAppService] = set()  # their page closed: being shut down
        self.sockets: dict[web.WebSocketResponse, View] = {}
        self.slots = Slots()
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
                if route in PAGES and wants_html(request.headers.get("Accept", "")):
                    body, headers = notice_page(NO_LONGER)
                    return web.Response(status=403, body=body, headers=headers)
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

    def cookie(self, view: View) -> str:
        """The cookie that proves which view a browser has open, on this server only."""
        return COOKIE.format(view=view.name, port=self.port)

    async def handle_index(self, request: web.Request) -> web.Response:
        view: View = request["view"]
        body, nonce = render_page(
            f"facilitate: {view.name}", font_size(request.query.get("fontsize"))
        )
        response = web.Response(body=body.encode("utf-8"), headers=page_headers(nonce))
        # Proves, when the browser then fetches /download/{key}, which view it has open.
        response.set_cookie(
            self.cookie(view),
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
        if not view.admits(request.cookies.get(self.cookie(view), "")):
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
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        refusal = await self.slots.take(view)
        if refusal:
            # Opened only to say why (the page shows it): no process is started.
            await websocket.prepare(request)
            await websocket.close(code=CLOSE_FULL, message=refusal.encode("utf-8"))
            return websocket
        number = view.pages
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
                "%s view opened: process %s; %d of %d open",
                view.name,
                service.pid,
                number,
                view.max_connections,
            )
            await self._messages(websocket, service, view)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await websocket.close()
            raise
        except Exception:
            log.exception("%s view failed", view.name)
        finally:
            self.sockets.pop(websocket, None)
            self.slots.page_closed(view)  # the page is gone: its place is free now
            try:
                if service is not None:
                    await self._end(service, view)
            finally:
                self.slots.process_ended(view)
        return websocket

    async def _end(self, service: ViewAppService, view: View) -> None:
        """End the process of a page that has closed, said once in the log."""
        self.ending.add(service)
        if service.pid is not None:
            log.info(
                "%s view closed: process %s; %d of %d open",
                view.name,
                service.pid,
                view.pages,
                view.max_connections,
            )
        code = await service.shutdown()
        self.services.discard(service)
        self.ending.discard(service)
        if code:  # 0 when it quit as asked
            log.warning("%s view: process %s ended with %s", view.name, service.pid, code)

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
                websocket.close(code=CLOSE_RENEWED, message=RENEWED_REASON.encode())
            )

    async def run(self, announce: Announce, claim: ServeClaim | None = None) -> None:
        """Serve until SIGINT, SIGTERM or SIGHUP (or ``q`` typed); ``n`` typed, or a request
        from ``facilitate serve --new-tokens`` through ``claim``, renews the links."""
        runner = web.AppRunner(
            self.make_app(), handle_signals=False, access_log=None, shutdown_timeout=2
        )
        await runner.setup()
        watcher: asyncio.Task[None] | None = None
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            bound = runner.addresses
            self.port = int(bound[0][1]) if bound else self.port
            listening = Listening(self.host, self.port, tuple(str(a[0]) for a in bound))
            loop = asyncio.get_running_loop()
            for name in ("SIGINT", "SIGTERM", "SIGHUP"):
                on_signal(loop, name, self.stopping.set)
            views = list(self.views.values())

            def renew(why: str) -> None:
                self.rotate()
                announce(views, listening, why)

            if claim is not None:
                claim.publish(self.host, self.port)  # before the links show: asks work at once
                watcher = loop.create_task(self._requests(claim, renew))
            announce(views, listening, "")
            with commands(loop, {"n": lambda: renew(RENEWED_HERE), "q": self.stopping.set}):
                await self.stopping.wait()
        finally:
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            await self._stop(runner)

    async def _requests(self, claim: ServeClaim, renew: Callable[[str], None]) -> None:
        """Keep the lease fresh and carry out renew requests from other terminals."""
        told = False
        while True:
            if claim.failed and not told:
                told = True
                log.warning(
                    "cannot write %s (%s): `facilitate serve --new-tokens` cannot reach this "
                    "serve; n and Enter here still renews the links",
                    claim.folder / "serve.lease",
                    claim.failed,
                )
            await asyncio.sleep(POLL_S)
            try:
                request = claim.tick()
                if request is not None:
                    renew(RENEWED_ELSEWHERE)
                    claim.answer(request)
            except Exception:  # never let a bad file stop the renewals
                log.exception("the serve lease")

    async def _stop(self, runner: web.AppRunner) -> None:
        if open_now := self.services - self.ending:  # (one already ending is not open)
            count = len(open_now)
            log.info("stopping: closing %d open view%s", count, "" if count == 1 else "s")
        # The pages first, so each says the serve stopped (not that its view was quit).
        await asyncio.gather(
            *(
                ws.close(code=CLOSE_STOPPED, message=STOPPED_REASON.encode())
                for ws in list(self.sockets)
            ),
            return_exceptions=True,
        )
        await asyncio.gather(*(s.shutdown() for s in list(self.services)), return_exceptions=True)
        await runner.cleanup()


def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
    """What the app's process calls when it exits: close the page's websocket."""

    async def close() -> None:
        await websocket.close(code=CLOSE_QUIT, message=QUIT_REASON.encode())

    return close
