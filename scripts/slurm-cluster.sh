#!/usr/bin/env bash
# A one-node SLURM cluster on this machine, for the batch test: no systemd, daemons started and
# stopped by this script only (by the PIDs it recorded, never by name).
#
#   scripts/slurm-cluster.sh start STATE_DIR   installs slurm and munge if missing, starts munged,
#                                              slurmctld and slurmd, waits until the node is idle
#   scripts/slurm-cluster.sh stop STATE_DIR    stops exactly the daemons that start recorded
set -euo pipefail

command=${1:?usage: slurm-cluster.sh start|stop STATE_DIR}
state=$(realpath -m "${2:?usage: slurm-cluster.sh start|stop STATE_DIR}")
node=$(hostname -s)

stop_pid() { # stop one recorded daemon if it is still the program we started
    local file=$1 name=$2
    [ -f "$file" ] || return 0
    local pid; pid=$(cat "$file")
    if [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ]; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
        [ -e "/proc/$pid" ] && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

case "$command" in
stop)
    stop_pid "$state/slurmd.pid" slurmd
    stop_pid "$state/slurmctld.pid" slurmctld
    stop_pid "$state/munged.pid" munged
    exit 0
    ;;
start) ;;
*) echo "usage: slurm-cluster.sh start|stop STATE_DIR" >&2; exit 64 ;;
esac

"$(dirname "$0")/install-deps.sh" slurmctld slurmd slurm-client munge

rm -rf "$state"
mkdir -p "$state/ctld" "$state/d" "$state/log" "$state/munge"
chown munge:munge "$state/munge"

# munge: its run folder does not exist without systemd; the key must belong to munge, mode 0600.
mkdir -p /run/munge && chown munge:munge /run/munge && chmod 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom bs=1024 count=1 of=/etc/munge/munge.key status=none
fi
chown munge:munge /etc/munge/munge.key && chmod 0600 /etc/munge/munge.key
runuser -u munge -- /usr/sbin/munged --pid-file="$state/munge/munged.pid" --socket=/run/munge/munge.socket.2
for _ in $(seq 50); do [ -s "$state/munge/munged.pid" ] && break; sleep 0.1; done
cp "$state/munge/munged.pid" "$state/munged.pid"
munge -n | unmunge >/dev/null

memory=$(awk '/MemAvailable/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
mkdir -p /etc/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=imatci
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

/usr/sbin/slurmctld
/usr/sbin/slurmd

for _ in $(seq 100); do scontrol ping >/dev/null 2>&1 && break; sleep 0.2; done
for _ in $(seq 150); do
    status=$(sinfo -h -n "$node" -o %t 2>/dev/null || true)
    case "$status" in
    idle*) echo "slurm: node $node idle"; exit 0 ;;
    down*|drain*) scontrol update nodename="$node" state=resume >/dev/null 2>&1 || true ;;
    esac
    sleep 0.2
done
echo "slurm: node $node did not become idle; see $state/log" >&2
exit 1
