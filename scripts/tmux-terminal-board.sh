#!/usr/bin/env bash
# Drives the terminal board (--platform node) in a detached tmux session and checks what a user
# would see: the status line changes as the blinker runs, and a key press reaches a button.
#
#   scripts/tmux-terminal-board.sh [command...]
#
# Default command: the HAL demo (scripts/terminal-board-demo.ts: led0 blinks every 500 ms,
# led1 follows button0). Once the runtime runs programs on the node platform, pass e.g.
#   scripts/tmux-terminal-board.sh node bin/sensevm.js run examples/button-blinky/button-blinky.cam --platform node
# The script prints the captured status lines and exits non-zero if a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

session="sensevm-board-$$"
if [ "$#" -gt 0 ]; then cmd="$*"; else cmd="npx tsx scripts/terminal-board-demo.ts --for 6s"; fi

cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; }
trap cleanup EXIT

tmux new-session -d -s "$session" -x 200 -y 10 "$cmd; sleep 30"
status() { tmux capture-pane -p -t "$session" | grep -E 'led0' | tail -1 || true; }

# Wait for the status line (tsx start-up takes a moment).
for _ in $(seq 1 50); do
  [ -n "$(status)" ] && break
  sleep 0.2
done
[ -n "$(status)" ] || { echo "FAIL: no status line"; tmux capture-pane -p -t "$session"; exit 1; }

# 1. The blinker: led0's glyph must change between samples taken 500 ms apart.
declare -a seen=()
for _ in 1 2 3 4; do
  line="$(status)"
  seen+=("$(grep -o 'led0 [●○]' <<<"$line" || true)")
  echo "  $line"
  sleep 0.5
done
distinct=$(printf '%s\n' "${seen[@]}" | sort -u | wc -l)
if [ "$distinct" -lt 2 ]; then echo "FAIL: led0 did not change: ${seen[*]}"; exit 1; fi
echo "ok: led0 blinks (${seen[*]})"

# 2. A key press reaches a button: key 1 clicks button0 (press, release 200 ms later).
tmux send-keys -t "$session" 1
sleep 0.08
line="$(status)"
echo "  $line"
if grep -q 'led1 ●' <<<"$line"; then
  echo "ok: key 1 pressed button0 and led1 followed"
else
  echo "FAIL: key 1 did not light led1"
  exit 1
fi

# 3. Ctrl-C quits and restores the terminal.
tmux send-keys -t "$session" C-c
sleep 0.5
echo "ok: done"
