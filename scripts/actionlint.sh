#!/usr/bin/env bash
# Build (or reuse) actionlint, the linter for GitHub Actions workflows, used by
# tests/unit/workflows.test.ts on examples/github-actions/*.yml.
#
#   bash scripts/actionlint.sh            # prints the binary's absolute path as its LAST line
#   "$(bash scripts/actionlint.sh | tail -n 1)" examples/github-actions/*.yml
#
# Everything else (progress, warnings) goes to stderr.
#
# Version: PULUMI_MODE_ACTIONLINT_VERSION (default below: the newest version the Go
# module proxy served when this was written, `go list -m -versions github.com/rhysd/actionlint`).
#
# Where (beside the engine of scripts/engine.sh):
#   ${PULUMI_MODE_ACTIONLINT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-mode/actionlint}/<version>/actionlint
# The binary only ever appears complete (built in a temp dir, then renamed), and a
# flock on <cache>/.lock keeps concurrent runs from building twice.
#
# An `actionlint` already on PATH is reused when `actionlint -version` reports the
# wanted version.
#
# How it is built (Go only): `go install github.com/rhysd/actionlint/cmd/actionlint@<version>`
# with GOBIN set to a temp dir, CGO_ENABLED=0, -trimpath, GOTOOLCHAIN=local.
# actionlint runs shellcheck on `run:` scripts (and pyflakes on python ones) only
# when those are on PATH; this script installs neither.
set -euo pipefail

log() { printf '[actionlint] %s\n' "$*" >&2; }
die() {
	printf '[actionlint] ERROR: %s\n' "$*" >&2
	exit 1
}

MODULE=github.com/rhysd/actionlint
RAW_VERSION="${PULUMI_MODE_ACTIONLINT_VERSION:-v1.7.12}"
VERSION="v${RAW_VERSION#v}"
CACHE_ROOT="${PULUMI_MODE_ACTIONLINT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-mode/actionlint}"

# 1. An actionlint on PATH at exactly the wanted version.
if path_bin="$(command -v actionlint 2>/dev/null)"; then
	path_version="$(actionlint -version 2>/dev/null | head -n1 || true)"
	if [ "v${path_version#v}" = "$VERSION" ]; then
		log "using $path_bin ($path_version)"
		printf '%s\n' "$(cd "$(dirname "$path_bin")" && pwd)/$(basename "$path_bin")"
		exit 0
	fi
	log "ignoring $path_bin: its version is '$path_version', not $VERSION"
fi

mkdir -p "$CACHE_ROOT/$VERSION"
CACHE_ROOT="$(cd "$CACHE_ROOT" && pwd)"
FINAL="$CACHE_ROOT/$VERSION/actionlint"

# 2. The cache (checked before taking the lock: a complete binary never changes).
if [ -x "$FINAL" ]; then
	printf '%s\n' "$FINAL"
	exit 0
fi

# 3. Build, serialised with concurrent runs (the second one waits, then finds the cache).
if command -v flock >/dev/null 2>&1; then
	exec 9>"$CACHE_ROOT/.lock"
	if ! flock -n 9; then
		log "another actionlint build holds $CACHE_ROOT/.lock; waiting"
		flock 9
	fi
else
	log "flock not found; not locking $CACHE_ROOT"
fi
if [ -x "$FINAL" ]; then
	printf '%s\n' "$FINAL"
	exit 0
fi

command -v go >/dev/null 2>&1 || die "go is not on PATH; it is needed to build actionlint"
rm -rf "$CACHE_ROOT/$VERSION"/.bin.*
tmp="$(mktemp -d "$CACHE_ROOT/$VERSION/.bin.XXXXXX")" || die "mktemp failed in $CACHE_ROOT/$VERSION"
log "building $MODULE/cmd/actionlint@$VERSION from the Go module proxy"
start=$SECONDS
GOBIN="$tmp" nice -n 10 env GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
	go install -trimpath "$MODULE/cmd/actionlint@$VERSION" >&2 ||
	die "go install $MODULE/cmd/actionlint@$VERSION failed (is the version served by the proxy? is Go new enough?)"
"$tmp/actionlint" -version >/dev/null || die "the built actionlint does not run"
mv "$tmp/actionlint" "$FINAL" || die "cannot move $tmp/actionlint to $FINAL"
rm -rf "$tmp"
log "actionlint $VERSION ready in $((SECONDS - start))s"
printf '%s\n' "$FINAL"
