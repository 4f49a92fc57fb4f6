#!/bin/sh
set -e
# Without --privileged docker mounts cgroupfs read-only (v1 or v2): remount
# every cgroup mount read-write so the engine's runc can create cgroups.
awk '$0 ~ / - cgroup2? / && $6 ~ /^ro/ {print $5}' /proc/self/mountinfo | while read -r m; do
  mount -o remount,bind,rw "$m"
done
# cgroup v2 nesting (as in moby's dind / dagger's engine): move ourselves out
# of the root cgroup, then enable all controllers for children.
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  mkdir -p /sys/fs/cgroup/init
  xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
  sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers > /sys/fs/cgroup/cgroup.subtree_control || :
fi
# dagger-engine reads /etc/dagger/engine.json itself (--config is the legacy
# BuildKit-style TOML file).
exec dagger-engine "$@"
