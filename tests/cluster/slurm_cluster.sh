# A throw-away single-node Slurm cluster for tests (sourced): munged, slurmctld and slurmd from
# Debian's slurm-wlm and munge, configured in a temporary directory, on ports of their own, and
# stopped by process id when the test ends. Needs root (the daemons run as root here).
#   start_slurm DIR   -> exports SLURM_CONF; returns non-zero (after printing why) if it cannot start
#   stop_slurm        -> stops what start_slurm started (also called from the EXIT trap)
slurm_pids=()

start_slurm() {
  local dir=$1 host cpus
  host=$(hostname -s) cpus=$(nproc)
  if [ "$(id -u)" != 0 ]; then echo "Slurm test cluster: needs root to start slurmd and munged"; return 1; fi
  for exe in munged slurmctld slurmd sbatch squeue sinfo; do
    command -v "$exe" >/dev/null || [ -x "/usr/sbin/$exe" ] || { echo "Slurm test cluster: $exe not installed (apt-get install slurm-wlm munge)"; return 1; }
  done
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
  # munge: our own daemon and socket, with the key the package created.
  chown munge:munge "$dir/munge"
  chmod 755 "$dir" "$(dirname "$dir")"  # munged (as munge) must reach its directory
  if ! runuser -u munge -- /usr/sbin/munged --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" \
      --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" 2>"$dir/munged.err"; then
    echo "Slurm test cluster: munged did not start:"; cat "$dir/munged.err" "$dir/munge/munged.log" 2>/dev/null; return 1
  fi
  slurm_pids+=("$(cat "$dir/munge/munged.pid")")
  cat >"$dir/slurm.conf" <<CONF
ClusterName=iskabm-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  # cgroups: none are needed (proctrack/linuxproc, task/none), but slurmd 22.05 initialises its
  # cgroup plugin anyway, and autodetection fails where /sys/fs/cgroup is not mounted (a chroot,
  # some containers). Name the plugin and give it an empty directory of its own: nothing is
  # mounted or touched.
  mkdir -p "$dir/cgroup"
  printf 'CgroupPlugin=cgroup/v1\nCgroupMountpoint=%s\n' "$dir/cgroup" >"$dir/cgroup.conf"
  export SLURM_CONF=$dir/slurm.conf
  /usr/sbin/slurmctld -i -f "$SLURM_CONF" || { echo "Slurm test cluster: slurmctld did not start:"; tail -20 "$dir/slurmctld.log"; return 1; }
  for _ in $(seq 50); do [ -s "$dir/slurmctld.pid" ] && break; sleep 0.1; done
  slurm_pids+=("$(cat "$dir/slurmctld.pid")")
  /usr/sbin/slurmd -f "$SLURM_CONF" || { echo "Slurm test cluster: slurmd did not start:"; tail -20 "$dir/slurmd.log"; return 1; }
  for _ in $(seq 50); do [ -s "$dir/slurmd.pid" ] && break; sleep 0.1; done
  slurm_pids+=("$(cat "$dir/slurmd.pid")")
  local state="" until=$((SECONDS + 60))
  while [ $SECONDS -lt $until ]; do
    state=$(timeout 5 sinfo -h -o %T 2>/dev/null | head -1)
    [ "$state" = idle ] && { echo "Slurm test cluster: node $host ($cpus CPUs) idle"; return 0; }
    sleep 0.2
  done
  echo "Slurm test cluster: the node never became idle (state '$state'):"
  tail -20 "$dir/slurmctld.log" "$dir/slurmd.log"
  return 1
}

stop_slurm() {
  local pid
  for pid in "${slurm_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${slurm_pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  slurm_pids=()
}

# wait_for_jobs ID... : until none of the jobs is pending or running (at most 5 minutes); a job
# whose dependency can never be satisfied counts as finished.
wait_for_jobs() {
  local ids; ids=$(IFS=,; echo "$*")
  for _ in $(seq 1500); do
    [ -z "$(squeue -h -j "$ids" -t PENDING,RUNNING,CONFIGURING,COMPLETING -o '%i %r' 2>/dev/null |
            grep -v DependencyNeverSatisfied)" ] && return 0
    sleep 0.2
  done
  echo "jobs $ids still queued after 5 minutes"; squeue; return 1
}

# job_state ID: COMPLETED, FAILED, CANCELLED, ... (from scontrol; MinJobAge keeps finished jobs)
job_state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2; }
