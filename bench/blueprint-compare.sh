#!/usr/bin/env bash
# Usage: bash bench/blueprint-compare.sh <path to the blueprint's logs-to-opensearch.js> [seconds]
# Writes the mixed control-plane payloads of our benchmark, then times the blueprint on them.
set -euo pipefail
cd "$(dirname "$0")/.."
blueprint=${1:?path to logs-to-opensearch.js (see bench/blueprint-compare.mjs)}
dir=artifacts/mixed-payloads
dotnet run -c Release --project bench/Benchmarks -- write-mixed-payloads "$dir" 1000
node bench/blueprint-compare.mjs "$blueprint" "$dir" "${2:-10}"
