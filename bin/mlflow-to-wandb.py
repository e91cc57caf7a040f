#!/usr/bin/env python3
"""Imports Ablate's MLflow runs into Weights & Biases with W&B's own MLflow importer.

It runs wandb.apis.importers (wandb 0.18.7; `bin/wandb-tools import ...` installs it) one run at a
time, so that a run that fails to import is reported instead of swallowed as `import_runs` does,
and adapts the importer's reading of a run where it loses what Ablate recorded:

  * group   = the sweep invocation (tag ablate.invocation), named like its parent run, not "Experiment <id>";
              job type = ablate.role (sweep / trial), so the parent is told from its trials
  * config  = the params with numbers, booleans and lists typed again (MLflow stores text);
              the MLflow tags stay under imported_mlflow_tags (ablate.parent_run_id, ablate.git.commit, ...)
  * history = the integer steps plus each row's recorded time as _timestamp
  * start   = the run's real start (the importer reads milliseconds as seconds: 1970)
  * host, os and user from Ablate's provenance tags
  * artifacts named after the MLflow run id (display names repeat across experiments)
  * every run of the experiment, page by page (the importer's search stops at 1000)
  * NaN points: numpy 2 removed np.NaN, which the importer writes for them

Usage: mlflow-to-wandb.py --mlflow-uri URI --experiment NAME [--experiment NAME ...]
                          --entity ENTITY [--project PROJECT] [--no-artifacts]
W&B: the key `wandb login` stored, or WANDB_API_KEY; WANDB_BASE_URL (default https://api.wandb.ai).
An unreachable W&B makes wandb retry ("Network error ..., entering retry loop"); Ctrl-C stops it.
Exit: 0 every run imported, 1 some run failed (each named on stderr), 2 bad arguments or nothing to import.
"""
import argparse
import json
import os
import sys

import numpy as np

if not hasattr(np, "NaN"):
    np.NaN = np.nan  # the importer's NaN branch uses the alias numpy 2 removed

import mlflow  # noqa: E402
import wandb  # noqa: E402
from mlflow.entities import ViewType  # noqa: E402
from wandb.apis import InternalApi  # noqa: E402
from wandb.apis.importers import Namespace  # noqa: E402
from wandb.apis.importers.mlflow import MlflowImporter, MlflowRun  # noqa: E402


def typed(text):
    """A param's text as the number, boolean or list it was written from; other text stays text."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return text
    return value if isinstance(value, (int, float, bool, list)) else text


class AblateMlflowRun(MlflowRun):
    """The importer's MlflowRun, reading the tags Ablate writes for what the importer would drop."""

    def __init__(self, run, mlflow_client, sweep_names=None):
        super().__init__(run, mlflow_client)
        self.sweep_names = sweep_names or {}

    def _tag(self, key):
        return self.run.data.tags.get(key)

    def config(self):
        conf = super().config()
        return {k: (v if k == "imported_mlflow_tags" else typed(v)) for k, v in conf.items()}

    def metrics(self):
        rows = {}
        for key in self.run.data.metrics:
            for point in self.mlflow_client.get_metric_history(self.run.info.run_id, key):
                row = rows.setdefault(point.step, {"_step": point.step})
                row[key] = point.value
                row["_timestamp"] = max(row.get("_timestamp", 0), point.timestamp / 1000)
        for step in sorted(rows):
            yield rows[step]

    def run_group(self):
        # the sweep's parent run's name, which `ablate export wandb` uses as the group too
        invocation = self._tag("ablate.invocation")
        return self.sweep_names.get(invocation, invocation) or super().run_group()

    def job_type(self):
        return self._tag("ablate.role") or super().job_type()

    def tags(self):
        trial = self._tag("ablate.trial_id")
        return [t for t in (self._tag("ablate.role"), trial and "trial-" + trial) if t]

    def start_time(self):
        return self.run.info.start_time  # milliseconds: the record maker calls FromMilliseconds on it

    def runtime(self):
        end = self.run.info.end_time or self.run.info.start_time
        return (end - self.run.info.start_time) // 1000

    def host(self):
        return self._tag("ablate.host")

    def os_version(self):
        return self._tag("ablate.os")

    def username(self):
        return self._tag("mlflow.user")

    def artifacts(self):
        path = mlflow.artifacts.download_artifacts(run_id=self.run.info.run_id)
        art = wandb.Artifact("mlflow-" + self.run.info.run_id, "imported-artifacts")
        art.add_dir(path)
        return [art]


def runs_of(client, experiment_id, page_size=1000):
    """Every active run of the experiment, following the page token past the first page."""
    token = None
    while True:
        page = client.search_runs([experiment_id], run_view_type=ViewType.ACTIVE_ONLY,
                                  max_results=page_size, page_token=token)
        yield from page
        token = page.token
        if not token:
            return


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mlflow-uri", default=os.environ.get("MLFLOW_TRACKING_URI"), help="default: MLFLOW_TRACKING_URI")
    p.add_argument("--experiment", action="append", required=True, help="an MLflow experiment name (repeatable)")
    p.add_argument("--entity", default=os.environ.get("WANDB_ENTITY"), help="W&B entity; default: WANDB_ENTITY")
    p.add_argument("--project", help="W&B project; default: the MLflow experiment's name")
    p.add_argument("--no-artifacts", action="store_true", help="skip the runs' files")
    a = p.parse_args(argv)
    if not a.mlflow_uri or not a.entity:
        p.error("--mlflow-uri (or MLFLOW_TRACKING_URI) and --entity (or WANDB_ENTITY) are required")
    # the key `wandb login` stored (~/.netrc), or WANDB_API_KEY; never printed
    api_key = os.environ.get("WANDB_API_KEY") or InternalApi().api_key
    if not api_key:
        p.error("not logged in to W&B: run `wandb login` (or set WANDB_API_KEY)")
    # the importer downloads artifacts through mlflow's global tracking URI
    os.environ["MLFLOW_TRACKING_URI"] = a.mlflow_uri
    importer = MlflowImporter(dst_base_url=os.environ.get("WANDB_BASE_URL", "https://api.wandb.ai"),
                              dst_api_key=api_key, mlflow_tracking_uri=a.mlflow_uri)
    client = importer.mlflow_client
    imported, failed = 0, []
    for name in a.experiment:
        experiment = client.get_experiment_by_name(name)
        if experiment is None:
            print(f"mlflow-to-wandb: error: no MLflow experiment '{name}' at {a.mlflow_uri}", file=sys.stderr)
            return 2
        namespace = Namespace(a.entity, a.project or name)
        runs = list(runs_of(client, experiment.experiment_id))
        sweep_names = {r.data.tags["ablate.invocation"]: r.info.run_name for r in runs
                       if r.data.tags.get("ablate.role") == "sweep" and "ablate.invocation" in r.data.tags}
        for run in runs:
            try:
                importer._import_run(AblateMlflowRun(run, client, sweep_names), namespace=namespace,
                                     artifacts=not a.no_artifacts)
                imported += 1
            except Exception as e:  # one run's failure is named, and the others still go
                failed.append(run.info.run_id)
                print(f"mlflow-to-wandb: run {run.info.run_id} ({run.info.run_name}) of '{name}' failed: "
                      f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", file=sys.stderr)
    total = imported + len(failed)
    print(f"imported {imported} of {total} run(s) into {a.entity}/{a.project or ', '.join(a.experiment)}")
    if total == 0:
        print("mlflow-to-wandb: error: the experiment(s) hold no runs", file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
