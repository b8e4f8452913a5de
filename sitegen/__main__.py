import sys

from sitegen.cli import entry

if __name__ == "__main__":  # a spawned worker imports this module again, and must not build
    sys.exit(entry())
