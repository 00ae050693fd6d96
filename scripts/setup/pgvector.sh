#!/usr/bin/env bash
# Builds and installs pgvector for the local PostgreSQL server from Debian's source
# package, when it is not installed yet. Needs root (apt-get, make install).
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_CONFIG="$PG_BIN/pg_config"
[ -x "$PG_CONFIG" ] || { echo "pgvector: no pg_config at $PG_CONFIG (is PostgreSQL installed? set PG_BIN)" >&2; exit 1; }
MAJOR=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
SHAREDIR=$("$PG_CONFIG" --sharedir)
if [ -f "$SHAREDIR/extension/vector.control" ]; then
  echo "pgvector: already installed ($(grep default_version "$SHAREDIR/extension/vector.control"))"
  exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "pgvector: not installed for PostgreSQL $MAJOR; building it from Debian's source package"
# The same mirror as the machine's own apt sources; trixie carries pgvector's source.
MIRROR=$( (grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true) | grep -v security | head -n1 | tr -d ' ')
MIRROR=${MIRROR:-http://deb.debian.org/debian}
LIST=/etc/apt/sources.list.d/momentsearch-pgvector-src.list
echo "deb-src ${MIRROR%/} trixie main" | $SUDO tee "$LIST" >/dev/null
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq -o Dir::Etc::sourcelist="$LIST" -o Dir::Etc::sourceparts="-" -o APT::Get::List-Cleanup="0"
dpkg -s "postgresql-server-dev-$MAJOR" >/dev/null 2>&1 || { $SUDO apt-get update -qq; $SUDO apt-get install -y -qq "postgresql-server-dev-$MAJOR" make gcc >/dev/null; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; $SUDO rm -f "$LIST"' EXIT
cd "$WORK"
apt-get source -qq --download-only pgvector >/dev/null 2>&1 || apt-get source --download-only pgvector
tar xf pgvector_*.orig.tar.* 
cd pgvector-*/
make -s PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >/dev/null
$SUDO make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
echo "pgvector: installed $(grep default_version "$SHAREDIR/extension/vector.control")"
