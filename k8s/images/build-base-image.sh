#!/usr/bin/env bash
# Builds the images' base, Debian bookworm with Debian's OpenJDK 17 JRE, from Debian's package
# mirror alone, and writes it as a `docker save` tarball that Jib takes as its base
# (-Dtally.image.base=tar://...). For machines that reach a Debian mirror but no container
# registry; with a registry, Jib pulls eclipse-temurin:17-jre instead and this is not needed.
#
# Usage: k8s/images/build-base-image.sh [OUTPUT_TAR]   (root and debootstrap required)
set -euo pipefail

out=${1:-target/images/tally-base.tar}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
suite=bookworm
tag=tally-base:${suite}-jre17

if [[ $(id -u) -ne 0 ]]; then
    echo "build-base-image: debootstrap needs root" >&2
    exit 2
fi
command -v debootstrap >/dev/null || { echo "build-base-image: install debootstrap (apt-get install debootstrap)" >&2; exit 2; }

work=$(mktemp -d)
# Unmount whatever a failed step left mounted before deleting, and never delete across file systems.
trap 'umount -R -l "$work/rootfs/proc" 2>/dev/null || true; rm -rf --one-file-system "$work"' EXIT
rootfs=$work/rootfs

debootstrap --variant=minbase --include=ca-certificates,tzdata "$suite" "$rootfs" "$mirror"

# Security and point-release updates, which debootstrap alone does not apply.
cat > "$rootfs/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
EOF
mount -t proc proc "$rootfs/proc"
chroot "$rootfs" apt-get -q update
chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get -q -y upgrade
chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get -q -y install --no-install-recommends \
    openjdk-17-jre-headless
chroot "$rootfs" apt-get clean
umount "$rootfs/proc"

# The images run as 10001:10001 (numeric, for runAsNonRoot); a passwd entry gives the JVM a user name and home.
echo 'tally:x:10001:10001:Tally:/home/tally:/usr/sbin/nologin' >> "$rootfs/etc/passwd"
echo 'tally:x:10001:' >> "$rootfs/etc/group"
install -d -o 10001 -g 10001 "$rootfs/home/tally"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/var/log/*
# debootstrap copies the build host's name and resolver; a container gets both from its runtime.
: > "$rootfs/etc/resolv.conf"
: > "$rootfs/etc/hostname"

# One layer, its file times set to when the packages were installed (debootstrap and dpkg leave
# build-time stamps in some files, so two builds differ slightly).
layer=$work/layer.tar
tar --create --file "$layer" --directory "$rootfs" --numeric-owner --sort=name \
    --mtime="@$(stat -c %Y "$rootfs/var/lib/dpkg/status")" --exclude=./proc/* --exclude=./dev/* .
layer_sha=$(sha256sum "$layer" | cut -d' ' -f1)
# Resolved inside the image: its alternatives links are absolute paths, which outside would name the host's Java.
java_home=$(chroot "$rootfs" readlink -f /usr/bin/java)
java_home=${java_home%/bin/java}
architecture=$(chroot "$rootfs" dpkg --print-architecture)

image=$work/image
mkdir -p "$image/$layer_sha"
mv "$layer" "$image/$layer_sha/layer.tar"
cat > "$image/config.json" <<EOF
{"architecture":"$architecture","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"],
           "User":"10001:10001","WorkingDir":"/home/tally"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]}}
EOF
config_sha=$(sha256sum "$image/config.json" | cut -d' ' -f1)
mv "$image/config.json" "$image/$config_sha.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' \
    "$config_sha" "$tag" "$layer_sha" > "$image/manifest.json"

mkdir -p "$(dirname "$out")"
# Entry names without "./", as `docker save` writes them.
tar --create --file "$out" --directory "$image" --sort=name --mtime=@0 --numeric-owner \
    manifest.json "$config_sha.json" "$layer_sha"
echo "build-base-image: $tag ($(du -h "$out" | cut -f1)) written to $out"
