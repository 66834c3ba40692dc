"""Pact contracts (HTTP and message), schema snapshots and their gate, and fuzzing.

Pact's library reports usage to its makers unless told not to; crossdock runs where nothing but
package registries is reachable, and a contract run should send nothing anywhere but loopback.
"""

import os

os.environ.setdefault("PACT_DO_NOT_TRACK", "true")
