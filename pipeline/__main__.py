"""``python -m pipeline`` runs the svcdesc CLI."""

import sys

from pipeline.cli import main

sys.exit(main())
