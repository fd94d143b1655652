# Sourced by benchmarks/compare.sh and benchmarks/capture-configs.sh.
# busybox_rootfs DIR: a root filesystem at DIR from the static busybox: a link per applet, the
# directories runtimes mount on, and root's entries in /etc/passwd and /etc/group.
busybox_rootfs() {
  local rootfs="$1" applet
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\n' > "$rootfs/etc/group"
}
