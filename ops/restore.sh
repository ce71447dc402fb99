#!/usr/bin/env bash
# Restore a dump made by ops/backup.sh into a NEW database on the server of DATABASE_URL.
#   ops/restore.sh FILE NEW_DATABASE
# It never writes over a database: if NEW_DATABASE exists it stops. Point DATABASE_URL at the new database
# (and check it: manage.py migrate --check) before sending the portal's traffic to it.
set -euo pipefail

file="${1:?Usage: ops/restore.sh FILE NEW_DATABASE}"
name="${2:?Usage: ops/restore.sh FILE NEW_DATABASE}"
: "${DATABASE_URL:?Set DATABASE_URL to any database on the server to restore into}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "restore: DATABASE_URL is not a PostgreSQL address" >&2; exit 2 ;;
esac
if [[ ! "$name" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
  echo "restore: name the new database with lower-case letters, digits and underscores" >&2
  exit 2
fi

# The same server and credentials, another database: the address up to its last "/" (any ?options dropped).
server="${DATABASE_URL%%\?*}"
server="${server%/*}"

pg_restore --list "$file" >/dev/null
psql --quiet --no-psqlrc --set ON_ERROR_STOP=1 --dbname="$server/postgres" \
  --command="CREATE DATABASE \"$name\" TEMPLATE template0 ENCODING 'UTF8'"
# One transaction: a restore that fails part way leaves an empty database, never a half-restored one.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$server/$name" "$file"
echo "Restored $file into the new database $name; point DATABASE_URL at it and run: manage.py migrate --check"
