#!/bin/sh
# Exports each secret compose mounts as /run/secrets/<VARIABLE> (WELFARE_DATABASE_URL, GATEWAY_SIGNING_KEY, …)
# as that environment variable, then runs the service: a container holds only the secrets it is given.
set -eu
if [ -d /run/secrets ]; then
  for file in /run/secrets/*; do
    [ -f "$file" ] || continue
    name=$(basename "$file")
    case "$name" in
      *[!A-Z0-9_]* | [0-9]*) continue ;;
    esac
    # Read apart from the export: `export "x=$(cat …)"` carries on with an empty value when cat fails.
    if ! value=$(cat "$file"); then
      echo "cannot read the secret $name ($file): the container's user needs read access to it" >&2
      exit 1
    fi
    export "$name=$value"
  done
fi
exec "$@"
