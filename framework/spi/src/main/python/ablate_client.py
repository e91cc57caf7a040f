"""Ablate's trial protocol, for programs run by a ``task: command`` experiment (stdlib only).

The framework prepares a trial folder holding ``task.json`` and starts the program with
``ABLATE_TRIAL_DIR`` (and friends) set; the program reads its parameters and writes what it
measured through this module::

    import ablate_client
    t = ablate_client.Trial.from_env()
    lr = t.params["lr"]
    for step in range(t.params["steps"]):
        ...
        t.log(step, {"train/loss": loss})
        t.progress(step + 1, t.params["steps"])
    t.summary({"eval/accuracy": acc})

Records go where ``task.json`` says (``records_dir``, relative to the trial folder): the framework
reads them from there while the program runs and writes the trial's own ``metrics.jsonl`` and
``summary.json`` from them. A folder without ``records_dir`` (a program run on its own against a
prepared folder) gets the records in the trial folder itself, in the Java tasks' formats.
"""

import json
import math
import os
import pathlib
import shutil
import tempfile
import time

__all__ = ["Trial"]

TASK_FILE = "task.json"
METRICS_FILE = "metrics.jsonl"
SUMMARY_FILE = "summary.json"
PROGRESS_FILE = "progress.json"
ARTIFACTS_DIR = "artifacts"


class Trial:
    """One trial: its folder, id, seed, parameters and granted resources, and where it writes."""

    def __init__(self, trial_dir, task):
        self.dir = pathlib.Path(trial_dir).resolve()
        self.id = str(task["trial_id"])
        self.seed = int(task["seed"])
        self.params = dict(task.get("params") or {})
        resources = task.get("resources") or {}
        self.threads = int(resources.get("threads") or 0)
        self.gpus = [str(g) for g in (resources.get("gpus") or [])]
        records = task.get("records_dir")
        self._records = (self.dir / records) if records else self.dir
        self._records.mkdir(parents=True, exist_ok=True)
        self._metrics = self._records / METRICS_FILE

    @classmethod
    def from_env(cls):
        """The trial the framework started this program for (ABLATE_TRIAL_DIR, ABLATE_TASK_FILE)."""
        trial_dir = os.environ.get("ABLATE_TRIAL_DIR")
        if not trial_dir:
            raise RuntimeError("ABLATE_TRIAL_DIR is not set: run this program through Ablate "
                               "(task: command), or use Trial.from_dir(path) on a prepared trial folder")
        task_file = os.environ.get("ABLATE_TASK_FILE") or os.path.join(trial_dir, TASK_FILE)
        return cls(trial_dir, _read_task(task_file))

    @classmethod
    def from_dir(cls, path):
        """The trial prepared in folder ``path`` (its task.json)."""
        return cls(path, _read_task(os.path.join(path, TASK_FILE)))

    def log(self, step, values):
        """Appends one point per metric at ``step`` (names use '/' namespaces: ``train/loss``)."""
        _check_parent()
        step = _step(step)
        if not isinstance(values, dict):
            raise TypeError("values must be a dict of metric name to number, got %s" % type(values).__name__)
        now = int(time.time() * 1000)
        lines = []
        for name, value in values.items():
            if not isinstance(name, str) or not name:
                raise ValueError("a metric name must be a non-empty string, got %r" % (name,))
            lines.append(_metric_line(step, name, _number(name, value, finite=False), now))
        # one write of whole lines: a reader following the file never sees half a point
        with open(self._metrics, "a", encoding="utf-8") as out:
            out.write("".join(lines))

    def progress(self, done, total, message=None):
        """How far the trial is (shown by ``ablate run`` as its bar)."""
        _check_parent()
        record = {"done": _step(done), "total": _step(total)}
        if message is not None:
            record["message"] = str(message)
        _write_atomically(self._records / PROGRESS_FILE, json.dumps(record, separators=(",", ":")) + "\n")

    def summary(self, values):
        """The trial's final values; every call adds to (and may replace) earlier ones. NaN/inf raise ValueError."""
        if not isinstance(values, dict):
            raise TypeError("values must be a dict of metric name to number, got %s" % type(values).__name__)
        checked = {}
        for name, value in values.items():
            if not isinstance(name, str) or not name:
                raise ValueError("a summary name must be a non-empty string, got %r" % (name,))
            checked[name] = _number(name, value, finite=True)
        merged = self._read_summary()
        merged.update(checked)
        _write_atomically(self._records / SUMMARY_FILE, _summary_json(merged))

    def artifact(self, src_path, name=None):
        """Copies a file into the trial's artifacts folder (as ``name``, default its file name); returns the copy's path."""
        src = pathlib.Path(src_path)
        target = self.artifact_path(name if name is not None else src.name)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix="." + target.name + ".")
        try:
            with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
                shutil.copyfileobj(inp, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            _remove_quietly(tmp)
            raise
        return target

    def artifact_path(self, name):
        """A path inside the artifacts folder (its parent folders made) for the program to write itself."""
        base = (self.dir / ARTIFACTS_DIR).resolve()
        target = (base / name).resolve()
        if base not in target.parents:
            raise ValueError("artifact name %r must stay inside the artifacts folder" % (name,))
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def _read_summary(self):
        path = self._records / SUMMARY_FILE
        if not path.exists():
            return {}
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    def __repr__(self):
        return "Trial(id=%r, seed=%r, dir=%r)" % (self.id, self.seed, str(self.dir))


def _check_parent():
    """Stops a program whose framework process died (kill -9 leaves no one to stop it): its trial is lost anyway."""
    parent = os.environ.get("ABLATE_PARENT_PID")
    if not parent or not parent.isdigit():
        return
    try:
        os.kill(int(parent), 0)  # signal 0: only asks whether it exists (a wrapper script may sit between us)
    except ProcessLookupError:
        raise SystemExit("ablate_client: the framework process %s that runs this trial has gone; stopping" % parent)
    except OSError:
        pass  # exists, but is not ours to signal


def _read_task(path):
    try:
        with open(path, encoding="utf-8") as f:
            task = json.load(f)
    except FileNotFoundError:
        raise FileNotFoundError("%s: no task file (a trial folder prepared by Ablate holds one)" % path) from None
    for key in ("trial_id", "seed"):
        if key not in task:
            raise ValueError("%s: the task file has no '%s'" % (path, key))
    return task


def _step(value):
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise TypeError("a step must be an integer, got %r" % (value,))
    return value


def _number(name, value, finite):
    if isinstance(value, bool):
        raise TypeError("%s: expected a number, got a boolean" % name)
    try:
        number = float(value)  # numpy and torch scalars convert too
    except (TypeError, ValueError):
        raise TypeError("%s: expected a number, got %r" % (name, value)) from None
    if math.isfinite(number):
        return number
    if finite:
        raise ValueError("%s is %r: a summary value must be finite" % (name, number))
    # as the Java tasks write them: strings, so the line stays valid JSON
    return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")


def _java_double(x):
    """``x`` as Java's Double.toString lays it out (plain for 1e-3 <= |x| < 1e7, else d.dddE±n).

    The digits are the shortest that read back as ``x``; Java 17 writes a few values with more
    (4.9E-324 for 5e-324): the text differs there, never the number read back.
    """
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    sign = "-" if x < 0 else ""
    digits, exponent = _shortest_digits(abs(x))
    if 1e-3 <= abs(x) < 1e7:
        point = exponent + 1  # digits before the decimal point
        if point <= 0:
            text = "0." + "0" * (-point) + digits
        elif point >= len(digits):
            text = digits + "0" * (point - len(digits)) + ".0"
        else:
            text = digits[:point] + "." + digits[point:]
        return sign + text
    mantissa = digits[0] + "." + (digits[1:] or "0")
    return sign + mantissa + "E" + str(exponent)


def _shortest_digits(x):
    """The shortest decimal digits that read back as ``x`` (repr's), and the exponent of the first."""
    mantissa, _, exp = ("%r" % x).partition("e")
    whole, _, frac = mantissa.partition(".")
    exponent = int(exp) if exp else 0
    digits = (whole + frac).lstrip("0")
    exponent += len(whole) - 1 - (len(whole + frac) - len((whole + frac).lstrip("0")))
    return digits.rstrip("0") or "0", exponent


def _metric_line(step, name, value, timestamp):
    """A metrics.jsonl line as the Java tasks write it (compact, fields in this order)."""
    text = json.dumps(value) if isinstance(value, str) else _java_double(value)
    return '{"step":%d,"name":%s,"value":%s,"timestamp":%d}\n' % (step, _json_string(name), text, timestamp)


def _json_string(text):
    return json.dumps(text, ensure_ascii=False)


def _summary_json(values):
    """summary.json as the Java tasks write it (Jackson's default pretty printer)."""
    if not values:
        return "{ }\n"
    body = ",\n".join("  %s : %s" % (_json_string(k), _java_double(float(v))) for k, v in values.items())
    return "{\n" + body + "\n}\n"


def _write_atomically(path, text):
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        _remove_quietly(tmp)
        raise


def _remove_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass
