"""`python -m thidua` runs the command line."""

import sys

from thidua.cli import main

sys.exit(main())
