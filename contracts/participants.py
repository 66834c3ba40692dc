"""Every Pact participant's name, in one place: consumer tests, provider verification and
``crossdock contracts`` all spell them from here, so a pact file and its verifier cannot disagree.
"""

from __future__ import annotations

# Providers and consumers of the hub's HTTP API.
HUB = "hub"
WEB = "web-storefront"
MARKETPLACE = "marketplace"
B2B_PORTAL = "b2b-portal"
WAREHOUSE = "warehouse"
SUPPORT = "support-desk"
CHANNELS = (WEB, MARKETPLACE, B2B_PORTAL)

# The systems the hub calls over HTTP (`crossdock systems serve`).
ERP = "erp"
WMS = "wms"
TMS = "tms"
FINANCE = "finance"
SYSTEMS = (ERP, WMS, TMS, FINANCE)

# Consumers of the events the hub publishes (message pacts; the provider is HUB, whose events
# are a second face of the same deployable: can-i-deploy for the hub weighs both).
BI = "bi"
CRM = "crm"
EVENT_CONSUMERS = (WMS, FINANCE, BI, CRM)
