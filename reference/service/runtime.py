"""The service's hub runtime: the durable store, the systems port, the effect worker.

The worker is the service's interpreter of effects: it leases due rows of pending_effects,
performs each call through the systems port (or fires each timer), and feeds the answer back
through ``HubStore.apply``, which deletes the row in the same transaction. A process that dies
mid-call leaves a lease that expires; another worker performs the call again, which is safe
because every system dedupes on ids and the core ignores answers to calls it no longer awaits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from functools import partial
from typing import Any

import anyio
from sqlalchemy import select

from reference.domain.lifecycle import State
from reference.domain.model import Order
from reference.hub import HubConfig, Message, PlaceOrder, SystemCallFailed
from reference.service import correlation
from reference.service.persistence import effects
from reference.service.persistence import tables as t
from reference.service.persistence.codec import load_call, load_timer_message
from reference.service.persistence.database import Database
from reference.service.persistence.hubstore import Applied, Claim, HubStore
from reference.service.settings import Settings
from reference.service.shell import SystemsPort
from reference.service.timebase import core_time, wall

log = logging.getLogger("crossdock.service.worker")


async def in_thread(func: Any, *args: Any, **kwargs: Any) -> Any:
    return await anyio.to_thread.run_sync(partial(func, *args, **kwargs))


def check_call_id(order_id: str) -> str:
    """The id the core gives an order's ERP validation call (reference/hub/orders.py)."""
    return f"{order_id}:check_order:erp"


class HubRuntime:
    def __init__(
        self, settings: Settings, db: Database, systems: SystemsPort, config: HubConfig
    ) -> None:
        self.settings = settings
        self.db = db
        self.systems = systems
        self.config = config
        self._wakers: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self.store = HubStore(db, config, on_commit=self._wake)
        self._tasks: set[asyncio.Task[None]] = set()

    # -- waking the loops after a commit (called from worker threads) -----------------------
    def waker(self) -> asyncio.Event:
        event = asyncio.Event()
        self._wakers.append((asyncio.get_running_loop(), event))
        return event

    def _wake(self) -> None:
        for loop, event in self._wakers:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    # -- commands ------------------------------------------------------------------------------
    async def apply(self, message: Message) -> Applied:
        return await in_thread(self.store.apply, message)  # type: ignore[no-any-return]

    async def place(
        self, order: Order, order_id: str, correlation_id: str
    ) -> dict[str, Any] | None:
        """Place the order and see ERP validation through, within the order deadline.

        Returns the saga as stored; it is still ``received`` if ERP did not answer in time (the
        worker keeps retrying; a retry of the request picks the result up).
        """
        owner = f"{self.settings.instance_id}:{uuid.uuid4().hex[:8]}"
        claim = Claim(
            owner, self.settings.effect_lease, lambda call: call.operation == "check_order"
        )
        applied = await in_thread(
            self.store.apply, PlaceOrder(order, order_id, correlation_id), claim=claim
        )
        saga = applied.sagas.get(order_id)
        deadline = wall() + self.settings.order_deadline
        while saga is not None and saga["state"] == State.RECEIVED.value and wall() < deadline:
            row = await in_thread(
                effects.claim_call,
                self.db,
                check_call_id(order_id),
                owner,
                self.settings.effect_lease,
            )
            if row is not None:
                await self.perform(row, owner)
            else:
                await asyncio.sleep(0.02)  # the worker holds it (a retry timer, another process)
            saga = await in_thread(self.saga, order_id)
        return saga

    def saga(self, order_id: str) -> dict[str, Any] | None:
        with self.db.read() as conn:
            row = conn.execute(
                select(t.orders.c.saga).where(t.orders.c.order_id == order_id)
            ).first()
        return row.saga if row is not None else None

    # -- performing effects --------------------------------------------------------------------
    async def perform(self, row: effects.ClaimedEffect, owner: str) -> None:
        try:
            if row.kind == "call":
                call = load_call(row.payload)
                with correlation.bound(call.correlation_id):
                    message = await self._call(call)
                    await in_thread(self.store.apply, message, done_effect=row.id)
            else:
                await in_thread(
                    self.store.apply, load_timer_message(row.payload), done_effect=row.id
                )
        except Exception:
            delay = min(60.0, 0.5 * 2 ** min(row.attempts, 7))
            log.exception("effect %s (%s) failed; tried again in %.1fs", row.id, row.call_id, delay)
            await in_thread(effects.postpone, self.db, row.id, owner, delay)

    async def _call(self, call: Any) -> Message:
        budget = max(0.5, self.settings.effect_lease * 0.8)  # answer before the lease runs out
        try:
            return await asyncio.wait_for(self.systems.call(call, core_time(wall())), budget)
        except TimeoutError:
            return SystemCallFailed(call, "timeout", None, f"no answer within {budget:.1f}s")
        except Exception as error:  # a port that raises instead of answering
            log.warning("call %s raised %r", call.call_id, error)
            return SystemCallFailed(call, "unavailable", None, repr(error)[:200])

    async def run_worker(self, stop: asyncio.Event) -> None:
        wake = self.waker()
        owner = self.settings.instance_id
        while not stop.is_set():
            free = self.settings.worker_concurrency - len(self._tasks)
            claimed: list[effects.ClaimedEffect] = []
            if free > 0:
                try:
                    claimed = await in_thread(
                        effects.claim_due, self.db, owner, self.settings.effect_lease, free
                    )
                except Exception:
                    log.exception("claiming effects failed; retrying")
            for row in claimed:
                task = asyncio.create_task(self.perform(row, owner))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            if not claimed:
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout=self.settings.worker_poll)

    async def drain(self) -> None:
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
