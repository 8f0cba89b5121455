#!/usr/bin/env bash
# Base images for the Containerfile where no container registry is reachable (this project's build
# machine): a Debian bookworm root file system made by debootstrap from the Debian mirror, plus this
# machine's Node.js 20 (the nodesource package's binary; npm too for the build image).
#   deploy/container/make-base-images.sh [workdir]
# makes localhost/debian-node20:bookworm-runtime and localhost/debian-node20:bookworm-build; then
#   podman build -f Containerfile --ignorefile deploy/container/containerignore \
#     --build-arg BUILD_IMAGE=localhost/debian-node20:bookworm-build \
#     --build-arg RUNTIME_IMAGE=localhost/debian-node20:bookworm-runtime -t localhost/metrology-ledger:0.1.0 .
set -euo pipefail
work="${1:-/var/tmp/metrology-ledger-images}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
node_bin="$(command -v node)"
node_version="$("$node_bin" --version)"
case "$node_version" in v20.*) ;; *) echo "Node.js 20 needed on this machine, found $node_version" >&2; exit 1 ;; esac
npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
for tool in debootstrap podman; do command -v "$tool" >/dev/null || { echo "$tool is not installed (Debian: apt-get install -y $tool)" >&2; exit 1; }; done

mkdir -p "$work"
runtime="$work/rootfs-runtime"
build="$work/rootfs-build"
if [ ! -x "$runtime/bin/sh" ]; then
  debootstrap --variant=minbase bookworm "$runtime" "$mirror"
fi
install -m 0755 "$node_bin" "$runtime/usr/local/bin/node"
# Smaller and without apt caches or docs.
rm -rf "$runtime"/var/cache/apt/archives/*.deb "$runtime"/var/lib/apt/lists/* "$runtime"/usr/share/doc/* "$runtime"/usr/share/man/*
tar -C "$runtime" -c . | podman import --change 'CMD ["/bin/sh"]' - "localhost/debian-node20:bookworm-runtime"

# The build image: the same, plus npm, python3, make and g++ (node-gyp, for better-sqlite3).
rm -rf "$build"
cp -a "$runtime" "$build"
cp /etc/resolv.conf "$build/etc/resolv.conf"
chroot "$build" /bin/sh -c "echo 'deb $mirror bookworm main' > /etc/apt/sources.list && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 make g++ ca-certificates >/dev/null && rm -rf /var/lib/apt/lists/*"
mkdir -p "$build/usr/local/lib/node_modules"
cp -a "$npm_dir" "$build/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$build/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$build/usr/local/bin/npx"
# Node's headers, so node-gyp builds native addons without downloading them (no nodejs.org needed).
node_headers="$(dirname "$(dirname "$node_bin")")/include/node"
if [ -d "$node_headers" ]; then mkdir -p "$build/usr/include" && cp -a "$node_headers" "$build/usr/include/node"; fi
tar -C "$build" -c . | podman import --change 'CMD ["/bin/sh"]' --change 'ENV npm_config_nodedir=/usr' - "localhost/debian-node20:bookworm-build"
# This machine (a Firecracker VM, cgroup v1, no CAP_SYS_RESOURCE) runs containers only with runc, the
# cgroupfs manager and lowered ulimits; see deploy/container/README.md.
podman --runtime "${OCI_RUNTIME:-/usr/sbin/runc}" --cgroup-manager cgroupfs run --rm --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 \
  localhost/debian-node20:bookworm-build sh -c 'node --version && npm --version && g++ --version | head -1'
