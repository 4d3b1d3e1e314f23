"""Shared fixtures: the fixture corpus, the onrecord CLI, a local Spark session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parent.parent


def _find_cli():
    env = os.environ.get("ONRECORD_BIN")
    if env:
        return env if Path(env).is_file() else None
    candidates = []
    if os.environ.get("CARGO_TARGET_DIR"):
        candidates.append(Path(os.environ["CARGO_TARGET_DIR"]) / "release" / "onrecord")
    candidates.append(REPO / "target" / "release" / "onrecord")
    for c in candidates:
        if c.is_file():
            return str(c)
    return shutil.which("onrecord")


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def cli():
    """A function running the onrecord CLI: cli(*args) -> stdout (str)."""
    exe = _find_cli()
    if exe is None:
        pytest.skip(
            "the onrecord CLI was not found: set ONRECORD_BIN, or build it with "
            "`cargo build --release -p onrecord` (scripts/python-test.sh does)"
        )

    def run(*args, check=True):
        proc = subprocess.run(
            [exe, *map(str, args)], capture_output=True, text=True, encoding="utf-8"
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"onrecord {' '.join(map(str, args))}: {proc.stderr}")
        return proc.stdout

    run.exe = exe
    return run


@pytest.fixture(scope="session")
def cli_jsonl(cli):
    """cli_jsonl(*paths) -> list of onrecord/1 dicts, as `onrecord extract -f jsonl` prints."""

    def run(*paths):
        out = cli("extract", "--format", "jsonl", *paths)
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    return run


def _spark_unavailable():
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install pyspark; scripts/python-test.sh does)"
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and Path(java_home, "bin", "java").exists()):
        return "Java was not found: Spark needs a JDK/JRE 17+ (e.g. apt-get install openjdk-17-jre-headless)"
    return None


@pytest.fixture(scope="session")
def spark():
    reason = _spark_unavailable()
    if reason:
        pytest.skip(f"Spark tests skipped: {reason}")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("onrecord-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def spark_unavailable_reason():
    return _spark_unavailable()
