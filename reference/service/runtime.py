"""The service's hub runtime: the asyncio adapter over the durable ports.

Theory of operation. ``apply(message)`` runs one transaction (``HubStore.transaction``): the core
decides, and the decision is carried out as rows (reference/service/persistence/rows.py), each
call and timer inserted already leased to this process. After commit the runtime keeps those
promises itself: a call is started at once through the systems port (its outcome drawn now, in
decision order) and awaited in a task; a timer is a task that sleeps until it is due. Either
way the answer goes back through ``apply(answer, done_effect=row)``, which deletes the row in
the same transaction that records what it led to.

A process that dies leaves leased rows whose leases run out; the worker (``run_worker``) of any
process claims such rows and performs them the same way. That is safe because every system
dedupes on ids and the core ignores answers to calls it no longer awaits.

``clock`` (the core's seconds) and ``offload`` (how a blocking transaction is run) make the same
runtime serve the wall clock, where the database decides (``Database.run`` and ``write_async``:
on the loop for SQLite, worker threads for PostgreSQL), and a virtual clock, with every
transaction inline on the loop, as ``crossdock twin`` runs it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, Literal, TypeVar

import anyio
from sqlalchemy import Connection, select

from reference.hub import (
    CallSystem,
    CancelOrder,
    FailureKind,
    HubConfig,
    Message,
    ScheduleTimer,
    SystemCallFailed,
)
from reference.service import correlation
from reference.service.persistence import effects
from reference.service.persistence import tables as t
from reference.service.persistence.codec import load_call, load_timer_message
from reference.service.persistence.database import Database
from reference.service.persistence.hubstore import Alongside, Applied, HubStore
from reference.service.persistence.rows import Claim, Claimed
from reference.service.ports import SystemsPort, at_once
from reference.service.settings import Settings
from reference.service.timebase import core_time, wall

log = logging.getLogger("crossdock.service.worker")

Offload = Callable[..., Awaitable[Any]]
Work = Literal["events", "effects"]
T = TypeVar("T")


async def in_thread(func: Any, *args: Any, **kwargs: Any) -> Any:
    return await anyio.to_thread.run_sync(partial(func, *args, **kwargs))


async def inline(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a transaction on the loop itself: on a virtual clock no time passes while it runs."""
    return func(*args, **kwargs)


class HubRuntime:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        systems: SystemsPort,
        config: HubConfig,
        *,
        clock: Callable[[], float] = lambda: core_time(wall()),
        offload: Offload | None = None,
        bound_calls: bool = True,
    ) -> None:
        self.settings = settings
        self.db = db
        self.systems = systems
        self.config = config
        self.clock = clock
        # The wall clock (no offload given): the database runs the work, and writes are grouped.
        self.offload: Offload = offload or db.run
        self.grouped = offload is None
        # A call answers within its port's own timeout; this bounds a port that hangs anyway,
        # before the row's lease runs out and another worker performs the call a second time.
        # A virtual clock has no leases running out, and the systems' own timeouts decide.
        self.call_budget = max(0.5, settings.effect_lease * 0.8) if bound_calls else None
        self.owner = settings.instance_id
        self.claim = Claim(self.owner, settings.effect_lease)
        self._wakers: dict[Work, list[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {
            "events": [],
            "effects": [],
        }
        self.store = HubStore(
            db, config, on_commit=self._wake, clock=clock, answer=at_once(systems)
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self._timers: set[asyncio.Task[None]] = set()  # of _tasks: timers not yet due (_fire)
        self._watched: dict[str, asyncio.Event] = {}

    # -- waking the loops after a commit (on the loop, or from a worker thread) ---------------
    def waker(self, work: Work) -> asyncio.Event:
        """An event set after each commit that leaves ``work``: outbox rows ("events") or
        effect rows no process leased ("effects")."""
        event = asyncio.Event()
        self._wakers[work].append((asyncio.get_running_loop(), event))
        return event

    def _wake(self, applied: Applied) -> None:
        left: tuple[tuple[Work, int], ...] = (
            ("events", applied.published),
            ("effects", applied.unclaimed),
        )
        try:
            here = asyncio.get_running_loop()
        except RuntimeError:
            here = None
        for work, count in left:
            if count:
                for loop, event in self._wakers[work]:
                    if loop is here:
                        event.set()
                    elif not loop.is_closed():
                        loop.call_soon_threadsafe(event.set)

    # -- commands ------------------------------------------------------------------------------
    async def apply(self, message: Message, *, done_effect: int | None = None) -> Applied:
        """Decide and commit ``message``, then start the effects this process leased."""
        work = self.store.transaction(message, done_effect=done_effect, claim=self.claim)
        applied: Applied = await self._write(work)
        self.store.committed(applied)
        self._started(applied)
        return applied

    async def apply_alongside(self, alongside: Alongside) -> Applied | None:
        """``apply`` the message ``alongside`` gives, in one transaction with what it writes."""
        work = self.store.transaction_alongside(alongside, claim=self.claim)
        applied: Applied | None = await self._write(work)
        if applied is not None:
            self.store.committed(applied)
            self._started(applied)
        return applied

    async def _write(self, work: Callable[[Connection], T]) -> T:
        if self.grouped:
            return await self.db.write_async(work)
        return await self.offload(self.db.write, work)  # type: ignore[no-any-return]

    def _started(self, applied: Applied) -> None:
        self.start(applied.claimed)
        for order_id in applied.sagas:
            watched = self._watched.get(order_id)
            if watched is not None:
                watched.set()

    async def cancel(self, order_id: str, reason: str) -> dict[str, Any] | None:
        """Cancel the order and, when its cancel went to the ERP first, see the ERP's answer
        through within the order deadline. A cancel still with the ERP shows as
        ``cancel_requested`` on the saga; the ERP's answer finishes it."""
        return await self._settle(
            order_id,
            CancelOrder(order_id, reason),
            lambda saga: saga.get("cancel_reason") is not None,
        )

    async def _settle(
        self, order_id: str, message: Message, waiting: Callable[[dict[str, Any]], bool]
    ) -> dict[str, Any] | None:
        """Apply ``message``, then wait while ``waiting(saga)`` holds, up to the deadline."""
        applied = await self.apply(message)
        return await self.wait(order_id, applied.sagas.get(order_id), waiting)

    async def wait(
        self,
        order_id: str,
        saga: dict[str, Any] | None,
        waiting: Callable[[dict[str, Any]], bool],
    ) -> dict[str, Any] | None:
        """Wait while ``waiting(saga)`` holds, up to the order deadline; the saga as stored.

        Called right after the commit that left ``saga`` so: answers are applied on this loop,
        so none can land between that commit and the watch set here."""
        if saga is None or not waiting(saga):
            return saga
        changed = self._watched[order_id] = asyncio.Event()
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self.settings.order_deadline
            while saga is not None and waiting(saga):
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), remaining)
                saga = await self.offload(self.saga, order_id)
            return saga
        finally:
            self._watched.pop(order_id, None)

    def saga(self, order_id: str) -> dict[str, Any] | None:
        with self.db.read() as conn:
            row = conn.execute(
                select(t.orders.c.saga).where(t.orders.c.order_id == order_id)
            ).first()
        return row.saga if row is not None else None

    # -- the asyncio adapter: keeping the promises the rows made ------------------------------
    def start(self, claimed: list[Claimed]) -> None:
        """Start each leased effect, in decision order: calls draw their outcome now."""
        now = self.clock()
        for row in claimed:
            effect = row.effect
            if type(effect) is CallSystem:
                self._spawn(self._answer(row.effect_id, effect, self.systems.call(effect, now)))
            else:
                assert type(effect) is ScheduleTimer
                self._timers.add(self._spawn(self._fire(row.effect_id, effect.at, effect.message)))

    def _spawn(self, work: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(work)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _answer(self, effect_id: int, call: CallSystem, answer: Awaitable[Message]) -> None:
        with correlation.bound(call.correlation_id):
            message = await self._bounded(call, answer)
            await self._done(message, effect_id)

    async def _fire(self, effect_id: int, at: float, message: Message) -> None:
        await asyncio.sleep(max(0.0, at - self.clock()))
        self._timers.discard(asyncio.current_task())  # type: ignore[arg-type]
        await self._done(message, effect_id)

    async def _bounded(self, call: CallSystem, answer: Awaitable[Message]) -> Message:
        budget = self.call_budget
        try:
            return await (answer if budget is None else asyncio.wait_for(answer, budget))
        except TimeoutError:
            return SystemCallFailed(
                call, FailureKind.TIMEOUT, None, f"no answer within {budget:.1f}s"
            )
        except Exception as error:  # a port that raises instead of answering
            log.warning("call %s raised %r", call.call_id, error)
            return SystemCallFailed(call, FailureKind.UNAVAILABLE, None, repr(error)[:200])

    async def _done(self, message: Message, effect_id: int) -> None:
        try:
            await self.apply(message, done_effect=effect_id)
        except Exception:
            log.exception(
                "applying the answer of effect %s failed; the worker retries it", effect_id
            )
            await self.offload(effects.postpone, self.db, effect_id, self.owner, 1.0)

    # -- the worker: rows nobody is keeping (a dead process's, or postponed ones) --------------
    async def perform(self, row: effects.ClaimedEffect) -> None:
        try:
            if row.kind == "call":
                call = load_call(row.payload)
                answer = self.systems.call(call, self.clock())
                with correlation.bound(call.correlation_id):
                    message = await self._bounded(call, answer)
                    await self.apply(message, done_effect=row.id)
            else:
                await self.apply(load_timer_message(row.payload), done_effect=row.id)
        except Exception:
            delay = min(60.0, 0.5 * 2 ** min(row.attempts, 7))
            log.exception("effect %s (%s) failed; tried again in %.1fs", row.id, row.call_id, delay)
            await self.offload(effects.postpone, self.db, row.id, self.owner, delay)

    async def run_worker(self, stop: asyncio.Event) -> None:
        wake = self.waker("effects")
        owner = self.owner
        while not stop.is_set():
            free = self.settings.worker_concurrency - len(self._tasks)
            claimed: list[effects.ClaimedEffect] = []
            if free > 0:
                try:
                    claimed = await self.offload(
                        effects.claim_due, self.db, owner, self.settings.effect_lease, free
                    )
                except Exception:
                    log.exception("claiming effects failed; retrying")
            for row in claimed:
                self._spawn(self.perform(row))
            if not claimed:
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout=self.settings.worker_poll)

    async def drain(self) -> None:
        """Wait until every effect this process started has been answered and applied."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        """Finish the calls in flight; drop the timers not yet due (a backorder's expiry, days
        away). Their rows stay, leased until due plus a lease: then any process fires them."""
        for timer in list(self._timers):
            timer.cancel()
        await self.drain()
