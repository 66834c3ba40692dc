"""Scenarios: what-if specs, the runner, replications, sweeps and the scenario library."""
