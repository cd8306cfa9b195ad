#!/usr/bin/env bash
# Runs a program as two MPI ranks on two "hosts" made on this machine: two network namespaces joined by a veth
# pair (10.77.0.1 and 10.77.0.2), Open MPI over TCP between them (shared memory off), launched without ssh
# (Open MPI's plm_rsh_agent is a script that runs `ip netns exec`). Both hosts see the same files, as hosts of a
# cluster share a file system. The namespaces are removed at exit.
#   Scripts/mpi_two_hosts.sh PROGRAM [ARGUMENTS...]     e.g. Scripts/mpi_two_hosts.sh .build/release/earshot train …
# Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN), iproute2 and Open MPI (Debian: apt-get install iproute2 openmpi-bin).
# Exits with mpirun's status; says on stderr how many bytes each host sent over the link.
# Exit 77 when namespaces cannot be made here (not root, or a container without the capabilities).
set -euo pipefail
program=$(realpath "$1")
shift
id=$$
a=earshot-$id-a
b=earshot-$id-b
dir=$(mktemp -d)
cleanup() {
  ip netns del "$a" 2>/dev/null || true
  ip netns del "$b" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

if ! ip netns add "$a" 2>/dev/null; then
  echo "mpi_two_hosts.sh: cannot create network namespaces here (needs root with CAP_SYS_ADMIN)" >&2
  exit 77
fi
ip netns add "$b"
ip link add "es${id}a" type veth peer name "es${id}b"
ip link set "es${id}a" netns "$a"
ip link set "es${id}b" netns "$b"
ip -n "$a" addr add 10.77.0.1/24 dev "es${id}a"
ip -n "$b" addr add 10.77.0.2/24 dev "es${id}b"
for ns in "$a" "$b"; do
  ip -n "$ns" link set lo up
done
ip -n "$a" link set "es${id}a" up
ip -n "$b" link set "es${id}b" up

# Open MPI starts its daemon on a remote host as `<agent> <host> <command…>`: run it in that host's namespace.
cat >"$dir/agent.sh" <<AGENT
#!/bin/sh
host=\$1
shift
case "\$host" in
  10.77.0.1) ns=$a ;;
  10.77.0.2) ns=$b ;;
  *) echo "agent.sh: unknown host \$host" >&2; exit 1 ;;
esac
exec ip netns exec "\$ns" /bin/sh -c "\$*"
AGENT
chmod +x "$dir/agent.sh"
printf '10.77.0.1 slots=1\n10.77.0.2 slots=1\n' >"$dir/hosts"

status=0
ip netns exec "$a" mpirun --allow-run-as-root -np 2 --hostfile "$dir/hosts" \
  --mca plm_rsh_agent "$dir/agent.sh" \
  --mca btl tcp,self --mca btl_tcp_if_include 10.77.0.0/24 --mca oob_tcp_if_include 10.77.0.0/24 \
  "$program" "$@" || status=$?
for ns in "$a" "$b"; do
  bytes=$(ip netns exec "$ns" cat /proc/net/dev | awk -v dev="es${id}" '$1 ~ "^"dev { print $10 }')
  echo "mpi_two_hosts.sh: host $ns sent $bytes bytes over the link" >&2
done
exit "$status"
