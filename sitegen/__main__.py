import sys

from sitegen.cli import entry

sys.exit(entry())
