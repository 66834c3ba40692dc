"""Studies: every (variant, replication) of a scenario as a fresh run, summarised with 95% CIs.

Seeds. Replication r of a study with seed S runs with ``run_seed(S, r)``, the first 63 bits of
``SeedSequence(S).spawn(r + 1)[r]``: independent across replications, and the same for every
variant of one replication, so variants are compared on common random numbers. The estate itself
(catalogue, customers, starting stock) comes from S alone: it is the business being modelled, so
it is the same in every replication, and the intervals measure demand, behaviour and faults, not
which customers happened to live in a restricted region. The same spec and seed give
bit-identical runs on any executor, in any order (only ``wall_seconds`` differs).

Executors: ``serial`` (in this process), ``local`` (a ProcessPoolExecutor) and ``dask`` (a
``distributed.Client`` at an address). Each job carries the variant's own spec, so a worker needs
nothing but the code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenarios.kpis import CATALOG
from scenarios.problems import Problem
from scenarios.results import RunResult, StudyResult, summarise_variants
from scenarios.spec import ScenarioSpec, SpecError, Variant, apply_overrides, scaled

Progress = Callable[[RunResult], None]


def run_seed(seed: int, replication: int) -> int:
    child = np.random.SeedSequence(seed).spawn(replication + 1)[replication]
    return int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


@dataclass(frozen=True, slots=True)
class Job:
    spec: ScenarioSpec  # the variant's spec, overrides applied
    variant: str
    replication: int
    seed: int


def run_job(job: Job) -> RunResult:
    from scenarios.world import run_world

    return run_world(job.spec, job.variant, job.replication, job.seed)


def plan(
    spec: ScenarioSpec,
    replications: int | None = None,
    seed: int | None = None,
    scale: float = 1.0,
) -> list[Job]:
    """Jobs ordered replication-major, so early results already cover every variant.

    ``scale`` (0 < scale <= 1) shrinks each variant's demand after its overrides (``scaled``);
    at 1 the specs are untouched, so a study at full scale is the study it always was."""
    reps = replications if replications is not None else spec.replications
    base_seed = spec.seed if seed is None else seed
    specs = {
        name: scaled(spec.variant(name), scale).model_copy(update={"seed": base_seed})
        for name in spec.variant_names()
    }
    return [
        Job(specs[name], name, r, run_seed(base_seed, r)) for r in range(reps) for name in specs
    ]


def execute(
    jobs: Sequence[Job],
    executor: str = "local",
    workers: int = 2,
    address: str | None = None,
    progress: Progress | None = None,
) -> list[RunResult]:
    """Run the jobs; results come back in job order whatever order they finish in."""
    results: list[RunResult | None] = [None] * len(jobs)
    if executor == "serial" or (executor == "local" and workers <= 1):
        for i, job in enumerate(jobs):
            results[i] = run_job(job)
            if progress:
                progress(results[i])  # type: ignore[arg-type]
    elif executor == "local":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # fork where there is one: a worker starts in milliseconds and scripts need no
        # ``if __name__ == "__main__"`` guard; spawn elsewhere
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if progress:
                    progress(results[futures[future]])  # type: ignore[arg-type]
    elif executor == "dask":
        from distributed import Client
        from distributed import as_completed as dask_completed

        if not address:
            raise ValueError("the dask executor needs --address tcp://host:port of a scheduler")
        with Client(address) as client:
            futures = client.map(run_job, list(jobs), pure=False)
            index = {f.key: i for i, f in enumerate(futures)}
            for future in dask_completed(futures):
                results[index[future.key]] = future.result()
                if progress:
                    progress(results[index[future.key]])  # type: ignore[arg-type]
    else:
        raise ValueError(f"executor(={executor!r}) must be serial, local or dask")
    return [r for r in results if r is not None]


def summarise(
    spec: ScenarioSpec,
    runs: list[RunResult],
    seed: int,
    replications: int,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> StudyResult:
    overrides = overrides or {v.name: dict(v.overrides) for v in spec.variants}
    names = spec.variant_names()
    # a KPI of a system the variant's estate lacks is n/a, not the 0 its run recorded
    systems = {name: {s.kind for s in spec.variant(name).topology.systems} for name in names}
    variants = summarise_variants(
        runs, [(name, overrides.get(name, {})) for name in names], CATALOG, systems
    )
    return StudyResult(
        scenario=spec.name,
        description=spec.description,
        seed=seed,
        replications=replications,
        variants=variants,
        runs=runs,
        kpi_catalog=list(CATALOG),
    )


def run_study(
    spec: ScenarioSpec,
    replications: int | None = None,
    seed: int | None = None,
    executor: str = "local",
    workers: int = 2,
    address: str | None = None,
    progress: Progress | None = None,
    scale: float = 1.0,
) -> StudyResult:
    jobs = plan(spec, replications, seed, scale)
    runs = execute(jobs, executor, workers, address, progress)
    return summarise(
        spec,
        runs,
        spec.seed if seed is None else seed,
        replications if replications is not None else spec.replications,
    )


def sweep_spec(
    spec: ScenarioSpec, path: str, values: list[Any]
) -> tuple[ScenarioSpec, dict[str, Any]]:
    """The base spec with one variant per value of ``path`` (its own variants are replaced)."""
    if not values:
        raise SpecError([Problem((), f"--set {path}", "give at least one value")])
    variants = [
        Variant(name=f"{path.rsplit('.', 1)[-1]}={_label(v)}", overrides={path: v}) for v in values
    ]
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise SpecError([Problem((), f"--set {path}", "values repeat", values)])
    base = apply_overrides(spec, {}, where="sweep")
    swept = base.model_copy(update={"variants": variants})
    for v in variants:  # fail before running anything
        swept.variant(v.name)
    return swept, {v.name: value for v, value in zip(variants, values, strict=True)}


def run_sweep(
    spec: ScenarioSpec,
    path: str,
    values: list[Any],
    replications: int | None = None,
    seed: int | None = None,
    executor: str = "local",
    workers: int = 2,
    address: str | None = None,
    progress: Progress | None = None,
    scale: float = 1.0,
) -> StudyResult:
    swept, by_name = sweep_spec(spec, path, values)
    study = run_study(swept, replications, seed, executor, workers, address, progress, scale)
    study.swept_path = path
    study.swept_values = list(values)
    study.variant_values = by_name
    return study


def parse_values(text: str) -> list[Any]:
    """``"15m,60m"`` or ``"true,false"`` or ``"0.5,1,2"``: each value read as YAML."""
    import yaml

    return [yaml.safe_load(part.strip()) for part in text.split(",") if part.strip()]


def _label(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
