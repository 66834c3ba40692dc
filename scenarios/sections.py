"""The sections of a scenario: the hub's policies, demand, inventory, EDI, channels and faults.

Each forbids unknown keys, so a typo is an error that names its path; scenarios/spec.py puts
them together into a ScenarioSpec and validates the whole.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reference.hub.state import OrderOwnership, Sourcing
from scenarios.durations import Duration, Positive
from simulators.behavior.latency import (
    ExponentialSpec,
    LatencySpec,
    LognormalSpec,
    UniformSpec,
)
from simulators.behavior.webhook import WebhookDelivery

CHANNEL_NAMES = ("web", "marketplace", "edi", "sales_rep")
Rate = Annotated[float, Field(ge=0, le=1)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetrySpec(_Spec):
    base: Positive = 0.5
    cap: Positive = 60.0
    max_attempts: int = Field(default=6, ge=1)


class HubPolicy(_Spec):
    """How the hub behaves: the knobs an architect turns."""

    idempotency: bool = True
    """On: a repeated delivery under one idempotency key makes no new order, and a re-sent order
    number is rejected as a duplicate. Off: every delivery is a new order."""
    retry: RetrySpec = RetrySpec()
    dead_letters: bool = True
    """On: calls that exhaust their retries are parked and replayed every ``replay_every``.
    Off: they are dropped and their order is stuck."""
    replay_every: Positive = 900.0
    reconciliation_every: Positive | None = 3600.0
    """Snapshot reconciliation of event-fed inventory; batch-fed inventory is all snapshots."""
    sourcing: Sourcing = "first_fit"
    """Which node fills a line: ``first_fit`` or ``fewest_nodes`` (see ``HubConfig``)."""
    order_ownership: OrderOwnership = "erp"
    """Who is the system of record for commercial orders. ``erp``: the hub releases to a
    warehouse only after the ERP has committed the sales order, and cancels in the ERP first.
    ``hub``: the hub releases at once and only tells the ERP. The topology's owner of
    ``orders`` must be a system of that kind."""
    capture_sla: Positive = 30.0
    saga_retention: Positive = 3600.0
    """How long a finished order stays in the hub's working state (and its number in the
    duplicate index) before it is archived; memory stays bounded by orders in flight."""


class Spike(_Spec):
    factor: float = Field(gt=0, allow_inf_nan=False)
    start: Duration
    end: Duration

    @model_validator(mode="after")
    def _ordered(self) -> Spike:
        if not self.end > self.start:
            raise ValueError(f"end(={self.end}) must be after start(={self.start})")
        return self


class LargeOrder(_Spec):
    """One order placed at a fixed time, e.g. the 600-line web order."""

    at: Duration
    lines: int = Field(ge=1, le=10_000)
    channel: Literal["web", "marketplace", "edi", "sales_rep"] = "web"
    quantity: int = Field(default=2, ge=1)


class DemandSpec(_Spec):
    orders_per_day: float = Field(default=5000.0, gt=0, allow_inf_nan=False)
    hourly_profile: list[Annotated[float, Field(ge=0)]] | None = Field(
        default=None, min_length=24, max_length=24
    )
    """Relative arrival weights for each hour of the day; their mean is 1x ``orders_per_day``."""
    spikes: list[Spike] = []
    lines_per_order: float = Field(default=4.0, ge=1, allow_inf_nan=False)
    sku_skew: float = Field(default=1.05, ge=0, allow_inf_nan=False)
    channel_mix: dict[Literal["web", "marketplace", "edi", "sales_rep"], Rate] = {
        "web": 0.5,
        "marketplace": 0.2,
        "edi": 0.2,
        "sales_rep": 0.1,
    }
    stale_price_rate: Rate = 0.01
    unknown_customer_rate: Rate = 0.005
    resend_rate: Rate = 0.005
    large_orders: list[LargeOrder] = []

    @model_validator(mode="after")
    def _mix_positive(self) -> DemandSpec:
        if sum(self.channel_mix.values()) <= 0:
            raise ValueError(f"channel_mix(={self.channel_mix}) needs a share above 0")
        if self.hourly_profile is not None and sum(self.hourly_profile) <= 0:
            raise ValueError("hourly_profile needs at least one hour above 0")
        return self


class Replenishment(_Spec):
    review_every: Positive = 3600.0
    reorder_point: float = Field(default=0.3, ge=0, le=1)
    """Reorder when on hand falls below this fraction of the opening stock."""
    order_up_to: float = Field(default=1.0, gt=0, le=5)
    lead_time: Duration = 4 * 3600.0


class InventoryPolicy(_Spec):
    skus: int = Field(default=240, ge=1, le=100_000)
    customers: int = Field(default=60, ge=1)
    coverage: float = Field(default=0.9, gt=0, allow_inf_nan=False)
    """Opening stock as a share of the units expected to be ordered over the run."""
    safety_stock: int = Field(default=0, ge=0)
    short_pick_rate: Rate = 0.02
    other_channel_share: float = Field(default=0.2, ge=0, le=10)
    """Units sold by channels the hub does not see (counter sales, stores), as a share of hub
    demand; the WMS ships them and reports the movement."""
    returns_share: float = Field(default=0.02, ge=0, le=1)
    cycle_counts_per_day: float = Field(default=200.0, ge=0)
    replenishment: Replenishment | None = Replenishment()


class EdiPolicy(_Spec):
    """What a trading partner expects of us (X12 850 in; 855, 856, 810 out)."""

    ack_sla: Positive = 4 * 3600.0
    asn_sla: Positive = 3600.0
    invoice_sla: Positive = 86400.0
    chargeback_per_late_asn: float = Field(default=250.0, ge=0)


class ChannelsSpec(_Spec):
    storefront: WebhookDelivery = WebhookDelivery(duplicate_rate=0.02, failure_rate=0.01)
    marketplace: WebhookDelivery = WebhookDelivery(duplicate_rate=0.05, failure_rate=0.02)
    edi: EdiPolicy = EdiPolicy()


class Fault(_Spec):
    """An outage or a slowdown of one system; merged into its behaviour."""

    system: str
    kind: Literal["outage", "degradation"] = "outage"
    start: Duration
    end: Duration
    factor: float = Field(default=1.0, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Fault:
        if not self.end > self.start:
            raise ValueError(f"end(={self.end}) must be after start(={self.start})")
        return self


class PaymentsSpec(_Spec):
    """Customers paying their invoices, and the ERP's credit memos for what arrived short.

    Every posted invoice draws, from the run seed, when its customer pays: ``days_to_pay``
    after the invoice is posted. A share ``unmatched_share`` of payments arrive without a
    remittance reference anyone can use: that cash is in the bank, unapplied, until someone
    matches it ``matching_delay`` later; the rest is applied the moment it arrives. A share
    ``short_receipt_rate`` of invoices are claimed short (one unit of one line never arrived,
    reported ``claim_delay`` after the invoice): the ERP raises a short-shipment credit memo
    and the customer pays the invoice less it, once the memo is issued. After the order day the
    run goes on with nothing but collections until the last payment is applied."""

    days_to_pay: LatencySpec = LognormalSpec(median=30 * 86400.0, p99=75 * 86400.0)
    """Invoice posted until the customer's payment arrives; the default (median 30 days, p99
    75 days) has a mean of 32.4 days: net-30 terms, some customers late."""
    unmatched_share: Rate = 0.05
    matching_delay: LatencySpec = ExponentialSpec(mean=3 * 86400.0)
    short_receipt_rate: Rate = 0.01
    claim_delay: LatencySpec = UniformSpec(low=86400.0, high=5 * 86400.0)
