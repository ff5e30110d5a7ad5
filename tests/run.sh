#!/usr/bin/env bash
# Runs every test from a clean clone: installs what the tests need, checks formatting,
# builds with warnings as errors, and runs the whole suite against real processes.
set -euo pipefail
cd "$(dirname "$0")/.."

# The integration tests start their own redis-server; a fresh machine may not have it.
if ! command -v redis-server >/dev/null 2>&1; then
  echo "== installing redis-server (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
fi

# The federation composition test runs Apollo's composition library under Node.js, from the
# exact versions its package-lock.json pins.
if ! command -v npm >/dev/null 2>&1; then
  echo "== installing Node.js and npm (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nodejs npm >/dev/null
fi
echo "== npm ci (federation composition tooling)"
(cd tests/Gateway.Tests/Federation/composition && npm ci --no-audit --no-fund)

echo "== dotnet format (verify)"
dotnet format Gateway.sln --verify-no-changes

echo "== build (Release, warnings are errors)"
dotnet build Gateway.sln -c Release --nologo -v quiet

echo "== tests"
results="$(mktemp -d)"
set +e
dotnet test Gateway.sln -c Release --no-build --nologo \
  --logger "console;verbosity=normal" --logger "trx" --results-directory "$results"
status=$?
set -e

# One plain closing line, summed over every test assembly.
python3 - "$results" <<'PY' || status=1
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
# A skipped test proves nothing: it fails the run like a failed one.
sys.exit(1 if skipped or not passed else 0)
PY
exit $status
