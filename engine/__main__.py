import sys

from engine.cli import main

if __name__ == "__main__":      # not when a cluster's worker process re-imports it (spawn)
    sys.exit(main())
