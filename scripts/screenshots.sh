#!/usr/bin/env bash
# Screenshots of the game in real terminal emulators under a private Xvfb,
# each showing a rating screen and the reveal: xterm as a VT340 and kitty
# with the image protocol the game's own probe picks (--graphics auto), and
# mlterm with the iTerm2 protocol (--graphics iterm; its probe picks sixel).
#
#   scripts/screenshots.sh [OUT_DIR]        (default: docs/screens)
#
# Installs nothing. Needs, on Debian/Ubuntu:
#   apt-get install xvfb xterm kitty mlterm xdotool imagemagick fonts-dejavu-core
# (kitty draws with OpenGL: under Xvfb, Mesa's software renderer does it;
# LIBGL_ALWAYS_SOFTWARE=1 is set below.)
#
# The game plays on the bundled pack with a throw-away profile: twelve
# ratings are piped through `mytype rate` first, so `play` resumes on face 13
# and `r` reveals at once. Every wait is on what the window shows (a
# screenshot that stops changing), bounded by WAIT_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-docs/screens}
WAIT_SECONDS=${WAIT_SECONDS:-30}
COLS=100
ROWS=32
FONT='DejaVu Sans Mono'
FONT_SIZE=11

missing=()
for tool in Xvfb xterm kitty mlterm xdotool import convert cargo; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
fc-list 2>/dev/null | grep -q "$FONT" || missing+=("the font $FONT")
if [ ${#missing[@]} -gt 0 ]; then
  echo "screenshots.sh: missing: ${missing[*]}" >&2
  echo "  install with: apt-get install xvfb xterm kitty mlterm xdotool imagemagick fonts-dejavu-core" >&2
  exit 2
fi

if [ -n "${MYTYPE_BIN:-}" ]; then
  bin=$MYTYPE_BIN
else
  cargo build --locked --quiet --bin mytype
  bin=$root/target/debug/mytype
fi

work=$(mktemp -d)
xvfb_pid=
term_pid=
cleanup() {
  [ -n "$term_pid" ] && kill "$term_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A private X server on a free display number.
exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
for _ in $(seq $((WAIT_SECONDS * 10))); do
  [ -s "$work/display" ] && break
  sleep 0.1
done
[ -s "$work/display" ] || { echo "screenshots.sh: Xvfb did not start" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$work/display")"
export LIBGL_ALWAYS_SOFTWARE=1

# A profile with twelve ratings (the first ones of the sample profile alex).
profiles=$work/profiles
mkdir -p "$profiles"
paste -d' ' \
  <(grep -o 'face: "[a-z0-9]*"' profiles/alex.ron | cut -d'"' -f2) \
  <(grep -o 'level: [0-9]' profiles/alex.ron | cut -d' ' -f2) |
  head -n 12 >"$work/ratings.txt"

# Waits until the window shows something new (differs from `$1`, a
# screenshot's hash, "" for none) and stops changing for a second, then
# prints the hash of what it shows. The screenshot is left in $work/shot.png.
settled() {
  local before=$1 last= same=0 hash
  for _ in $(seq $((WAIT_SECONDS * 4))); do
    if import -window "$wid" "$work/shot.png" 2>/dev/null; then
      hash=$(convert "$work/shot.png" -format '%#' info:)
      if [ "$hash" = "$last" ]; then same=$((same + 1)); else same=0; fi
      last=$hash
      # Four identical shots 0.25 s apart, and not the screen we had before.
      if [ "$same" -ge 4 ] && [ "$hash" != "$before" ]; then
        echo "$hash"
        return 0
      fi
    fi
    sleep 0.25
  done
  echo "screenshots.sh: the $name window did not settle within ${WAIT_SECONDS}s" >&2
  return 1
}

keep() {
  mkdir -p "$out"
  # Stripped, 8 bits a channel, best compression: small PNGs for the repo.
  convert "$work/shot.png" -strip -depth 8 -define png:compression-level=9 "$out/$1.png"
  echo "  $out/$1.png"
}

# shoot NAME GRAPHICS TERMINAL_COMMAND...: starts the game in the terminal
# with `--graphics GRAPHICS`, keeps a shot of the rating screen and of the
# reveal, quits with `q`.
shoot() {
  name=$1
  graphics=$2
  shift 2
  rm -f "$profiles"/*
  "$bin" --profiles-dir "$profiles" rate --profile demo <"$work/ratings.txt" 2>/dev/null
  echo "$name:"
  "$@" "$bin" --profiles-dir "$profiles" play --profile demo --graphics "$graphics" \
    >"$work/$name.log" 2>&1 &
  term_pid=$!
  wid=
  for _ in $(seq $((WAIT_SECONDS * 10))); do
    wid=$(xdotool search --onlyvisible --pid "$term_pid" 2>/dev/null | head -n1) || true
    [ -n "$wid" ] && break
    sleep 0.1
  done
  [ -n "$wid" ] || { echo "screenshots.sh: no $name window" >&2; cat "$work/$name.log" >&2; return 1; }
  xdotool windowfocus --sync "$wid"
  local rating
  rating=$(settled "")
  keep "$name-rating"
  xdotool key r
  settled "$rating" >/dev/null
  keep "$name-reveal"
  xdotool key q
  for _ in $(seq $((WAIT_SECONDS * 10))); do
    kill -0 "$term_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$term_pid" 2>/dev/null || true
  wait "$term_pid" 2>/dev/null || true
  term_pid=
}

# xterm as a VT340: sixel graphics with 256 colour registers.
shoot xterm-sixel auto xterm -ti vt340 -u8 -b 0 -bg white -fg black -fa "$FONT" -fs "$FONT_SIZE" \
  -geometry "${COLS}x${ROWS}+0+0" \
  -xrm 'XTerm*decTerminalID: vt340' -xrm 'XTerm*numColorRegisters: 256' -e
# kitty with its defaults (no user configuration).
shoot kitty auto kitty --config NONE -o font_family="$FONT" -o font_size="$FONT_SIZE" \
  -o initial_window_width="${COLS}c" -o initial_window_height="${ROWS}c" \
  -o remember_window_size=no -o placement_strategy=top-left
# mlterm draws iTerm2 inline images (and sixel, which its probe picks).
shoot mlterm-iterm iterm mlterm -g "${COLS}x${ROWS}+0+0" -w 15 -O none -e
