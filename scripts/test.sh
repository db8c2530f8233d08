#!/usr/bin/env bash
# Runs the whole test suite on a fresh clone: checks the emulators and tools it relies on, installs
# the CDK CLI from npm, checks formatting (dotnet format), builds every project, publishes the three
# functions as Native AOT `bootstrap` executables and the collector as its Native AOT executable (the
# process-level tests run them), then runs
# every test project but tests/Conformance.Tests, which needs public samples from outside the repository
# (.ci/run runs it after this script when they are there).
# Ends with one line `N passed, N failed` (plus `, N skipped` when any were skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log_dir="$root/artifacts/test-logs"
mkdir -p "$log_dir"

step() { printf '\n==> %s\n' "$*"; }
need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "error: '$1' is not on PATH. $2" >&2
    exit 2
  fi
}

step "Checking tools"
need dotnet "Install the .NET 10 SDK."
need moto_server "The AWS emulator tests need it: pip install 'moto[server]'."
need node "The CDK CLI needs Node.js 20 or later."
need npm "The CDK CLI is installed from npm."
need cfn-lint "The synthesized templates are linted with it: pip install cfn-lint."
need aws "The CloudFormation deploy test drives moto with the AWS CLI: pip install awscli."
dotnet --version

if [ -f infra/cdk/package-lock.json ]; then
  step "Installing the CDK CLI (npm ci in infra/cdk)"
  (cd infra/cdk && npm ci --no-audit --no-fund --loglevel=error)
fi

step "Checking formatting (dotnet format --verify-no-changes)"
# Whitespace, using order and the style rules .editorconfig sets to warning, all of which dotnet format
# fixes by itself; checked before the build so a formatting slip reads as one, not as a compile error.
if ! dotnet format Functions.sln --verify-no-changes; then
  echo "error: the files listed above are not formatted as .editorconfig asks. Fix them with: dotnet format Functions.sln" >&2
  exit 1
fi

step "Building"
dotnet build Functions.sln -c Debug -nologo -clp:ErrorsOnly

step "Publishing the functions (Native AOT, linux-x64)"
for fn in IndexerFunction ControlPlaneLogsFunction SetupFunction; do
  if [ -d "src/$fn" ] && ls "src/$fn"/*.cs >/dev/null 2>&1; then
    dotnet publish "src/$fn" -c Release -r linux-x64 -o "artifacts/publish/$fn" -nologo -clp:ErrorsOnly
    ls -l "artifacts/publish/$fn/bootstrap"
  fi
done

step "Publishing the collector (Native AOT, linux-x64)"
dotnet publish src/Collector -c Release -r linux-x64 -o artifacts/publish/Collector -nologo -clp:ErrorsOnly
ls -l artifacts/publish/Collector/Collector

step "Testing"
set +e
# RunConformanceTests=false makes tests/Conformance.Tests no test project for this run (its csproj says why).
dotnet test Functions.sln -c Debug --no-build -nologo -p:RunConformanceTests=false 2>&1 | tee "$log_dir/dotnet-test.log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one summary per test assembly:
#   Passed!  - Failed:     0, Passed:    41, Skipped:     0, Total:    41, Duration: ...
sum() { grep -E '^(Passed|Failed)!' "$log_dir/dotnet-test.log" | grep -oE "$1: +[0-9]+" | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
assemblies=$(grep -cE '^(Passed|Failed)!' "$log_dir/dotnet-test.log" || true)
expected=$(ls tests/*/*.Tests.csproj | grep -vc '^tests/Conformance.Tests/')

if [ "$assemblies" -lt "$expected" ]; then
  echo "error: only $assemblies of $expected test assemblies reported results (one crashed or did not build)." >&2
  failed=$((failed + expected - assemblies))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "error: dotnet test exited with $status." >&2
  failed=1
fi

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
