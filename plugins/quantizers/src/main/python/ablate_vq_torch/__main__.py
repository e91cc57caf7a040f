"""python3 -m ablate_vq_torch --trial-dir D: run the trial whose task.json is in D (see the package doc).

Exit codes: 0 finished, 2 a parameter or the dataset refused (one line on stderr), 1 the run failed.
"""
import argparse
import pathlib
import sys


def _client():
    try:
        import ablate_client
    except ImportError:
        # run from a checkout: the framework's client sits in framework/spi/src/main/python
        here = pathlib.Path(__file__).resolve()
        for parent in here.parents:
            candidate = parent / "framework" / "spi" / "src" / "main" / "python"
            if (candidate / "ablate_client.py").is_file():
                sys.path.insert(0, str(candidate))
                break
        import ablate_client
    return ablate_client


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m ablate_vq_torch", description=__doc__.splitlines()[0])
    ap.add_argument("--trial-dir", help="the trial folder holding task.json (default: $ABLATE_TRIAL_DIR)")
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], help="overrides the task's device parameter")
    args = ap.parse_args(argv)
    try:
        client = _client()
    except ImportError:
        print("ablate_vq_torch: the framework's ablate_client module is not importable: put "
              "framework/spi/src/main/python on PYTHONPATH or pip install it", file=sys.stderr)
        return 2
    from . import train
    from .data import DatasetUnavailable
    from .quantizers import ConfigError
    try:
        trial = client.Trial.from_dir(args.trial_dir) if args.trial_dir else client.Trial.from_env()
    except (OSError, ValueError, KeyError) as e:
        print(f"ablate_vq_torch: cannot read the trial folder's task.json: {e}", file=sys.stderr)
        return 2
    try:
        train.run(trial, args.device)
    except (ConfigError, DatasetUnavailable) as e:
        print(f"ablate_vq_torch: {e}", file=sys.stderr)
        return 2
    except train.NonFiniteLoss as e:
        print(f"ablate_vq_torch: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
