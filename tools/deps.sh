#!/bin/sh
# Installs what `make run` (deps.sh run) or `make check` (deps.sh check) needs and is missing:
# Debian packages with apt-get, npm packages with npm ci. Installs nothing that is there.
set -eu
what=${1:-run}
pkgs="gcc make pkg-config libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libglpk-dev libcsv-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev liboath-dev libqrencode-dev libseccomp-dev fonts-dejavu-core"
if [ "$what" = check ] || [ "$what" = security ]; then
	# clang-14 and its runtime libraries (libFuzzer, ASan, UBSan) build the fuzz harnesses.
	pkgs="$pkgs libcmocka-dev chromium valgrind sqlite3 cppcheck clang-tidy clang-14 libclang-rt-14-dev poppler-utils libreoffice-calc-nogui"
fi
# make security-report: sqlmap and wrk as well.
if [ "$what" = security ]; then
	pkgs="$pkgs sqlmap wrk"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js may come from Debian or elsewhere: only install Debian's when there is none.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
	echo "installing Debian packages:$missing"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund
fi
