"""The bundle's entry point: `lrdesigner` with the command line and the window in one executable."""

import sys

from lrdesigner.cli import main

if __name__ == "__main__":
    sys.exit(main())
