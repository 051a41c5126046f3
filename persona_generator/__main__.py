"""Command line: python -m persona_generator OUT_DIR --rows N [--seed S] [--release usa|original]

`python -m persona_generator --sample` regenerates the bundled sample byte for byte.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from dagster_project.settings import SAMPLES_DIR

from .personas import RELEASE_COLUMNS, write_dataset

SAMPLE_ROWS, SAMPLE_SEED, SAMPLE_ROWS_PER_SHARD = 2000, 20251001, 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", nargs="?", type=Path, help="folder that receives data/train-*.parquet")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--release", choices=sorted(RELEASE_COLUMNS), default="usa")
    parser.add_argument("--rows-per-shard", type=int, default=100_000)
    parser.add_argument("--sample", action="store_true", help="regenerate the bundled sample")
    args = parser.parse_args(argv)
    if args.sample:
        out_dir, rows, seed, per_shard = SAMPLES_DIR / "generated", SAMPLE_ROWS, SAMPLE_SEED, SAMPLE_ROWS_PER_SHARD
        for old in (out_dir / "data").glob("*.parquet"):
            old.unlink()
    elif args.out_dir is None:
        parser.error("give OUT_DIR or --sample")
    else:
        out_dir, rows, seed, per_shard = args.out_dir, args.rows, args.seed, args.rows_per_shard
    started = time.perf_counter()
    paths = write_dataset(out_dir, rows, seed=seed, release=args.release, rows_per_shard=per_shard)
    print(f"wrote {rows} rows in {len(paths)} shard(s) under {out_dir / 'data'} "
          f"in {time.perf_counter() - started:.1f}s")  # fmt: skip


if __name__ == "__main__":
    main()
