# Sourced by scripts/test.sh and scripts/test-slow.sh.
#
# run_lane NAME [node --test flags...] -- FILE...
#   Runs FILE... with the node test runner (tsx loaded, TAP on stdout so that the closing
#   `# tests N` / `# pass N` / `# fail N` lines are there whether or not stdout is a terminal),
#   then prints how long each file took (its process, start to exit), slowest first, and the
#   lane's wall time with the load average. Fails when the runner fails, when a file is
#   missing, and when the lane ran no test at all.

run_lane() {
  local name=$1
  shift
  local flags=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    flags+=("$1")
    shift
  done
  [ $# -gt 0 ] && shift
  if [ $# -eq 0 ]; then
    echo "lane $name: no test files given" >&2
    return 1
  fi
  local file
  for file in "$@"; do
    [ -f "$file" ] || { echo "lane $name: $file does not exist" >&2; return 1; }
  done

  local work
  work=$(mktemp -d)
  # Second reporter: one line per test file, `<ms> <ok|FAILED> <tests run> <file>`, from the
  # runner's file-level test:complete event (the TAP reporter does not show files). A file
  # without tests still counts as one test in `# tests N`, so tests are counted here: those
  # that ran (not skipped, not todo) and are neither a suite nor the file itself.
  cat > "$work/durations.mjs" <<'EOF'
export default async function* fileDurations(source) {
  const ran = new Map();
  const files = new Map();
  for await (const event of source) {
    const data = event.data ?? {};
    const details = data.details ?? {};
    if ((event.type === 'test:pass' || event.type === 'test:fail') && data.name !== data.file && details.type !== 'suite' && !data.skip && !data.todo) {
      ran.set(data.file, (ran.get(data.file) ?? 0) + 1);
    }
    if (event.type === 'test:complete' && data.nesting === 0 && data.name === data.file) {
      files.set(data.file, `${Math.round(details.duration_ms ?? 0)} ${details.passed ? 'ok' : 'FAILED'}`);
    }
  }
  // At the end: a file's test events may be reported after its own test:complete.
  for (const [file, line] of files) yield `${line} ${ran.get(file) ?? 0} ${file}\n`;
}
EOF

  local started=$SECONDS load_before status=0 tests
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  node --import tsx --test \
    --test-reporter=tap --test-reporter-destination=stdout \
    --test-reporter="$work/durations.mjs" --test-reporter-destination="$work/durations.txt" \
    "${flags[@]}" "$@" || status=$?

  tests=$(awk '{ n += $3 } END { print n + 0 }' "$work/durations.txt" 2>/dev/null || echo 0)
  echo "== $name: per-file durations (s), slowest first"
  sort -rn "$work/durations.txt" 2>/dev/null \
    | awk -v root="$PWD/" '{ sub(root, "", $4); printf "==   %7.1f  %-6s %3d tests  %s\n", $1 / 1000, $2, $3, $4 }'
  echo "== $name: $# files, $tests tests run, $((SECONDS - started)) s wall; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$work"
  if [ "$tests" -eq 0 ]; then
    echo "lane $name ran no tests: that is a failure" >&2
    return 1
  fi
  return "$status"
}

# tracked_changes
#   Prints each tracked file that differs from HEAD with a hash of its content (or `deleted`).
#   A lane takes it at its start and compares at its end: a test that wrote into the tree fails
#   the lane, while edits that were there before it started (a developer's own) do not.
#   --no-optional-locks: reading must not rewrite the index's stat cache under other processes.
tracked_changes() {
  local file
  # Outside a git checkout (an unpacked tarball) there is nothing to compare.
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || return 0
  git --no-optional-locks diff --name-only -z HEAD | while IFS= read -r -d '' file; do
    if [ -e "$file" ]; then
      printf '%s %s\n' "$(git hash-object --no-filters -- "$file")" "$file"
    else
      printf 'deleted %s\n' "$file"
    fi
  done
}

# check_tracked_unchanged BEFORE
#   Fails, naming the files, when tracked_changes now differs from BEFORE.
check_tracked_unchanged() {
  local after
  after=$(tracked_changes)
  if [ "$1" != "$after" ]; then
    echo "== tracked files changed during the run (tests must not write into the tree):"
    diff <(printf '%s\n' "$1") <(printf '%s\n' "$after") | sed -n 's/^[<>] [^ ]* /==   /p' | sort -u
    return 1
  fi
}
