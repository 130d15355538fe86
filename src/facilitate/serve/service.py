"""One browser connection's process: textual-serve's AppService, started without a shell.

textual-serve runs its command through a shell and, when stopped, asks the app to
quit and waits for ever. Here the view's argv is executed directly (nothing in it is
ever parsed by a shell), the child's environment names the view it serves, and
:meth:`ViewAppService.shutdown` always ends with the process reaped: a polite quit,
then SIGTERM, then SIGKILL, each given a few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from asyncio.subprocess import Process
from collections.abc import Awaitable, Callable

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from facilitate.serve import SERVE_VIEW_ENV
from facilitate.serve.views import View

QUIT_WAIT_S = 3.0
SIGNAL_WAIT_S = 2.0


class ViewAppService(AppService):
    def __init__(
        self,
        view: View,
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        download_manager: DownloadManager,
    ) -> None:
        super().__init__(
            " ".join(view.argv),  # only ever shown in logs: the argv is executed directly
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=download_manager,
        )
        self.view = view
        self._ending: asyncio.Future[int | None] | None = None

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment[SERVE_VIEW_ENV] = self.view.name
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.view.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            # Its own process group: Ctrl-C in the server's terminal reaches the server,
            # which then ends its children in order (and the kernel ends them if it dies).
            start_new_session=os.name == "posix",
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def shutdown(self) -> int | None:
        """Quit politely, then SIGTERM, then SIGKILL; always reaps the process. Its exit code.

        Called by the page's handler when the page closes and by the server when it stops,
        often both: the process is ended once, and every caller waits for that.
        """
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        return await asyncio.shield(self._ending)

    async def _end(self) -> int | None:
        process = self._process
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.stop(), QUIT_WAIT_S)
        if process is None:
            return None
        # Wait before signalling: a signal sent first makes the child watcher lose the
        # exit status of a process that had already ended.
        # SIGKILL does not exist on Windows, where SIGTERM already ends a process outright.
        for sig in (None, signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
            if sig is not None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(sig)
            try:
                await asyncio.wait_for(process.wait(), SIGNAL_WAIT_S)
                break
            except TimeoutError:
                continue
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        return process.returncode
