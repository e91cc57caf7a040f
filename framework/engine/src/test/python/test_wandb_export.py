"""The offline W&B runs `ablate export wandb` wrote, read back with wandb's own tools.

Driven by WandbExportTest (which makes the sweep and the export). Each offline-run folder is read
with wandb's transaction-log reader (wandb.sdk.internal.datastore, what `wandb sync` uploads from)
and checked against the trial folder it came from; `wandb sync --view --verbose` must read them all.
"""
import glob
import json
import math
import os
import subprocess
import sys
import unittest
from pathlib import Path

from wandb.proto import wandb_internal_pb2 as pb
from wandb.sdk.internal import datastore

RESULTS = Path(os.environ["ABLATE_TEST_RESULTS"])
OUT = Path(os.environ["ABLATE_TEST_WANDB_OUT"])
SECRET = os.environ["ABLATE_TEST_SECRET"]
TORN = os.environ["ABLATE_TEST_TORN_TRIAL"]


def records(folder):
    ds = datastore.DataStore()
    ds.open_for_scan(glob.glob(str(folder / "*.wandb"))[0])
    while True:
        data = ds.scan_data()
        if data is None:
            return
        r = pb.Record()
        r.ParseFromString(data)
        yield r


def key(item):
    return item.key or "/".join(item.nested_key)


class OfflineRun:
    def __init__(self, folder):
        self.folder = folder
        self.history, self.summary, self.files, self.run, self.exit = [], {}, [], None, None
        for r in records(folder):
            kind = r.WhichOneof("record_type")
            if kind == "run":
                self.run = r.run
            elif kind == "history":
                self.history.append({key(i): json.loads(i.value_json) for i in r.history.item})
            elif kind == "summary":
                self.summary.update({key(i): json.loads(i.value_json) for i in r.summary.update})
            elif kind == "files":
                self.files += [f.path for f in r.files.files]
            elif kind == "exit":
                self.exit = r.exit
        self.config = {i.key: json.loads(i.value_json) for i in self.run.config.update}


def same(expected, got):
    if isinstance(expected, str):  # the store writes non-finite numbers as these strings
        expected = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[expected]
    if math.isnan(expected):
        return isinstance(got, float) and math.isnan(got)
    return expected == got


class ExportTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.trials = {d.name: json.loads((d / "config.json").read_text())
                      for d in RESULTS.iterdir() if (d / "config.json").is_file()}
        cls.runs = {}
        for folder in sorted(OUT.glob("offline-run-*")):
            run = OfflineRun(folder)
            cls.runs[run.run.run_id] = run
        cls.sweep = json.loads((RESULTS / "sweep.json").read_text())

    def test_one_run_per_trial_in_the_experiment_project_and_the_invocation_group(self):
        self.assertEqual(set(self.trials), set(self.runs), "run id = trial id")
        groups = {r.run.run_group for r in self.runs.values()}
        self.assertEqual(1, len(groups), "one invocation, one group")
        self.assertTrue(groups.pop().startswith("formulas 20"), "experiment and the invocation's start time")
        for trial_id, run in self.runs.items():
            local = self.trials[trial_id]
            self.assertEqual("formulas", run.run.project)
            self.assertEqual(local["name"], run.run.display_name)
            self.assertEqual("formula", run.run.job_type)
            self.assertIn("trial-" + trial_id, run.run.tags)
            self.assertIn("git-" + local["provenance"]["git"]["commit"][:12], run.run.tags)
            self.assertIn(local["state"].lower(), run.run.tags)
            self.assertTrue(run.run.notes.startswith(self.sweep["description"]))
            self.assertEqual(0 if local["state"] == "FINISHED" else 1, run.exit.exit_code)
            if local["state"] == "FAILED":
                self.assertIn("formula failed as asked", run.run.notes)

    def test_config_is_typed_with_each_formula_value(self):
        for trial_id, run in self.runs.items():
            local = self.trials[trial_id]
            c = run.config
            self.assertEqual({"task", "seed", "d", "m", "mode", "m.value", "ablate", "_wandb"}, set(c))
            self.assertIs(type(c["seed"]), int)
            self.assertIs(type(c["d"]), int)
            self.assertEqual(local["params"]["d"], c["d"])
            self.assertEqual("4 * d", c["m"])
            self.assertIs(type(c["m.value"]), float)
            self.assertEqual(4.0 * local["params"]["d"], c["m.value"])
            self.assertEqual(trial_id, c["ablate"]["trial_id"])
            self.assertEqual(local["provenance"]["git"]["commit"], c["ablate"]["git_commit"])
            self.assertIs(c["ablate"]["git_dirty"], local["provenance"]["git"]["dirty"])

    def test_history_has_the_steps_values_and_recorded_times(self):
        for trial_id, run in self.runs.items():
            points = []
            for line in (RESULTS / trial_id / "metrics.jsonl").read_text().splitlines():
                try:
                    points.append(json.loads(line))
                except ValueError:
                    self.assertEqual(TORN, trial_id, "only the line cut on purpose is torn")
            steps = sorted({p["step"] for p in points})
            self.assertEqual(steps, [row["_step"] for row in run.history], trial_id)
            self.assertEqual([0, 1, 2], steps)
            by_step = {row["_step"]: row for row in run.history}
            for p in points:
                row = by_step[p["step"]]
                self.assertTrue(same(p["value"], row[p["name"]]), f"{trial_id} {p} -> {row}")
                self.assertAlmostEqual(max(q["timestamp"] for q in points if q["step"] == p["step"]) / 1000,
                                       row["_timestamp"], places=3)
            self.assertEqual(math.inf, by_step[1]["train/ratio"], "+Infinity stays infinite")
            self.assertTrue(math.isnan(by_step[2]["train/ratio"]))

    def test_summary_and_files(self):
        first_trial = self.sweep["trials"][0]["id"]
        for trial_id, run in self.runs.items():
            local = self.trials[trial_id]
            if local["state"] == "FINISHED":
                summary = json.loads((RESULTS / trial_id / "summary.json").read_text())
                for k, v in summary.items():
                    self.assertTrue(same(v, run.summary[k]), f"{k}: {v} -> {run.summary.get(k)}")
                self.assertEqual(-math.inf, run.summary["ratio"])
                self.assertIn("ablate/summary.json", run.files)
            self.assertTrue({"ablate/config.json", "ablate/status", "ablate/trial.log"} <= set(run.files), run.files)
            for f in run.files:
                if f.startswith("ablate/"):
                    src = RESULTS / trial_id / f[len("ablate/"):]
                    self.assertEqual(src.read_bytes(), (run.folder / "files" / f).read_bytes(), f)
            has_report = any(f.startswith("report/") for f in run.files)
            self.assertEqual(trial_id == first_trial and (RESULTS / "report").is_dir(), has_report, trial_id)

    def test_nothing_secret_and_nothing_about_the_exporter_process(self):
        for path in OUT.rglob("*"):
            if path.is_file():
                self.assertNotIn(SECRET.encode(), path.read_bytes(), path)
        for run in self.runs.values():
            self.assertFalse((run.folder / "files" / "requirements.txt").exists(), "the exporter's pip list")
            self.assertFalse((run.folder / "logs").exists())

    def test_wandb_sync_view_reads_every_run(self):
        wandb_cli = Path(sys.executable).parent / "wandb"
        env = {**os.environ, "WANDB_API_KEY": "x" * 40, "WANDB_BASE_URL": "http://127.0.0.1:9"}  # --view sends nothing
        p = subprocess.run([str(wandb_cli), "sync", "--view", "--verbose", *map(str, sorted(OUT.glob("offline-run-*")))],
                           capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(0, p.returncode, p.stderr)
        for trial_id in self.trials:
            self.assertIn(f'run_id: "{trial_id}"', p.stdout)
        self.assertIn('project: "formulas"', p.stdout)


if __name__ == "__main__":
    unittest.main()
