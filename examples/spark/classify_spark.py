#!/usr/bin/env python3
"""Classify a JSONL data set on Apache Spark: every partition is piped through `earful classify`.

usage: python3 examples/spark/classify_spark.py [--master URL] [--earful PATH]
           [--partitions N] INPUT OUTPUT_DIR [-- EARFUL_ARGS...]

INPUT is a JSONL file or folder (anything `SparkContext.textFile` reads: a local path,
hdfs://, s3a://); OUTPUT_DIR is written by `saveAsTextFile` (part-00000, part-00001, ...) and
must not exist. EARFUL_ARGS is the stage and its flags, `classify --threads 1` by default: Spark
runs one task per core, so each earful process keeps to one thread. Any line stage works the
same way (`filter --queries q.toml`, `route --routes teams.toml`), and so does
`stats --partial` (merge the parts with `earful stats --merge`); report and network aggregate
the whole input and do not (see docs/scaling.md).

`RDD.pipe` starts one earful process per partition and feeds it the partition's lines; a stage
that exits non-zero (a malformed line is exit 1) fails the task, so nothing is lost silently.
"""
import argparse
import os
import shlex
import shutil
import sys

from pyspark import SparkConf, SparkContext


def main():
    argv = sys.argv[1:]
    earful_args = ["classify", "--threads", "1"]
    if "--" in argv:
        at = argv.index("--")
        argv, earful_args = argv[:at], argv[at + 1 :]
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--master", default="local[*]", help="Spark master (default local[*])")
    p.add_argument(
        "--earful",
        default=shutil.which("earful") or "earful",
        help="the earful binary as the executors see it (default: earful on PATH)",
    )
    p.add_argument("--partitions", type=int, help="minimum number of input partitions")
    a = p.parse_args(argv)

    earful = os.path.abspath(a.earful) if os.path.exists(a.earful) else a.earful
    command = shlex.join([earful, "-q", *earful_args])
    conf = SparkConf().setAppName("earful " + " ".join(earful_args)).setMaster(a.master)
    sc = SparkContext(conf=conf)
    sc.setLogLevel("WARN")
    try:
        lines = sc.textFile(a.input, a.partitions) if a.partitions else sc.textFile(a.input)
        lines.pipe(command, checkCode=True).saveAsTextFile(a.output)
        print(f"{a.output}: {lines.getNumPartitions()} partitions through `{command}`", file=sys.stderr)
    finally:
        sc.stop()


if __name__ == "__main__":
    main()
