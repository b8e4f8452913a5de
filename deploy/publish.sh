#!/usr/bin/env bash
# Publish a built site with an atomic switch: readers see the old site or the new one, never a mix.
#
#   deploy/publish.sh BUILD_DIR DEST
#
#   BUILD_DIR  what `sitegen build . -o build` made, e.g. build
#   DEST       the releases folder on the web server, as rsync names it:
#              deploy@www.example-hospital.cn:/var/www/hospital/dangjian-releases   (over ssh)
#              /var/www/hospital/dangjian-releases                                  (this machine)
#
# In DEST it uploads BUILD_DIR to releases/<UTC time>/ (files unchanged since the current release are
# hard links to it, so an upload costs only what changed), then points DEST/current at it with one
# rename(2). `ln -sfn` on its own does that only in newer coreutils (9.1 makes a temporary link and
# renames it); older ones, as on CentOS 7, remove the old link first, and a request arriving between
# the two would find no site. Then it deletes all but the newest $KEEP releases (default 5),
# never the current one. nginx's root reaches the site through the link, made once on the server:
#   ln -s /var/www/hospital/dangjian-releases/current /var/www/hospital/dangjian
# To go back one release: point current at the previous folder the same way (see deploy/README.md).
#
# Environment: KEEP (releases to keep, at least 1), RSYNC_RSH (the remote shell rsync and this script
# use, default ssh; deploy/ci.yml sets up the key in ~/.ssh/config). Needs bash, rsync and GNU
# coreutils here, and rsync, coreutils and a POSIX sh on the server.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR DEST   (DEST: [user@]host:/path or /path)" >&2
  exit 2
fi
build=$1
dest=$2
keep=${KEEP:-5}
rsh=${RSYNC_RSH:-ssh}
case $keep in '' | *[!0-9]* | 0) echo "KEEP must be a whole number of releases, at least 1: '$keep'" >&2; exit 2 ;; esac
if [ ! -f "$build/index.html" ]; then
  echo "$build/index.html not found: build the site first (sitegen build . -o $build)" >&2
  exit 1
fi

# host:path (rsync's remote syntax; a path with a slash before its first colon is local).
case $dest in
  /* | ./* | ../*) host='' path=$dest ;;
  *:*) host=${dest%%:*} path=${dest#*:} ;;
  *) host='' path=$dest ;;
esac

# Runs a shell command where the releases live. Every value is passed single-quoted, so a path with
# spaces (or anything else) reaches the server's shell as one word.
there() {
  if [ -n "$host" ]; then
    # shellcheck disable=SC2086  # RSYNC_RSH is a command line, split into words as rsync splits it
    $rsh "$host" "$1"
  else
    sh -c "$1"
  fi
}
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

release=$(date -u +%Y%m%dT%H%M%S.%NZ)   # sorts by age; two publishes within a second still differ
p=$(q "$path")
there "mkdir -p $p/releases"
previous=$(there "readlink $p/current || true")

link_dest=()
if [ -n "$previous" ]; then
  link_dest=(--link-dest="../${previous#releases/}")   # relative to the new release folder
fi
# Files are compared by content (--checksum), not by size and time: a CI build writes every file anew,
# and a changed page of the same size written within the same second would pass for unchanged.
# --no-times: an unchanged file is linked only if all its kept attributes match, the time included;
# without it, it keeps the time it was first published with that content (nginx's ETag stays the same).
# shellcheck disable=SC2086
rsync -a --no-times --checksum --delete "${link_dest[@]}" ${host:+-e "$rsh"} "$build/" "$dest/releases/$release/"

# The switch: a new link beside the old one, renamed over it (mv -T: rename(2), atomic).
there "cd $p && ln -sfn $(q "releases/$release") $(q ".current.$release") && mv -T $(q ".current.$release") current"
echo "published: $dest/current -> releases/$release"

# Prune: the newest $keep release folders stay; the one current points at is never removed.
there "cd $p/releases && ls -1 | sort | head -n -$keep | while IFS= read -r old; do
  [ \"releases/\$old\" = \"\$(readlink ../current)\" ] || rm -rf -- \"\$old\"
done"
