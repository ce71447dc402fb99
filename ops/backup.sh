#!/usr/bin/env bash
# Back up the portal's PostgreSQL database (DATABASE_URL) to one custom-format dump file.
#   ops/backup.sh [FILE]    default: var/backups/portal-<UTC time>.dump
# The dump is written beside FILE first and renamed when complete, so FILE is never a half-written backup.
set -euo pipefail

: "${DATABASE_URL:?Set DATABASE_URL to the database to back up (postgres://user:password@host:port/name)}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup: DATABASE_URL is not a PostgreSQL address; pg_dump cannot back it up" >&2; exit 2 ;;
esac

file="${1:-var/backups/portal-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$file")"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

# Custom format: compressed, and pg_restore can restore it into any new database, in one transaction.
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$partial"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$file"
echo "$file"
