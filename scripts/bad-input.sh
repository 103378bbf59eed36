#!/usr/bin/env bash
# Runs every myelin command over broken inputs (missing files, folders for files, empty files, garbage bytes,
# truncated files, bad numbers, unknown options) and checks each: no Java stack trace on stdout or stderr, and the
# documented exit code (2: bad usage or bad input; see cli Main). One line per case, then "N passed, N failed";
# exits 1 if any case failed. Needs the built jar (mvn -B verify or package makes cli/target/myelin.jar; MYELIN_JAR
# overrides it). Cases marked [readers] exercise the file readers' own checks.
set -uo pipefail
cd "$(dirname "$0")/.."
jar="${MYELIN_JAR:-cli/target/myelin.jar}"
# the cases run in a scratch folder: an absolute path to the jar
[[ "$jar" = /* ]] || jar="$PWD/$jar"
if [ ! -f "$jar" ]; then
  echo "bad-input: no $jar; build it first (mvn -B -DskipTests package -pl cli -am)" >&2
  exit 1
fi
# the secret a sweep case must find missing
unset MYELIN_SWEEP_SECRET
java_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -Djava.awt.headless=true)
t="$(mktemp -d "${TMPDIR:-/tmp}/myelin-bad-input.XXXXXX")"
trap 'rm -rf "$t"' EXIT
# a class-data archive of the jar's start-up classes makes each of the many short JVMs start faster
if java "${java_opts[@]}" -XX:ArchiveClassesAtExit="$t/myelin.jsa" -jar "$jar" --help >/dev/null 2>&1 \
    && [ -f "$t/myelin.jsa" ]; then
  java_opts+=(-XX:SharedArchiveFile="$t/myelin.jsa")
fi

# fixtures
missing="$t/missing.bin"
mkdir -p "$t/folder" "$t/empty-folder" "$t/cache"
: > "$t/empty"
head -c 4096 /dev/urandom > "$t/garbage"
printf 'not,numbers\nx,y\n' > "$t/garbage.csv"
printf '1.0\n0.5\n0.25\n' > "$t/input.csv"
nir="nir/src/test/resources/fixtures/lif.nir"
head -c 300 "$nir" > "$t/truncated.nir"
# an IDX image file whose header says 100 images of 28 x 28 but holds 10 bytes of pixels
printf '\x00\x00\x08\x03\x00\x00\x00\x64\x00\x00\x00\x1c\x00\x00\x00\x1c0123456789' > "$t/truncated-images-idx3-ubyte"
printf 'neurons = 100\nduration = 0.01\n' > "$t/ok.sweep"
printf 'this is not\x01 a sweep\n' > "$t/bad.sweep"

pass=0
fail=0
failed=()
# case NAME EXPECTED_CODE ARGS...
case_() {
  local name="$1" expected="$2"
  shift 2
  local out code start ms
  start=$(date +%s%N)
  out="$(cd "$t" && timeout 120 java "${java_opts[@]}" -jar "$jar" "$@" 2>&1 </dev/null)"
  code=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  local why=""
  if [ "$code" -ne "$expected" ]; then
    why="exit $code, expected $expected"
  fi
  if grep -qE 'Exception in thread|	at org\.|	at java\.|^\s*at java\.' <<<"$out"; then
    why="${why:+$why; }a Java stack trace"
  fi
  if [ -z "$why" ]; then
    pass=$((pass + 1))
    echo "ok    $name (exit $code, $ms ms)"
  else
    fail=$((fail + 1))
    failed+=("$name")
    echo "FAIL  $name: $why ($ms ms)"
    sed -n '1,6s/^/        /p' <<<"$out"
  fi
}

# usage
case_ "no command" 2
case_ "unknown command" 2 frobnicate
case_ "run: unknown option" 2 run cuba --frobnicate
case_ "run: bad number" 2 run cuba --neurons lots
case_ "run: negative duration" 2 run cuba --duration -1
case_ "run: NaN duration" 2 run cuba --duration NaN
case_ "run: huge duration" 2 run cuba --duration 1e300
case_ "run: unknown network" 2 run nest
case_ "run: event mode with 2 threads" 2 run sparse --neurons 1000 --duration 0.01 --mode event --threads 2
case_ "demo: negative threads" 2 demo --threads -1
case_ "demo: raster of unknown format" 2 demo --raster raster.txt
case_ "view: bad size" 2 view cuba --width 5
case_ "bench cuba: negative neurons" 2 bench cuba --neurons -5
case_ "bench cuba: unknown backend" 2 bench cuba --backend quantum
case_ "bench sparse: bad mode" 2 bench sparse --mode sometimes
case_ "bench sparse: event mode with 2 threads" 2 bench sparse --neurons 1000 --duration 0.01 --mode event --threads 2
case_ "backends: unknown option" 2 backends --frobnicate
case_ "devices: unknown option" 2 devices --frobnicate

# nir
case_ "nir info: missing file" 2 nir info "$missing"
case_ "nir info: a folder" 2 nir info "$t/folder"
case_ "nir info: empty file" 2 nir info "$t/empty"
case_ "nir info: garbage [readers]" 2 nir info "$t/garbage"
case_ "nir info: truncated file [readers]" 2 nir info "$t/truncated.nir"
case_ "nir run: missing input" 2 nir run "$OLDPWD/$nir" --input "$missing" --out "$t/trace.csv"
case_ "nir run: garbage input" 2 nir run "$OLDPWD/$nir" --input "$t/garbage.csv" --out "$t/trace.csv"
case_ "nir run: --out a folder" 2 nir run "$OLDPWD/$nir" --input "$t/input.csv" --out "$t/folder"
case_ "nir run: --out in a missing folder" 2 nir run "$OLDPWD/$nir" --input "$t/input.csv" --out "$t/no/trace.csv"
case_ "nir export: missing model" 2 nir export --model "$missing" --out "$t/x.nir"
case_ "nir export: garbage model [readers]" 2 nir export --model "$t/garbage" --out "$t/x.nir"

# edge and boards
case_ "edge info: missing image" 2 edge info "$missing"
case_ "edge info: empty image" 2 edge info "$t/empty"
case_ "edge info: garbage image" 2 edge info "$t/garbage"
case_ "edge compress: garbage model [readers]" 2 edge compress --model "$t/garbage"
case_ "deploy: missing image" 2 deploy --port "$t/ttyX" "$missing"
case_ "deploy: garbage image" 2 deploy --port "$t/ttyX" "$t/garbage"
case_ "board info: no serial port" 2 board info --port "$t/ttyX"
case_ "board info: bad baud" 2 board info --port "$t/ttyX" --baud fast
case_ "board run: missing windows" 2 board run --port "$t/ttyX" "$missing"
case_ "board stats: a folder for a port" 2 board stats --port "$t/folder"

# data
case_ "data info: missing" 2 data info "$missing"
case_ "data info: empty file" 2 data info "$t/empty"
case_ "data info: garbage [readers]" 2 data info "$t/garbage"
case_ "data info: empty folder [readers]" 2 data info "$t/empty-folder"
case_ "data info: truncated IDX [readers]" 2 data info "$t/truncated-images-idx3-ubyte"
case_ "data make: unknown kind" 2 data make cloud-like --out "$t/made"
case_ "data make: missing images" 2 data make nmnist-like --images "$missing" --out "$t/made"
case_ "data fetch: unknown dataset" 2 data fetch n-caltech101 --cache "$t/cache"
case_ "data fetch: missing file URL" 2 data fetch "file://$missing" --unverified --cache "$t/cache"
case_ "data fetch: URL ending in /" 2 data fetch http://127.0.0.1:1/data/ --unverified --cache "$t/cache"
case_ "data fetch: --name ../.." 2 data fetch http://127.0.0.1:1/x.bin --name ../.. --unverified --cache "$t/cache"
case_ "data fetch: unsupported scheme" 2 data fetch ftp://127.0.0.1:1/x.bin --unverified --cache "$t/cache"
case_ "data fetch: bad checksum" 2 data fetch http://127.0.0.1:1/x.bin --sha256 xyz --cache "$t/cache"

# training and evaluation
case_ "train mlp: missing data" 2 train mlp --data "$missing" --epochs 1
case_ "train mlp: empty data folder" 2 train mlp --data "$t/empty-folder" --epochs 1
case_ "train mlp: negative epochs" 2 train mlp --epochs -1
case_ "train l2mu: missing data" 2 train l2mu --data "$missing"
case_ "train sdt: missing data" 2 train sdt --data "$missing"
case_ "eval: missing model" 2 eval --model "$missing"
case_ "eval: empty model [readers]" 2 eval --model "$t/empty"
case_ "eval: garbage model [readers]" 2 eval --model "$t/garbage"

# experiments
case_ "experiment hlop: missing data" 2 experiment hlop --data "$missing"
case_ "experiment nir-files: missing folder" 2 experiment nir-files --data "$missing"
case_ "experiment lsm: unknown option" 2 experiment lsm --frobnicate
case_ "experiment sdt-ablation: missing data" 2 experiment sdt-ablation --data "$missing"

# distributed runs and sweeps
case_ "mpi: --resume a missing folder" 2 mpi cuba --neurons 100 --resume "$missing"
case_ "mpi: --resume a file" 2 mpi cuba --neurons 100 --resume "$t/empty"
case_ "mpi: --resume an empty folder" 2 mpi cuba --neurons 100 --resume "$t/empty-folder"
case_ "mpi: too few neurons" 2 mpi cuba --neurons 2
case_ "mpi: unknown network" 2 mpi nest
case_ "sweep: missing spec" 2 sweep "$missing"
case_ "sweep: a folder for a spec" 2 sweep "$t/folder"
case_ "sweep: garbage spec" 2 sweep "$t/bad.sweep" --serial
case_ "sweep: --members without --cluster" 2 sweep "$t/ok.sweep" --members 127.0.0.1
case_ "sweep: --members without a secret" 2 sweep "$t/ok.sweep" --members 127.0.0.1 --cluster c
case_ "sweep: --local with --members" 2 sweep "$t/ok.sweep" --local 2 --members 127.0.0.1

echo "$pass passed, $fail failed"
if [ "$fail" -gt 0 ]; then
  printf 'failed: %s\n' "${failed[@]}"
  exit 1
fi
