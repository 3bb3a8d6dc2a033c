#!/usr/bin/env bash
# The sweep's Slurm executor against a real Slurm: Debian's slurm-wlm (slurmctld, slurmd), slurmdbd on a private
# MariaDB (what sacct reads) and munge, all on localhost in a scratch folder, installed with apt-get when missing and
# stopped at the end. A 4-point sweep of tiny models runs as one job array; one task is requeued (killed) mid-run and
# must resume from its checkpoint; every point must finish and the report must have 4 rows. Prints the squeue and
# sacct transcripts and ends with "SWEEP-SLURM: N passed, N failed". It tests no other executor (the .NET tests do).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/charrnn-slurm.XXXXXX)
passed=0; failed=0
check() { # check NAME COMMAND...: one named assertion
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $name"; else failed=$((failed + 1)); echo "FAILED: $name"; fi
}
abort() { echo "error: $*"; echo "SWEEP-SLURM: $passed passed, $((failed + 1)) failed"; exit 1; }

# 1. Slurm, munge, slurmdbd and MariaDB from Debian's registry when missing (root, or sudo).
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
missing=()
command -v slurmctld >/dev/null || missing+=(slurm-wlm)
command -v munged >/dev/null || missing+=(munge)
command -v slurmdbd >/dev/null || missing+=(slurmdbd)
command -v mariadbd >/dev/null || missing+=(mariadb-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || abort "could not install ${missing[*]} (apt-get as root)"
fi
CHARRNN_DLL="$ROOT/src/CharRnnCode.Cli/bin/Release/net10.0/charrnn.dll"
[ -f "$CHARRNN_DLL" ] || dotnet build src/CharRnnCode.Cli -c Release -v quiet >/dev/null || abort "charrnn did not build"
charrnn() { dotnet "$CHARRNN_DLL" "$@"; }

# 2. The daemons, on ports of their own, everything under $WORK; the trap stops them whatever happens.
HOST=$(hostname -s)
PORT_BASE=$((17000 + RANDOM % 2000))
stop_daemons() { # each one asked to stop, then waited for (slurmctld takes seconds to save its state), killed if it hangs
  local file pid
  for file in "$WORK"/slurmd.pid "$WORK"/slurmctld.pid "$WORK"/slurmdbd.pid "$WORK"/mysql.pid "$WORK"/munged.pid; do
    [ -s "$file" ] || continue
    pid=$(cat "$file")
    $SUDO kill "$pid" 2>/dev/null || continue
    for _ in $(seq 30); do $SUDO kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    $SUDO kill -9 "$pid" 2>/dev/null
  done
}
trap stop_daemons EXIT
mkdir -p "$WORK"/{state,spool,log,db}
# munge on its usual socket (Slurm's accounting connection looks for it there); one already running is used as it is.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || $SUDO runuser -u munge -- mungekey -c || abort "could not create /etc/munge/munge.key"
  $SUDO mkdir -p /run/munge && $SUDO chown munge:munge /run/munge
  $SUDO runuser -u munge -- munged --pid-file=/run/munge/munged.pid || abort "munged did not start"
  cp /run/munge/munged.pid "$WORK/munged.pid"
fi
$SUDO mariadb-install-db --datadir="$WORK/db" --user="$(id -un)" --auth-root-authentication-method=normal >"$WORK/log/db-init.log" 2>&1 \
  || abort "mariadb-install-db failed (see $WORK/log/db-init.log)"
($SUDO mariadbd --datadir="$WORK/db" --user="$(id -un)" --socket="$WORK/mysql.sock" --port=$((PORT_BASE + 3)) --bind-address=127.0.0.1 \
  --pid-file="$WORK/mysql.pid" --log-error="$WORK/log/mysql.err" >/dev/null 2>&1 &)
for _ in $(seq 60); do [ -S "$WORK/mysql.sock" ] && break; sleep 0.5; done
$SUDO mariadb --socket="$WORK/mysql.sock" -uroot -e "CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurm'; GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';" \
  || abort "MariaDB did not start (see $WORK/log/mysql.err)"
cat >"$WORK/slurm.conf" <<EOF
ClusterName=charrnn-test
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
SlurmctldPort=$PORT_BASE
SlurmdPort=$((PORT_BASE + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=$((PORT_BASE + 2))
MpiDefault=none
ReturnToService=2
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
cat >"$WORK/slurmdbd.conf" <<EOF
AuthType=auth/munge
DbdHost=localhost
DbdPort=$((PORT_BASE + 2))
SlurmUser=root
PidFile=$WORK/slurmdbd.pid
LogFile=$WORK/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$((PORT_BASE + 3))
StorageUser=slurm
StoragePass=slurm
StorageLoc=slurm_acct_db
EOF
chmod 600 "$WORK/slurmdbd.conf"
export SLURM_CONF="$WORK/slurm.conf"
$SUDO env SLURM_CONF="$SLURM_CONF" slurmdbd || abort "slurmdbd did not start (see $WORK/log/slurmdbd.log)"
for _ in $(seq 40); do sacctmgr -i add cluster charrnn-test >/dev/null 2>&1 && break; sleep 0.5; done
$SUDO env SLURM_CONF="$SLURM_CONF" slurmctld || abort "slurmctld did not start (see $WORK/log/slurmctld.log)"
$SUDO env SLURM_CONF="$SLURM_CONF" slurmd || abort "slurmd did not start (see $WORK/log/slurmd.log)"
for _ in $(seq 40); do
  kill -0 "$(cat "$WORK/slurmctld.pid" 2>/dev/null)" 2>/dev/null || abort "slurmctld stopped: $(tail -n 2 "$WORK/log/slurmctld.log")"
  sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 0.5
done
sinfo -h -o %T | grep -q idle || abort "the node did not come up: $(sinfo 2>&1) (see $WORK/log/)"
echo "slurm $(sinfo -V | cut -d' ' -f2) up on $HOST: $(sinfo -h -o '%P %D nodes, %c CPUs, %T')"

# 3. A corpus of this repository's own C# text and a 4-point tiny sweep (cell x hidden), long enough to be killed mid-run.
CORPUS="$WORK/corpus"; mkdir -p "$CORPUS"
cat src/CharRnnCode.Model/*.cs src/CharRnnCode.Model/Training/*.cs >"$CORPUS/train.txt"
cat src/CharRnnCode.Common/*.cs >"$CORPUS/val.txt"
cat src/CharRnnCode.Inference/Checkpoints/*.cs src/CharRnnCode.Model/TorchCheckpointTensors.cs >"$CORPUS/test.txt"
cat >"$WORK/grid.json" <<EOF
{ "corpus": "$CORPUS", "preset": "tiny", "grid": { "cell": ["lstm", "gru"], "hidden": [16, 32] },
  "set": { "evalInterval": 100, "evalChars": 2000 }, "budget": { "steps": 2500 } }
EOF
SWEEP="$WORK/sweep"
charrnn sweep plan "$WORK/grid.json" --out "$SWEEP" >"$WORK/log/plan.txt" || abort "sweep plan failed: $(cat "$WORK/log/plan.txt")"
echo "\$ charrnn sweep run $SWEEP --slurm --cpus 1 --time 00:10:00"
submitted=$(charrnn sweep run "$SWEEP" --slurm --cpus 1 --time 00:10:00) || abort "sweep run --slurm failed"
echo "$submitted"
JOB=$(echo "$submitted" | grep -oE 'job array [0-9]+' | grep -oE '[0-9]+')
[ -n "$JOB" ] || abort "no job id in: $submitted"

# 4. Kill task 0 mid-run by requeueing it once it has a checkpoint, then let it start again at once (Slurm otherwise
# holds a requeued job back for a while).
POINT0=$(ls -d "$SWEEP"/points/000_*)
for _ in $(seq 240); do [ -f "$POINT0/last.ckpt" ] && break; sleep 0.5; done
echo "\$ squeue -j $JOB (task 0 has a checkpoint)"; squeue -j "$JOB"
validations_before_kill=$(grep -c '"kind":"val"' "$POINT0/metrics.jsonl" 2>/dev/null || echo 0)
echo "\$ scontrol requeue ${JOB}_0"; scontrol requeue "${JOB}_0"
for _ in $(seq 60); do [ "$(squeue -h -j "${JOB}_0" -o %T 2>/dev/null)" = PENDING ] && break; sleep 0.5; done
scontrol update JobId="${JOB}_0" StartTime=now
echo "\$ squeue -j $JOB (task 0 requeued)"; squeue -j "$JOB"
for _ in $(seq 600); do [ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ] && break; sleep 1; done
echo "\$ squeue -j $JOB (after)"; squeue -j "$JOB"
sleep 2 # slurmdbd records the last completions
# --duplicates: the requeued run of task 0 is listed too, not only its last.
echo "\$ sacct -j $JOB --duplicates --format=JobID,JobName%24,State,ExitCode,Elapsed,Start,End"
sacct -j "$JOB" --duplicates --format=JobID,JobName%24,State,ExitCode,Elapsed,Start,End | tee "$WORK/log/sacct.txt"
echo "--- task 0's log (${JOB}_0.out)"; cat "$SWEEP/slurm/${JOB}_0.out" | grep -vE '^\s*$' | cut -c1-200

# 5. What must hold.
check "the array ran as one job, one task per point" test "$(grep -cE "^${JOB}_[0-3] " "$WORK/log/sacct.txt")" -ge 4
check "every task completed in sacct" test "$(grep -E "^${JOB}_[0-3] " "$WORK/log/sacct.txt" | grep -c COMPLETED)" -eq 4
check "task 0 was killed by the requeue" grep -q 'DUE TO JOB REQUEUE' "$SWEEP/slurm/${JOB}_0.out"
check "sacct lists task 0's killed run as REQUEUED" grep -qE "^${JOB}_0 .* REQUEUED" "$WORK/log/sacct.txt"
check "task 0 resumed from its checkpoint (step > 0) when it ran again" grep -qE 'resumed at step [1-9]' "$SWEEP/slurm/${JOB}_0.out"
check "task 0 had validated before the kill" test "$validations_before_kill" -ge 1
check "task 0's second run did not start over (one 'resumed', one start)" test "$(grep -c 'train lstm 1x16' "$SWEEP/slurm/${JOB}_0.out")" -eq 2
resubmit=$(charrnn sweep run "$SWEEP" --slurm 2>&1)
check "every point finished: a second --slurm run submits nothing" grep -q 'nothing to run' <<<"$resubmit"
charrnn sweep report "$SWEEP" --samples 0 >"$WORK/log/report.txt" 2>&1 || cat "$WORK/log/report.txt"
rows=$(awk '/^## Every point/ { inside = 1; next } /^## / { inside = 0 } inside' "$SWEEP/report/report.md" 2>/dev/null | grep -cE '^\| [0-9]+ \|')
check "the report has 4 rows" test "$rows" -eq 4
sed -n '/^## Test loss/,/^## Every point/p' "$SWEEP/report/report.md" | grep '^|'

stop_daemons
trap - EXIT
echo "SWEEP-SLURM: $passed passed, $failed failed"
if [ "$failed" -eq 0 ]; then rm -rf "$WORK"; else echo "kept for a look: $WORK (logs in $WORK/log)"; fi
[ "$failed" -eq 0 ]
