"""sqladvise with its worker processes started as on Windows: spawned, each a fresh interpreter
handed the catalogs, where Linux forks them. The tests run it through conftest.sqladvise."""

import multiprocessing
import sys

if __name__ == "__main__":
    spawn = multiprocessing.get_context("spawn")
    multiprocessing.get_all_start_methods = lambda: ["spawn"]
    multiprocessing.get_context = lambda method=None: spawn
    from advisor.cli import main

    sys.argv[0] = "sqladvise"
    main()
