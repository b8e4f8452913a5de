#!/usr/bin/env bash
# README Quick start, first command: builds the example site (this repository) into build/ on a fresh
# Debian/Ubuntu. Debian's python3 has neither pip nor venv, and refuses pip installs outside a virtualenv
# (PEP 668), so sitegen goes into ./.venv; python3-venv is installed first when this runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    echo "缺少 python3-venv，请先运行：sudo apt-get install python3-venv (python3-venv is missing)" >&2
    exit 1
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/sitegen build "$@"
