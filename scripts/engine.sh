#!/usr/bin/env bash
# Build (or reuse) the Pulumi engine used by pulumi-mode's end-to-end tests.
#
#   npm run engine          # or: bash scripts/engine.sh
#
# Prints, as the LAST line on stdout, the absolute directory holding
#   pulumi, pulumi-language-nodejs, pulumi-resource-pulumi-nodejs
# Everything else (progress, warnings) goes to stderr.
#
# Version: the engine is built at the version of the installed @pulumi/pulumi
# (node_modules/@pulumi/pulumi/package.json). If the Go module proxy does not
# serve github.com/pulumi/pulumi/pkg/v3 at that version, the newest version in
# PULUMI_MODE_ENGINE_FALLBACK_VERSIONS (space separated, tried in order) is
# built instead, with a loud warning. PULUMI_MODE_ENGINE_VERSION forces a version.
# (When this was written the proxy reachable here served pkg/v3 module zips only up
# to v3.259.0 - hence package.json pins @pulumi/pulumi to 3.259.0 - and served no
# version at all of the upstream language-host module.)
#
# Where:
#   ${PULUMI_MODE_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-mode/engine}/<version>/bin
# A bin dir only ever appears complete (built in a temp dir, then renamed), and
# a flock on <cache>/.lock keeps concurrent runs from building twice.
#
# A `pulumi` already on PATH is reused when `pulumi version` equals the wanted
# version; the language host and the dynamic-provider plugin are then put
# beside it in <cache>/<version>/path-bin.
#
# How it is built (Go only; no other tool needed):
#   * the CLI is package github.com/pulumi/pulumi/pkg/v3/cmd/pulumi. Its module
#     has a local `replace` (sdk/v3 => ../sdk), so `go install pkg@version`
#     refuses it; instead a wrapper module in <cache>/<version>/src requires
#     pkg/v3 and sdk/v3 at the release tag and copies pkg/go.mod's non-local
#     replace lines.
#   * the Node.js language host is testing/engine/pulumi-language-nodejs.go, a
#     small host over sdk/v3's gRPC definitions (the upstream host module
#     github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 is not
#     served by the module proxy reachable here).
#   * release flags: CGO_ENABLED=0, -trimpath, -tags osusergo,grpcnotrace,
#     -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=vX.Y.Z",
#     GOTOOLCHAIN=local.
#   * pulumi-resource-pulumi-nodejs is copied from node_modules/@pulumi/pulumi.
#     It is a shell script that runs
#     `node -e "require.resolve('@pulumi/pulumi/cmd/dynamic-provider')"` from its
#     working directory (the engine starts it in the program directory), so it
#     works when copied as long as the Pulumi program can resolve @pulumi/pulumi.
set -euo pipefail

log() { printf '[engine] %s\n' "$*" >&2; }
die() {
	printf '[engine] ERROR: %s\n' "$*" >&2
	exit 1
}

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SDK_DIR="$REPO_ROOT/node_modules/@pulumi/pulumi"
LANGHOST_SRC="$REPO_ROOT/testing/engine/pulumi-language-nodejs.go"
PLUGIN_SRC="$SDK_DIR/pulumi-resource-pulumi-nodejs"
PKG_MOD=github.com/pulumi/pulumi/pkg/v3
SDK_MOD=github.com/pulumi/pulumi/sdk/v3
VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version

command -v node >/dev/null 2>&1 || die "node is not on PATH"
[ -f "$SDK_DIR/package.json" ] || die "$SDK_DIR is missing: run 'npm ci' first"
[ -f "$PLUGIN_SRC" ] || die "$PLUGIN_SRC is missing"

WANT="v$(node -p "require(process.argv[1]).version" "$SDK_DIR/package.json")"
CACHE_ROOT="${PULUMI_MODE_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-mode/engine}"
FALLBACKS="${PULUMI_MODE_ENGINE_FALLBACK_VERSIONS-v3.259.0}"
if [ -n "${PULUMI_MODE_ENGINE_VERSION:-}" ]; then
	CANDIDATES="v${PULUMI_MODE_ENGINE_VERSION#v}"
else
	CANDIDATES="$WANT $FALLBACKS"
fi
TARGET="${CANDIDATES%% *}"

mkdir -p "$CACHE_ROOT"
CACHE_ROOT="$(cd "$CACHE_ROOT" && pwd)"

# Serialise concurrent runs (the second one waits, then finds the cache).
if command -v flock >/dev/null 2>&1; then
	exec 9>"$CACHE_ROOT/.lock"
	if ! flock -n 9; then
		log "another engine build holds $CACHE_ROOT/.lock; waiting"
		flock 9
	fi
else
	log "flock not found; not locking $CACHE_ROOT"
fi

bin_complete() {
	local d="$1"
	[ -x "$d/pulumi" ] && [ -x "$d/pulumi-language-nodejs" ] && [ -x "$d/pulumi-resource-pulumi-nodejs" ]
}

finish() {
	local dir="$1" version="$2"
	if [ "$version" != "$WANT" ]; then
		log "WARNING: @pulumi/pulumi is $WANT but the engine is $version: the Go module proxy does not serve"
		log "WARNING: $PKG_MOD@$WANT (set PULUMI_MODE_ENGINE_FALLBACK_VERSIONS or PULUMI_MODE_ENGINE_VERSION to change)"
	fi
	log "pulumi $("$dir/pulumi" version 2>/dev/null || echo '?') in $dir"
	printf '%s\n' "$dir"
	exit 0
}

install_plugin() {
	# $1: destination bin dir
	cp "$PLUGIN_SRC" "$1/pulumi-resource-pulumi-nodejs" || die "cannot copy $PLUGIN_SRC"
	chmod 0755 "$1/pulumi-resource-pulumi-nodejs" || die "cannot chmod $1/pulumi-resource-pulumi-nodejs"
}

GO_ENV=(env GOTOOLCHAIN=local CGO_ENABLED=0 "GOFLAGS=-mod=mod -buildvcs=false")
go_build() {
	# $1: version for -X, $2: output, $3: package; runs in the current directory
	nice -n 10 "${GO_ENV[@]}" go build -trimpath -tags osusergo,grpcnotrace \
		-ldflags "-X $VERSION_VAR=$1" -o "$2" "$3"
}

# Writes a wrapper module to $1 for CLI version $2 ("" = language host only, at sdk $3).
write_module() {
	local dir="$1" pkgver="$2" sdkver="$3" gover="1.24" replaces=""
	# NB: build_engine runs in an `if`, where `set -e` is off: every step checks itself.
	mkdir -p "$dir/cmd/pulumi-language-nodejs" || die "cannot create $dir"
	cp "$LANGHOST_SRC" "$dir/cmd/pulumi-language-nodejs/main.go" || die "cannot copy $LANGHOST_SRC"
	if [ -n "$pkgver" ]; then
		local gomod
		gomod="$("${GO_ENV[@]}" go mod download -json "$PKG_MOD@$pkgver" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
		[ -f "$gomod" ] || die "could not fetch go.mod of $PKG_MOD@$pkgver"
		gover="$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$gomod" | head -n1)"
		# Copy replace directives whose target is a module (not a ../local path).
		replaces="$(awk '
			/^replace \(/ { block = 1; next }
			block && /^\)/ { block = 0; next }
			block { line = "replace " $0 } !block && /^replace / { line = $0 }
			line != "" { split(line, p, "=>"); t = p[2]; gsub(/^[ \t]+/, "", t)
				if (t !~ /^\.\.?\//) print line; line = "" }
		' "$gomod")"
	fi
	local have need
	have="$(go env GOVERSION | sed 's/^go//')"
	need="$(printf '%s\n%s\n' "$gover" "$have" | sort -V | tail -n1)"
	if [ "$need" != "$have" ]; then
		die "$PKG_MOD@$pkgver needs go $gover but the installed Go is $have (GOTOOLCHAIN=local)"
	fi
	{
		printf 'module pulumi-mode.local/engine\n\ngo %s\n' "$gover"
		if [ -n "$replaces" ]; then printf '\n%s\n' "$replaces"; fi
	} >"$dir/go.mod" || die "cannot write $dir/go.mod"
	if [ -n "$pkgver" ]; then
		(cd "$dir" && "${GO_ENV[@]}" go get "$PKG_MOD/cmd/pulumi@$pkgver" "$SDK_MOD@$sdkver") >&2 ||
			die "go get $PKG_MOD/cmd/pulumi@$pkgver $SDK_MOD@$sdkver failed"
	else
		(cd "$dir" && "${GO_ENV[@]}" go get "$SDK_MOD@$sdkver") >&2 || die "go get $SDK_MOD@$sdkver failed"
	fi
}

# Build the full engine for $1 into <cache>/$1/bin. Returns 1 if the proxy lacks it.
build_engine() {
	local v="$1" final="$CACHE_ROOT/$1/bin" src="$CACHE_ROOT/$1/src" tmp
	if ! "${GO_ENV[@]}" go mod download "$PKG_MOD@$v" >/dev/null 2>&1; then
		log "the Go module proxy does not serve $PKG_MOD@$v"
		return 1
	fi
	log "building pulumi $v from Go modules (a cold build takes about 7 minutes on 2 cores)"
	# Leftovers of an interrupted build (we hold the lock, so nobody else is building).
	rm -rf "$src" "$CACHE_ROOT/$v"/.bin.*
	write_module "$src" "$v" "$v"
	tmp="$(mktemp -d "$CACHE_ROOT/$v/.bin.XXXXXX")" || die "mktemp failed in $CACHE_ROOT/$v"
	chmod 0755 "$tmp" || die "chmod $tmp failed"
	local start=$SECONDS
	(cd "$src" && go_build "$v" "$tmp/pulumi" "$PKG_MOD/cmd/pulumi") || die "go build of pulumi $v failed"
	log "built pulumi in $((SECONDS - start))s; building the language host"
	(cd "$src" && go_build "$v" "$tmp/pulumi-language-nodejs" ./cmd/pulumi-language-nodejs) ||
		die "go build of pulumi-language-nodejs failed"
	install_plugin "$tmp"
	"$tmp/pulumi" version >/dev/null || die "the built pulumi does not run"
	rm -rf "$final"
	mv "$tmp" "$final" || die "cannot move $tmp to $final"
	log "engine $v ready in $((SECONDS - start))s"
	return 0
}

# 1. A pulumi on PATH at exactly the wanted version (PULUMI_MODE_ENGINE_VERSION, if set).
if path_pulumi="$(command -v pulumi 2>/dev/null)"; then
	path_version="$(PULUMI_SKIP_UPDATE_CHECK=true pulumi version 2>/dev/null | tail -n1 || true)"
	if [ "$path_version" = "$TARGET" ]; then
		path_dir="$(cd "$(dirname "$(readlink -f "$path_pulumi")")" && pwd)"
		if bin_complete "$path_dir"; then
			finish "$path_dir" "$TARGET"
		fi
		link_dir="$CACHE_ROOT/$TARGET/path-bin"
		if ! bin_complete "$link_dir" || [ "$(readlink "$link_dir/pulumi")" != "$(readlink -f "$path_pulumi")" ]; then
			log "using $path_pulumi ($path_version); adding a language host and plugin in $link_dir"
			tmp_parent="$CACHE_ROOT/$TARGET"
			mkdir -p "$tmp_parent"
			rm -rf "$tmp_parent"/.path-bin.*
			tmp="$(mktemp -d "$tmp_parent/.path-bin.XXXXXX")"
			chmod 0755 "$tmp"
			ln -s "$(readlink -f "$path_pulumi")" "$tmp/pulumi"
			if [ -x "$path_dir/pulumi-language-nodejs" ]; then
				ln -s "$path_dir/pulumi-language-nodejs" "$tmp/pulumi-language-nodejs"
			else
				src="$CACHE_ROOT/$TARGET/langhost-src"
				rm -rf "$src"
				write_module "$src" "" "$TARGET"
				(cd "$src" && go_build "$TARGET" "$tmp/pulumi-language-nodejs" ./cmd/pulumi-language-nodejs) ||
					die "go build of pulumi-language-nodejs failed"
			fi
			install_plugin "$tmp"
			rm -rf "$link_dir"
			mv "$tmp" "$link_dir"
		fi
		finish "$link_dir" "$TARGET"
	fi
	log "ignoring $path_pulumi: its version is '$path_version', not $TARGET"
fi

# 2. A complete cache. A fallback version's cache is used only once the wanted
#    version is known to be unavailable (remembered in <cache>/<wanted>/unavailable;
#    delete that file to retry).
for v in $CANDIDATES; do
	if bin_complete "$CACHE_ROOT/$v/bin"; then
		if [ "$v" = "$WANT" ] || [ -n "${PULUMI_MODE_ENGINE_VERSION:-}" ] || [ -f "$CACHE_ROOT/$WANT/unavailable" ]; then
			finish "$CACHE_ROOT/$v/bin" "$v"
		fi
	fi
done

# 3. Build.
command -v go >/dev/null 2>&1 || die "go is not on PATH; it is needed to build the Pulumi engine"
for v in $CANDIDATES; do
	mkdir -p "$CACHE_ROOT/$v"
	if bin_complete "$CACHE_ROOT/$v/bin"; then
		finish "$CACHE_ROOT/$v/bin" "$v"
	fi
	if build_engine "$v"; then
		finish "$CACHE_ROOT/$v/bin" "$v"
	fi
	if [ "$v" = "$WANT" ] && [ -z "${PULUMI_MODE_ENGINE_VERSION:-}" ]; then
		date -u +%FT%TZ >"$CACHE_ROOT/$WANT/unavailable"
	fi
done
die "could not build the Pulumi engine at any of: $CANDIDATES"
