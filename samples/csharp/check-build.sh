#!/usr/bin/env bash
# Checks the `dotnet build` integration of the KML rules (slow: two SDK builds; not part of the unit tests):
#  - hello builds with no diagnostics and runs: prints its greeting and exits with the status given by --exit;
#  - hello-invalid fails to build with exactly the KML errors of hello-invalid/expected-errors.txt, in MSBuild's
#    "file(line,col): error KMLxxxx: message" format, and no other error.
# Exit status 0 when both hold; the differences are printed otherwise.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT
failed=0

echo "check-build: building hello..."
if ! dotnet build "$here/hello" -nologo -v q >"$log/hello.txt" 2>&1; then
  echo "check-build: hello does not build:" >&2
  grep -E "error|warning" "$log/hello.txt" | sort -u >&2 || cat "$log/hello.txt" >&2
  exit 1
fi
if grep -q "KML0" "$log/hello.txt"; then
  echo "check-build: hello has KML diagnostics:" >&2
  grep "KML0" "$log/hello.txt" | sort -u >&2
  failed=1
fi
set +e
output="$(dotnet "$here/hello/bin/Debug/net10.0/hello.dll" Sample --exit 7)"
status=$?
set -e
if [[ "$output" != "Hello, Sample!"* || $status -ne 7 ]]; then
  echo "check-build: hello printed '$output' and exited with $status (expected 'Hello, Sample!...' and 7)" >&2
  failed=1
fi

echo "check-build: building hello-invalid (it must fail)..."
if dotnet build "$here/hello-invalid" -nologo -v q >"$log/invalid.txt" 2>&1; then
  echo "check-build: hello-invalid built, but it is outside the subset" >&2
  exit 1
fi
# MSBuild prints each error once per line as: /abs/path/Program.cs(9,9): error KML0001: message (help link) [project]
grep -E ": error [A-Z]+[0-9]+:" "$log/invalid.txt" \
  | sed -E 's|^.*/([^/]+\.cs)\(|\1(|; s| \(docs/rules/KML[0-9]+\.md\)||; s| \[[^]]*\]$||' \
  | sort -u >"$log/actual.txt"
sort -u "$here/hello-invalid/expected-errors.txt" >"$log/expected.txt"
if ! diff -u "$log/expected.txt" "$log/actual.txt"; then
  echo "check-build: hello-invalid's errors differ from expected-errors.txt (- expected, + actual)" >&2
  failed=1
fi

if [[ $failed -eq 0 ]]; then
  echo "check-build: ok (hello builds and runs; hello-invalid fails with the $(wc -l <"$log/expected.txt") expected KML errors)"
fi
exit $failed
