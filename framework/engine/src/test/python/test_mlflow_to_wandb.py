"""W&B's MLflow importer run for real on a sweep Ablate mirrored to a real MLflow server.

Driven by WandbImporterTest (which makes the sweep). bin/mlflow-to-wandb.py runs the importer's
per-run path (MlflowImporter._import_run -> internal.send_run -> RecordMaker -> SendManager) with
the real settings and SendManager; only the SendManager's handlers that talk to W&B's servers are
replaced by recorders, so what is asserted is what W&B would have been sent.
"""
import importlib.util
import json
import math
import os
import tempfile
import unittest
from collections import defaultdict
from pathlib import Path

from mlflow.tracking import MlflowClient
from wandb.sdk.internal.sender import SendManager

REPO = Path(os.environ["ABLATE_REPOSITORY"])
URI = os.environ["ABLATE_TEST_MLFLOW_URI"]
EXPERIMENT = os.environ["ABLATE_TEST_MLFLOW_EXPERIMENT"]
RESULTS = Path(os.environ["ABLATE_TEST_RESULTS"])


def load_script():
    spec = importlib.util.spec_from_file_location("mlflow_to_wandb", REPO / "bin" / "mlflow-to-wandb.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Recorded:
    """What each SendManager was asked to send, by run id (the sender's network side)."""

    def __init__(self):
        self.runs, self.history, self.summary, self.artifacts, self.files = {}, defaultdict(list), {}, defaultdict(list), []
        self.settings = []

    def install(self, cleanup):
        recorded = self
        current = {}

        def send_run(sm, record, file_dir=None):
            recorded.settings.append(sm._settings)
            current[id(sm)] = record.run.run_id
            recorded.runs[record.run.run_id] = record.run

        def send_history(sm, record):
            recorded.history[current[id(sm)]].append({i.key: json.loads(i.value_json) for i in record.history.item})

        def send_summary(sm, record):
            recorded.summary[current[id(sm)]] = {i.key: json.loads(i.value_json) for i in record.summary.update}

        def send_artifact(sm, record):
            recorded.artifacts[record.artifact.run_id].append(record.artifact)

        def send_files(sm, record):
            recorded.files.append(record.files)

        for name, fn in dict(send_run=send_run, send_history=send_history, send_summary=send_summary,
                             send_artifact=send_artifact, send_files=send_files,
                             send_telemetry=lambda sm, r: None, finish=lambda sm: None).items():
            original = getattr(SendManager, name)
            setattr(SendManager, name, fn)
            cleanup(setattr, SendManager, name, original)
        return self


class ImporterTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        client = MlflowClient(URI)
        cls.mlflow_runs = {r.info.run_id: r for r in client.search_runs(
            [client.get_experiment_by_name(EXPERIMENT).experiment_id])}
        cls.parent = [r for r in cls.mlflow_runs.values() if r.data.tags.get("ablate.role") == "sweep"][0]
        # one import for all the tests below
        cls.recorded = Recorded().install(cls.addClassCleanup)
        cwd = os.getcwd()
        os.chdir(tempfile.mkdtemp(dir=os.environ.get("ABLATE_TEST_WORKDIR")))  # the importer writes ./wandb-importer/<id>
        cls.addClassCleanup(os.chdir, cwd)
        os.environ["WANDB_API_KEY"] = "x" * 40  # never used: nothing is sent
        cls.code = load_script().main(["--mlflow-uri", URI, "--experiment", EXPERIMENT,
                                        "--entity", "ablate-test", "--project", "sweeps"])

    def trials(self):
        out = {}
        for d in RESULTS.iterdir():
            if (d / "config.json").is_file():
                out[d.name] = json.loads((d / "config.json").read_text())
        return out

    def test_every_run_arrives_in_the_namespace_with_its_name_group_and_start(self):
        self.assertEqual(0, self.code, "the script reports a failed run")
        self.assertEqual(set(self.mlflow_runs), set(self.recorded.runs), "every MLflow run (parent and trials) is imported")
        self.assertEqual(7, len(self.recorded.runs))
        for s in self.recorded.settings:
            self.assertEqual("true", s.resume)  # the setting 0.19's validation refuses
        for run_id, rec in self.recorded.runs.items():
            m = self.mlflow_runs[run_id]
            self.assertEqual("ablate-test", rec.entity, "the Namespace, not MLflow's user")
            self.assertEqual("sweeps", rec.project)
            self.assertEqual(m.info.run_name, rec.display_name)
            self.assertEqual(self.parent.info.run_name, rec.run_group, "the sweep is the group, named like its parent")
            self.assertEqual(self.parent.data.tags["ablate.invocation"], m.data.tags["ablate.invocation"])
            self.assertEqual(m.info.start_time, rec.start_time.ToMilliseconds(), "start time in milliseconds, not 1970")
            self.assertIn(m.data.tags["ablate.role"], rec.tags)
            self.assertGreater(rec.start_time.ToMilliseconds(), 1_600_000_000_000)

    def test_the_sweep_is_recoverable_from_the_config(self):
        parents = [r for r in self.mlflow_runs.values() if r.data.tags.get("ablate.role") == "sweep"]
        self.assertEqual(1, len(parents))
        parent_id = parents[0].info.run_id
        trials = self.trials()
        by_trial = {}
        for run_id, rec in self.recorded.runs.items():
            config = {i.key: json.loads(i.value_json) for i in rec.config.update}
            tags = config["imported_mlflow_tags"]
            self.assertFalse([k for k in tags if k.startswith("mlflow.")], "the importer drops mlflow.* tags")
            if run_id == parent_id:
                continue
            self.assertEqual(parent_id, tags["ablate.parent_run_id"], "the parent link survives the import")
            self.assertEqual(parents[0].data.tags["ablate.invocation"], tags["ablate.invocation"])
            by_trial[tags["ablate.trial_id"]] = (config, tags)
        self.assertEqual(set(trials), set(by_trial), "every trial, found by its id")
        for trial_id, (config, tags) in by_trial.items():
            local = trials[trial_id]
            self.assertEqual(local["provenance"]["git"]["commit"], tags["ablate.git.commit"], "the commit survives")
            expected_keys = {"task", "seed", *local["params"], *(k + ".value" for k in local["expression_values"]),
                             "imported_mlflow_tags", "_wandb"}
            self.assertEqual(expected_keys, set(config))
            self.assertEqual(local["seed"], config["seed"])
            self.assertIsInstance(config["seed"], int, "numbers as numbers")
            self.assertIsInstance(config["d"], int)
            self.assertEqual("4 * d", config["m"], "the formula as written")
            self.assertEqual(4 * local["params"]["d"], config["m.value"], "and its value next to it")

    def test_history_keeps_steps_times_and_non_finite_points(self):
        trials = self.trials()
        for run_id, rec in self.recorded.runs.items():
            m = self.mlflow_runs[run_id]
            trial_id = m.data.tags.get("ablate.trial_id")
            rows = self.recorded.history[run_id]
            if trial_id is None:
                continue
            points = [json.loads(line) for line in (RESULTS / trial_id / "metrics.jsonl").read_text().splitlines()]
            self.assertEqual(sorted({p["step"] for p in points}), sorted(r["_step"] for r in rows), trial_id)
            by_step = {r["_step"]: r for r in rows}
            for p in points:
                got = by_step[p["step"]][p["name"]]
                if p["value"] in ("Infinity", "-Infinity", "NaN"):
                    # Ablate sends ±Infinity as NaN (MLflow's SQL store would make it 1.8e308): NaN arrives
                    self.assertTrue(isinstance(got, str) and got == "NaN" or isinstance(got, float) and math.isnan(got), got)
                else:
                    self.assertAlmostEqual(p["value"], got)
                self.assertAlmostEqual(p["timestamp"] / 1000, by_step[p["step"]]["_timestamp"], delta=0.5)
            sign = m.data.tags.get("ablate.infinite.train/ratio")
            self.assertEqual("+Infinity", sign, "the sign of the infinite point is in the tags")
            if trials[trial_id]["state"] == "FINISHED":
                self.assertIn("summary/rows", self.recorded.summary[run_id])

    def test_each_run_files_are_one_artifact_named_after_the_run_id(self):
        for run_id in self.recorded.runs:
            arts = self.recorded.artifacts[run_id]
            self.assertEqual(["mlflow-" + run_id], [a.name for a in arts])
            paths = {e.path for e in arts[0].manifest.contents}
            if self.mlflow_runs[run_id].data.tags.get("ablate.role") == "trial":
                self.assertTrue({"config.json", "status", "trial.log"} <= paths, paths)


class FailedRunTest(unittest.TestCase):
    """A run the importer cannot send is named and fails the import (import_runs would swallow it)."""

    def test_a_failing_run_is_reported_and_the_others_still_go(self):
        recorded = Recorded().install(self.addCleanup)
        client = MlflowClient(URI)
        runs = client.search_runs([client.get_experiment_by_name(EXPERIMENT).experiment_id])
        victim = sorted(r.info.run_id for r in runs)[0]
        original = SendManager.send_run

        def refuse(sm, record, file_dir=None):
            if record.run.run_id == victim:
                raise ValueError("refused by the test\nsecond line")
            original(sm, record, file_dir)

        SendManager.send_run = refuse
        cwd = os.getcwd()
        os.chdir(tempfile.mkdtemp(dir=os.environ.get("ABLATE_TEST_WORKDIR")))
        self.addCleanup(os.chdir, cwd)
        os.environ["WANDB_API_KEY"] = "x" * 40
        import contextlib
        import io
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = load_script().main(["--mlflow-uri", URI, "--experiment", EXPERIMENT, "--entity", "e", "--no-artifacts"])
        self.assertEqual(1, code)
        lines = [line for line in err.getvalue().splitlines() if line.startswith("mlflow-to-wandb:")]
        self.assertEqual(1, len(lines), err.getvalue())
        self.assertIn(f"run {victim} ", lines[0])
        self.assertTrue(lines[0].endswith("ValueError: refused by the test"), lines[0])
        self.assertEqual(len(runs) - 1, len(recorded.runs), "the other runs still imported")
        self.assertEqual({EXPERIMENT}, {r.project for r in recorded.runs.values()}, "project defaults to the experiment")

    def test_every_page_of_the_search_is_read(self):
        client = MlflowClient(URI)
        experiment_id = client.get_experiment_by_name(EXPERIMENT).experiment_id
        ids = [r.info.run_id for r in load_script().runs_of(client, experiment_id, page_size=2)]
        self.assertEqual(7, len(ids), "four pages of two")
        self.assertEqual(7, len(set(ids)))

    def test_an_unknown_experiment_is_one_line_and_exit_2(self):
        import contextlib
        import io
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = load_script().main(["--mlflow-uri", URI, "--experiment", "no-such-experiment-x", "--entity", "e"])
        self.assertEqual(2, code)
        self.assertEqual(f"mlflow-to-wandb: error: no MLflow experiment 'no-such-experiment-x' at {URI}", err.getvalue().strip())


if __name__ == "__main__":
    unittest.main()
