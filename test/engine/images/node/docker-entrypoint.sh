#!/bin/sh
set -e
# Like the official image: a first argument that is a flag, not a command on
# PATH, or a non-executable file is treated as arguments to node.
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
