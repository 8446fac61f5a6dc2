/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The vnddmgr ioctl ABI: the one contract between the kernel module and
 * TVPN's tools (vnddconfig, vnddvpnd). Both include this file.
 *
 * Rules that keep it stable:
 *  - fixed-size types only, explicit padding, no pointers inside structs:
 *    every struct has the same layout on 32- and 64-bit (checked at build
 *    time on both sides);
 *  - every struct carries reserved fields and a flags word; the module
 *    rejects non-zero reserved fields and unknown flags with EINVAL, so a
 *    later minor version can give them meaning without ambiguity;
 *  - VNDD_IOC_GETVER reports the ABI version; tools refuse a different
 *    major version. Minor versions only add.
 *
 * Frame I/O on a file attached with VNDD_IOC_ATTACH:
 *  - read() returns one whole Ethernet frame the stack sent through the
 *    interface. A buffer too small for the next frame: EMSGSIZE, and the
 *    frame is dropped, never cut. A zero-length read() returns 0 and takes
 *    nothing. A frame counts in the interface's tx_packets when read()
 *    hands it out, in tx_dropped when it is dropped instead (queue full,
 *    buffer too small or faulting, interface removed): once either way.
 *  - write() injects one frame as if the interface had received it; the
 *    stack processes it in the writer's context (unless RPS steers it to
 *    another CPU), as for tun. The frame must be 14..MTU+18 bytes (EINVAL,
 *    EMSGSIZE); a write to an interface that is down fails with ENETDOWN.
 *    Each write() that fails with EINVAL or EMSGSIZE counts once in
 *    rx_frame_errors, each one that fails with ENETDOWN once in
 *    rx_dropped. A frame the stack drops (unknown protocol, another host's
 *    address...) is consumed: the write succeeds, the frame does not count
 *    in rx_packets, the stack counts it where it drops it.
 *  - both: EBADFD before ATTACH, ENODEV once the interface is gone (its
 *    unread frames are dropped then, not kept until close), EAGAIN with
 *    O_NONBLOCK, EFAULT for a bad buffer. poll() works as for sockets;
 *    lseek() fails with ESPIPE.
 * Two ATTACH flags, announced in GETVER's features, add offload metadata
 * (a virtio_net_hdr before each frame) and batched read()/write()
 * (several frames per call).
 *
 * ABI 2.0 renumbered the ioctls (1.x used the magic 0xDD, which belongs
 * to the zfcp driver, and gave SETFLAGS a number it called reserved); its
 * structs are those of 1.1. New in 2.0 as well: ENETDOWN for a write to a
 * down interface, zero-length reads, tx_packets counted at read().
 */
#ifndef VNDDMGR_ABI_H
#define VNDDMGR_ABI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VNDD_DEVICE_NAME "vnddmgr" /* /dev/vnddmgr */
#define VNDD_LINK_KIND "vndd"      /* what `ip -d link` shows */

#define VNDD_ABI_MAJOR 2 /* bumped only on an incompatible change; 2: new ioctl numbers */
#define VNDD_ABI_MINOR 0 /* bumped when something is added */

#define VNDD_NAME_SIZE 16 /* IFNAMSIZ: at most 15 bytes and a NUL */
#define VNDD_MAC_SIZE 6
#define VNDD_MIN_MTU 68    /* IPv4's minimum (RFC 791) */
#define VNDD_MAX_MTU 65000 /* a tunnelled frame must still fit one UDP datagram */
/* The largest frame read() returns or write() takes: MTU, Ethernet and one VLAN header. */
#define VNDD_MAX_FRAME (VNDD_MAX_MTU + 14 + 4)
#define VNDD_LIST_BATCH 16 /* entries per VNDD_IOC_LIST call */

/* vndd_version.features */
#define VNDD_FEAT_FRAME_RW (1u << 0) /* single-frame read()/write() */
#define VNDD_FEAT_VNET_HDR (1u << 1) /* ATTACH flag VNDD_ATTACH_VNET_HDR */
#define VNDD_FEAT_BATCH (1u << 2)    /* VNDD_ATTACH_BATCH_*, VNDD_IOC_SETFLAGS */

/*
 * Offload metadata (VNDD_ATTACH_VNET_HDR): every frame read or written is
 * preceded by a struct virtio_net_hdr (<linux/virtio_net.h>, 10 bytes,
 * little-endian), exactly as TAP's IFF_VNET_HDR with TUNSETVNETHDRSZ 10.
 * The interface then offers SG, HW_CSUM, TSO, TSO_ECN and TSO6 to the
 * stack (no UDP segmentation offload): read() may return a TCP super-frame
 * of up to VNDD_MAX_GSO_FRAME bytes with gso_type TCPV4 or TCPV6 (ECN bit
 * possible), or a frame with a partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM).
 * write() accepts the same and nothing more: gso_type UDP or UDP_L4, other
 * unknown gso_type or flags, a super-frame without NEEDS_CSUM or with
 * gso_size 0, a checksum outside the frame or inside its Ethernet header,
 * hdr_len beyond the frame: EINVAL. A super-frame may be up to
 * VNDD_MAX_GSO_FRAME bytes; one that fits a single gso_size segment is
 * taken as a plain frame and must then fit the MTU (EMSGSIZE).
 */
#define VNDD_VNET_HDR_SIZE 10
#define VNDD_MAX_GSO_FRAME (65536 + 14 + 4)

/*
 * Batched frame I/O: with VNDD_ATTACH_BATCH_READ read(), with
 * VNDD_ATTACH_BATCH_WRITE write() carries a sequence of records, each a
 * struct vndd_frame followed by `len` bytes (the virtio_net_hdr, when
 * attached with VNDD_ATTACH_VNET_HDR, then the frame), the next record
 * starting at the following multiple of VNDD_BATCH_ALIGN. At most
 * VNDD_BATCH_MAX records per call.
 *  - read() returns as many whole records as fit the buffer (at least one;
 *    blocking as the single-frame read when none waits). When the first
 *    frame alone does not fit: EMSGSIZE, that frame dropped and counted.
 *    The return value is the number of bytes filled, padding included.
 *  - write() injects records in order and returns the bytes consumed (the
 *    end of the last record taken, padding included). A record that
 *    cannot be taken (len too small or too large, beyond the buffer,
 *    non-zero flags, bad virtio_net_hdr, interface down) stops the batch:
 *    when it is the first, write() fails as a single-frame write would
 *    (EINVAL for a malformed record); otherwise the records before it
 *    count as written and the next write() reports the error.
 *    A frame the stack drops is consumed, as for a single-frame write.
 */
#define VNDD_BATCH_ALIGN 8
#define VNDD_BATCH_MAX 64

struct vndd_frame {
	__u32 len;   /* bytes that follow this struct, before padding */
	__u32 flags; /* none yet: zero on read, must be zero on write */
};

struct vndd_version {
	__u32 major;
	__u32 minor;
	__u32 features;
	__u32 max_frame; /* VNDD_MAX_FRAME */
	__u32 reserved[4];
};

/* vndd_add.flags */
#define VNDD_ADD_MAC (1u << 0)   /* use mac[]; else a random locally administered one */
#define VNDD_ADD_NOARP (1u << 1) /* create with IFF_NOARP */
#define VNDD_ADD_FLAGS (VNDD_ADD_MAC | VNDD_ADD_NOARP)

/* VNDD_IOC_ADD: create a persistent interface in the caller's network namespace. */
struct vndd_add {
	char name[VNDD_NAME_SIZE]; /* NUL-terminated, zero-filled after the NUL */
	__u8 mac[VNDD_MAC_SIZE];   /* unicast, non-zero; only with VNDD_ADD_MAC */
	__u16 flags;
	__u32 mtu; /* VNDD_MIN_MTU..VNDD_MAX_MTU */
	__u32 reserved[5];
};

/* vndd_ref.flags for VNDD_IOC_REMOVE */
#define VNDD_REMOVE_FORCE (1u << 0) /* remove even while attached; that file gets ENODEV */
#define VNDD_REMOVE_FLAGS VNDD_REMOVE_FORCE
/* vndd_ref.flags for VNDD_IOC_ATTACH */
#define VNDD_ATTACH_VNET_HDR (1u << 0)    /* a virtio_net_hdr before each frame; offloads on */
#define VNDD_ATTACH_BATCH_READ (1u << 1)  /* read() returns struct vndd_frame records */
#define VNDD_ATTACH_BATCH_WRITE (1u << 2) /* write() takes struct vndd_frame records */
#define VNDD_ATTACH_BATCH (VNDD_ATTACH_BATCH_READ | VNDD_ATTACH_BATCH_WRITE)
#define VNDD_ATTACH_FLAGS (VNDD_ATTACH_VNET_HDR | VNDD_ATTACH_BATCH)

/* VNDD_IOC_REMOVE and VNDD_IOC_ATTACH: names an interface of the caller's namespace. */
struct vndd_ref {
	char name[VNDD_NAME_SIZE];
	__u32 flags;
	__u32 reserved[3];
};

/*
 * VNDD_IOC_SETFLAGS on an attached file: switches batched reads
 * and writes on or off (only VNDD_ATTACH_BATCH bits; VNDD_ATTACH_VNET_HDR
 * must stay as attached: EINVAL otherwise). Lets a daemon mix one-frame
 * and batched calls; a read() already running keeps the framing it began with.
 */
struct vndd_flags {
	__u32 flags;
	__u32 reserved[3];
};

/* vndd_info.flags */
#define VNDD_INFO_NOARP (1u << 0)
#define VNDD_INFO_ATTACHED (1u << 1)
#define VNDD_INFO_UP (1u << 2)

struct vndd_info {
	char name[VNDD_NAME_SIZE];
	__u8 mac[VNDD_MAC_SIZE];
	__u16 flags;
	__u32 ifindex;
	__u32 mtu;
	__s32 attached_pid; /* in the caller's PID namespace; 0: none or not visible */
	__u32 reserved[3];
};

/*
 * VNDD_IOC_LIST: the caller's namespace's interfaces in ifindex order, a
 * batch at a time. Start with after_ifindex 0; call again with the last
 * entry's ifindex while `more` is set. Stable under concurrent changes.
 */
struct vndd_list {
	__u32 after_ifindex; /* in */
	__u32 count;         /* out: entries filled */
	__u32 more;          /* out: 1 when interfaces follow the last entry */
	__u32 reserved;
	struct vndd_info entries[VNDD_LIST_BATCH];
};

/*
 * 0xDE is not assigned in the kernel's table of ioctl codes
 * (Documentation/userspace-api/ioctl/ioctl-number.rst, as of Linux 6.15).
 * Numbers 0x00-0x05 are used; 0x06-0x0f are free for later control
 * ioctls; 0x10-0x1f are reserved for a later ring-based frame I/O.
 */
#define VNDD_IOC_MAGIC 0xDE
#define VNDD_IOC_GETVER _IOR(VNDD_IOC_MAGIC, 0x00, struct vndd_version)
#define VNDD_IOC_ADD _IOW(VNDD_IOC_MAGIC, 0x01, struct vndd_add)
#define VNDD_IOC_REMOVE _IOW(VNDD_IOC_MAGIC, 0x02, struct vndd_ref)
#define VNDD_IOC_ATTACH _IOW(VNDD_IOC_MAGIC, 0x03, struct vndd_ref)
#define VNDD_IOC_LIST _IOWR(VNDD_IOC_MAGIC, 0x04, struct vndd_list)
#define VNDD_IOC_SETFLAGS _IOW(VNDD_IOC_MAGIC, 0x05, struct vndd_flags)

/* Sizes both sides check at build time. */
#define VNDD_VERSION_SIZE 32
#define VNDD_ADD_SIZE 48
#define VNDD_REF_SIZE 32
#define VNDD_INFO_SIZE 48
#define VNDD_LIST_SIZE (16 + VNDD_LIST_BATCH * VNDD_INFO_SIZE)
#define VNDD_FRAME_SIZE 8
#define VNDD_FLAGS_SIZE 16

#endif /* VNDDMGR_ABI_H */
