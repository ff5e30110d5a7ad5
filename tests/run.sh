#!/usr/bin/env bash
# Runs every test from a clean clone: installs what the tests need, checks formatting,
# builds with warnings as errors, and runs the whole suite against real processes.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests drive, from Debian: their own redis-server, and chromium for the IDE test
# (never a browser downloaded by a test tool).
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Node.js runs the test suite's npm projects (the IDE browser test, federation composition);
# machines of this kind have it, a bare Debian gets it from its packages.
if ! command -v npm >/dev/null 2>&1; then
  echo "== installing Node.js and npm (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nodejs npm >/dev/null
fi

# The test suite's npm projects, from their lock files. (The gateway's build installs the
# IDE package itself.)
for project in tests/Gateway.Tests/Ide/browser tests/Gateway.Tests/Federation/composition tests/Gateway.Tests/Live/clients; do
  echo "== npm ci ($project)"
  (cd "$project" && npm ci --no-audit --no-fund --loglevel=error)
done

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
# CI keeps only the tail of the log: name each failed test and its message's first lines here,
# at the end, so a red run says what failed without the full log.
for path in glob.glob(sys.argv[1] + "/*.trx"):
    for result in ET.parse(path).getroot().findall(".//{*}UnitTestResult"):
        if result.get("outcome") not in ("Passed", "NotExecuted"):
            message = result.find(".//{*}ErrorInfo/{*}Message")
            text = (message.text or "").strip().splitlines() if message is not None else []
            print(f"FAILED {result.get('testName')} ({result.get('duration')})")
            for line in text[:6]:
                print(f"    {line[:300]}")
            stack = result.find(".//{*}ErrorInfo/{*}StackTrace")
            for line in ((stack.text or "").strip().splitlines() if stack is not None else [])[:4]:
                print(f"    {line.strip()[:300]}")
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
# A skipped test proves nothing: it fails the run like a failed one.
sys.exit(1 if skipped or not passed else 0)
PY
exit $status
