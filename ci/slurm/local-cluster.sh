#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (localhost) for the Slurm integration test:
# installs slurm-wlm and munge from Debian's packages if missing, writes a minimal slurm.conf,
# starts munged, slurmctld and slurmd, and waits until the node is idle.
#
#   ci/slurm/local-cluster.sh start    # prints "slurm: ready" or "slurm: SKIP <reason>"; exit 0 either way
#   ci/slurm/local-cluster.sh stop
#
# It needs root (daemons, /etc/slurm) and apt; where either is missing it says why and exits 0, and
# SlurmIntegrationTest then skips, naming the reason. No cgroups are needed: process tracking is
# plain /proc, which is all a single-node test cluster in a container can count on.
set -uo pipefail

skip() { echo "slurm: SKIP $*"; exit 0; }

stop() {
  grep -q 'Written by ci/slurm/local-cluster.sh' /etc/slurm/slurm.conf 2>/dev/null || { echo "slurm: not ours, left alone"; return; }
  pkill -x slurmd 2>/dev/null; pkill -x slurmctld 2>/dev/null; pkill -x munged 2>/dev/null
  echo "slurm: stopped"
}

start() {
  [ "$(id -u)" = 0 ] || skip "not root: the Slurm daemons and /etc/slurm need root"
  if ! command -v sbatch >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    command -v apt-get >/dev/null || skip "no apt-get to install slurm-wlm and munge"
    echo "slurm: installing slurm-wlm and munge from Debian's packages ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge) \
      > /tmp/harness-slurm-apt.log 2>&1 || skip "apt-get install slurm-wlm munge failed (see /tmp/harness-slurm-apt.log)"
  fi
  if sinfo -h -o %t 2>/dev/null | grep -q idle; then
    echo "slurm: ready (already running)"; exit 0
  fi
  local cpus mem
  cpus=$(nproc)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))   # MiB; half, as a courtesy to the rest
  if [ -f /etc/slurm/slurm.conf ] && ! grep -q 'Written by ci/slurm/local-cluster.sh' /etc/slurm/slurm.conf; then
    skip "/etc/slurm/slurm.conf exists and is not ours: not overwriting a real cluster's configuration"
  fi
  pkill -x slurmd 2>/dev/null; pkill -x slurmctld 2>/dev/null; sleep 1
  rm -rf /var/spool/harness-slurmctld /var/spool/harness-slurmd   # our own test state only
  mkdir -p /etc/slurm /var/spool/harness-slurmctld /var/spool/harness-slurmd /var/log/slurm /run/munge
  cat > /etc/slurm/slurm.conf <<CONF
# Written by ci/slurm/local-cluster.sh: a one-node test cluster on localhost.
ClusterName=harness-ci
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/harness-slurmctld
SlurmdSpoolDir=/var/spool/harness-slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=localhost NodeHostname=localhost CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null
  fi
  chown -R munge:munge /etc/munge /run/munge 2>/dev/null; chmod 400 /etc/munge/munge.key
  pgrep -x munged >/dev/null || runuser -u munge -- munged 2>/dev/null || munged --force \
    || skip "munged would not start"
  slurmctld || skip "slurmctld would not start (see /var/log/slurm/slurmctld.log)"
  slurmd -N localhost || skip "slurmd would not start (see /var/log/slurm/slurmd.log)"
  for _ in $(seq 1 30); do
    if sinfo -h -o %t 2>/dev/null | grep -q idle; then
      echo "slurm: ready ($(sinfo -h -o '%P %D node(s) %c CPUs %t'))"; exit 0
    fi
    sleep 1
  done
  skip "the node did not become idle within 30 s: $(sinfo 2>&1 | tail -1)"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
