#!/usr/bin/env bash
# Runs the STM32F4 firmware (RAM-slot build) on QEMU's netduinoplus2 and checks it through the serial protocol, as a
# board: deploy IMAGE, stream WINDOWS, and compare every window's counts with WINDOWS.expected (both written by
# `myelin edge compress --out IMAGE --windows-out WINDOWS`; images up to 28 KiB fit the RAM slots).
#   firmware/boards/stm32f4/qemu-check.sh IMAGE WINDOWS
# Needs arm-none-eabi-gcc, qemu-system-arm (Debian: gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm) and the
# myelin launcher's jar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
img="$1"
win="$2"
make -s -C "$here" SLOTS=ram >/dev/null
log="$(mktemp)"
qemu-system-arm -M netduinoplus2 -nographic -monitor none -serial null -serial pty \
  -kernel "$root/firmware/build/stm32f4-ram/myelin-board.elf" >"$log" 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 50); do grep -q 'redirected to' "$log" && break; sleep 0.1; done
pty="$(sed -n 's/.*redirected to \(\/dev\/pts\/[0-9]*\).*/\1/p' "$log" | head -1)"
[ -n "$pty" ] || { echo "qemu did not open a pseudo-terminal: $(cat "$log")" >&2; exit 1; }
"$root/myelin" board info --port "$pty"
"$root/myelin" deploy --port "$pty" "$img"
out="$(mktemp)"
"$root/myelin" board run --port "$pty" "$win" >"$out"
tail -1 "$out"
n="$(grep -c '^window' "$out")"
if diff <(head -n "$n" "$win.expected") <(sed -n 's/.*counts \[\(.*\)\]/\1/p' "$out" | tr -d ','); then
  echo "qemu netduinoplus2 (STM32F405): $n windows, counts identical to the Java reference"
else
  echo "qemu netduinoplus2 (STM32F405): counts differ from the Java reference" >&2
  exit 1
fi
"$root/myelin" board stats --port "$pty"
rm -f "$out"
