"""Tests of the trial protocol's Python client (run by PythonClientTest, or:
``PYTHONPATH=framework/spi/src/main/python python3 -m unittest discover -s framework/spi/src/test/python``)."""

import json
import math
import os
import pathlib
import tempfile
import unittest
from unittest import mock

import ablate_client


def prepared(folder, records_dir=None, **task):
    body = {"trial_id": "abc123", "seed": 7, "params": {"lr": 0.1, "name": "x"},
            "resources": {"threads": 3, "gpus": ["1", "4"]}}
    if records_dir is not None:
        body["records_dir"] = records_dir
    body.update(task)
    (pathlib.Path(folder) / "task.json").write_text(json.dumps(body), encoding="utf-8")
    return folder


class TrialTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_from_dir_reads_the_task_file(self):
        t = ablate_client.Trial.from_dir(prepared(self.dir))
        self.assertEqual("abc123", t.id)
        self.assertEqual(7, t.seed)
        self.assertEqual({"lr": 0.1, "name": "x"}, t.params)
        self.assertEqual(3, t.threads)
        self.assertEqual(["1", "4"], t.gpus)
        self.assertEqual(self.dir.resolve(), t.dir)

    def test_from_env_needs_the_trial_folder_and_names_the_way_out(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaisesRegex(RuntimeError, "ABLATE_TRIAL_DIR is not set.*Trial.from_dir"):
                ablate_client.Trial.from_env()
        prepared(self.dir)
        with mock.patch.dict(os.environ, {"ABLATE_TRIAL_DIR": str(self.dir)}, clear=True):
            self.assertEqual("abc123", ablate_client.Trial.from_env().id)

    def test_a_folder_without_a_task_file_is_named(self):
        with self.assertRaisesRegex(FileNotFoundError, "task.json: no task file"):
            ablate_client.Trial.from_dir(self.dir)

    def test_metric_lines_are_written_as_the_java_tasks_write_them(self):
        t = ablate_client.Trial.from_dir(prepared(self.dir))
        with mock.patch("time.time", return_value=1700000000.123):
            t.log(0, {"train/loss": 0.5, "a": 1e-05, "b": 1e7, "c": 1234567.0, "d": 0.001, "e": 3})
            t.log(1.0, {"nan": float("nan"), "inf": float("inf"), "ninf": -math.inf, "neg": -2.5e-10, "zero": 0.0})
        lines = (self.dir / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
        # the right-hand sides are what Jackson (Double.toString) writes for the same doubles
        self.assertEqual([
            '{"step":0,"name":"train/loss","value":0.5,"timestamp":1700000000123}',
            '{"step":0,"name":"a","value":1.0E-5,"timestamp":1700000000123}',
            '{"step":0,"name":"b","value":1.0E7,"timestamp":1700000000123}',
            '{"step":0,"name":"c","value":1234567.0,"timestamp":1700000000123}',
            '{"step":0,"name":"d","value":0.001,"timestamp":1700000000123}',
            '{"step":0,"name":"e","value":3.0,"timestamp":1700000000123}',
            '{"step":1,"name":"nan","value":"NaN","timestamp":1700000000123}',
            '{"step":1,"name":"inf","value":"Infinity","timestamp":1700000000123}',
            '{"step":1,"name":"ninf","value":"-Infinity","timestamp":1700000000123}',
            '{"step":1,"name":"neg","value":-2.5E-10,"timestamp":1700000000123}',
            '{"step":1,"name":"zero","value":0.0,"timestamp":1700000000123}',
        ], lines)

    def test_records_go_to_the_records_folder_the_task_file_names(self):
        t = ablate_client.Trial.from_dir(prepared(self.dir, records_dir="scratch/program"))
        t.log(0, {"x": 1.0})
        t.summary({"y": 2.0})
        t.progress(1, 4, "warming up")
        records = self.dir / "scratch" / "program"
        self.assertTrue((records / "metrics.jsonl").is_file())
        self.assertFalse((self.dir / "metrics.jsonl").exists())
        self.assertEqual({"done": 1, "total": 4, "message": "warming up"},
                         json.loads((records / "progress.json").read_text()))

    def test_bad_metric_values_are_refused_before_anything_is_written(self):
        t = ablate_client.Trial.from_dir(prepared(self.dir))
        with self.assertRaisesRegex(TypeError, "loss: expected a number"):
            t.log(0, {"ok": 1.0, "loss": "low"})
        with self.assertRaisesRegex(TypeError, "step must be an integer"):
            t.log(0.5, {"ok": 1.0})
        with self.assertRaisesRegex(TypeError, "boolean"):
            t.log(0, {"flag": True})
        self.assertFalse((self.dir / "metrics.jsonl").exists())

    def test_the_summary_is_written_atomically_in_the_java_format_and_refuses_non_finite_values(self):
        t = ablate_client.Trial.from_dir(prepared(self.dir))
        t.summary({"eval/accuracy": 0.875, "tiny": 1.5e-12})
        t.summary({"big": 12345678.0, "eval/accuracy": 0.9})
        self.assertEqual('{\n  "eval/accuracy" : 0.9,\n  "tiny" : 1.5E-12,\n  "big" : 1.2345678E7\n}\n',
                         (self.dir / "summary.json").read_text(encoding="utf-8"))
        for bad in (float("nan"), float("inf"), -float("inf")):
            with self.assertRaisesRegex(ValueError, "must be finite"):
                t.summary({"loss": bad})
        self.assertNotIn("loss", json.loads((self.dir / "summary.json").read_text()))
        self.assertEqual([], [p.name for p in self.dir.iterdir() if p.name.startswith(".")], "no temporary file left")

    def test_artifacts_are_copied_in_and_paths_stay_inside_the_artifacts_folder(self):
        t = ablate_client.Trial.from_dir(prepared(self.dir))
        src = self.dir / "model.bin"
        src.write_bytes(b"\x00\x01weights")
        copy = t.artifact(src)
        self.assertEqual(self.dir.resolve() / "artifacts" / "model.bin", copy)
        self.assertEqual(b"\x00\x01weights", copy.read_bytes())
        self.assertEqual(b"\x00\x01weights", t.artifact(src, "checkpoints/last.bin").read_bytes())
        direct = t.artifact_path("plots/loss.txt")
        self.assertTrue(direct.parent.is_dir())
        direct.write_text("ok")
        for escape in ("../outside", "/etc/passwd", "a/../../b"):
            with self.assertRaisesRegex(ValueError, "inside the artifacts folder"):
                t.artifact_path(escape)

    def test_a_program_whose_framework_process_died_stops_at_its_next_report(self):
        t = ablate_client.Trial.from_dir(prepared(self.dir))
        with mock.patch.dict(os.environ, {"ABLATE_PARENT_PID": str(2 ** 22 + 12345)}):
            with self.assertRaisesRegex(SystemExit, "has gone"):
                t.log(0, {"x": 1.0})
        with mock.patch.dict(os.environ, {"ABLATE_PARENT_PID": str(os.getpid())}):
            t.log(0, {"x": 1.0})


class JavaDoubleTest(unittest.TestCase):

    def test_layout_matches_double_to_string(self):
        cases = {0.1: "0.1", 100.0: "100.0", 0.30000000000000004: "0.30000000000000004", 1e-3: "0.001",
                 9.999e-4: "9.999E-4", 1e21: "1.0E21", 123456.789: "123456.789", -0.0: "-0.0",
                 1.7976931348623157e308: "1.7976931348623157E308"}
        for value, java in cases.items():
            self.assertEqual(java, ablate_client._java_double(value), value)


if __name__ == "__main__":
    unittest.main()
