"""Writes offline W&B runs (offline-run-* folders, for `wandb sync`) with the official wandb library.

Run by `ablate export wandb`, which reads the results store and sends this script a manifest on
stdin (JSON): {"project", "out", "runs": [{"id", "name", "group", "job_type", "notes", "tags",
"config", "history": [{"step", "timestamp" (ms), "values"}], "summary", "exit_code",
"files": {run path: local file}, "fingerprint"}]}. Numbers that are not finite come as the
strings "NaN", "Infinity", "-Infinity" and are logged as the floats, which W&B keeps as such.

Idempotent: the run id is the trial id, and a trial whose exported folder holds the same
fingerprint is left as it is (with its `wandb sync` marker); a changed one replaces its old folder,
so the output never holds two folders of one run. Exit: 0 written, 6 the output folder cannot be
written, 7 the wandb package is missing.
"""
import glob
import json
import math
import os
import shutil
import sys
import tempfile

FINGERPRINT = "ablate-export.sha256"
NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def number(v):
    return NON_FINITE.get(v, v) if isinstance(v, str) else v


def settings(wandb):
    """Offline, and none of what wandb would capture about this exporter's own process (its pip
    list, host metadata, console, git): the run describes the trial, recorded in its config."""
    base = dict(mode="offline", console="off", save_code=False, disable_git=True, disable_job_creation=True, silent=True)
    for name in ("disable_meta", "disable_stats", "save_requirements"):
        value = name != "save_requirements" and True
        for key in ("_" + name, "x_" + name):  # private settings: 0.18 spells them _x, later releases x_x
            try:
                wandb.Settings(**base, **{key: value})
            except Exception:
                continue
            base[key] = value
            break
    return wandb.Settings(**base)


def existing(out, run_id):
    return sorted(glob.glob(os.path.join(glob.escape(out), "offline-run-*-" + run_id)))


def unchanged(folders, fingerprint):
    if len(folders) != 1:
        return False
    try:
        with open(os.path.join(folders[0], FINGERPRINT)) as f:
            return f.read().strip() == fingerprint
    except OSError:
        return False


def write_run(wandb, project, r, staging):
    run = wandb.init(dir=staging, id=r["id"], project=project, group=r["group"], name=r["name"],
                     job_type=r["job_type"], notes=r["notes"], tags=r["tags"], config=r["config"],
                     settings=settings(wandb), reinit=True)
    for row in r["history"]:
        values = {k: number(v) for k, v in row["values"].items()}
        if row["timestamp"]:
            values["_timestamp"] = row["timestamp"] / 1000  # the recorded time, not the export's
        run.log(values, step=row["step"])
    for k, v in r["summary"].items():
        run.summary[k] = number(v)
    for dest, src in r["files"].items():
        target = os.path.join(run.dir, dest)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(src, target)
        run.save(target, base_path=run.dir, policy="end")
    folder = os.path.dirname(run.dir.rstrip(os.sep))  # run.dir is <folder>/files
    run.finish(exit_code=r["exit_code"])
    for scratch in ("logs", "tmp"):  # wandb's own debug logs of this process; `wandb sync` reads neither
        shutil.rmtree(os.path.join(folder, scratch), ignore_errors=True)
    with open(os.path.join(folder, FINGERPRINT), "w") as f:
        f.write(r["fingerprint"] + "\n")
    return folder


def main():
    try:
        import wandb
        wandb.init  # a folder named wandb on the path imports as an empty namespace package
    except (ImportError, AttributeError):
        print("ablate: error: export wandb needs the wandb Python package, which " + sys.executable
              + " does not have: pip install wandb (or choose the python with --python or ABLATE_WANDB_PYTHON)",
              file=sys.stderr)
        return 7
    m = json.load(sys.stdin)
    out = m["out"]
    try:
        os.makedirs(out, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".staging-", dir=out)
    except OSError as e:
        print(f"ablate: error: cannot write the W&B runs to {out}: {e.strerror}", file=sys.stderr)
        return 6
    written = kept = 0
    try:
        for r in m["runs"]:
            old = existing(out, r["id"])
            if unchanged(old, r["fingerprint"]):
                kept += 1
                continue
            folder = write_run(wandb, m["project"], r, staging)
            target = os.path.join(out, os.path.basename(folder))
            for o in old:
                if o != target:
                    shutil.rmtree(o)
            if os.path.exists(target):  # exported twice within one second
                shutil.rmtree(target)
            os.rename(folder, target)
            written += 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    left = f", {m['not_ended']} not ended (left out)" if m.get("not_ended") else ""
    print(f"{m['project']}: {written} offline W&B run(s) written, {kept} unchanged{left}, in {out}")
    print(f"upload with: wandb sync {os.path.join(out, 'offline-run-*')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
