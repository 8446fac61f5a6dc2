/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vnddmgr internals shared by its files:
 *   vnddmgr_main.c   module load/unload and the /dev/vnddmgr file operations
 *   vnddmgr_ctl.c    the ioctls: argument checks, privilege, dispatch
 *   vnddmgr_netdev.c the network interfaces: create, attach, detach, transmit
 *   vnddmgr_file.c   frame I/O on an attached file: queue, read, write, poll
 *   vnddmgr_frame.c  one frame to/from user space, with its virtio_net_hdr
 *   vnddmgr_compat.h what differs between the kernels it builds for
 *
 * Locking: RTNL guards every link between an interface and a file
 * (attach, detach, remove, list). The packet path reads those links under
 * RCU only; a file is freed after a grace period once unlinked. A file's
 * state changes to ORPHANED under its queue's lock, which the transmit
 * path holds to queue a frame: no frame is queued after the purge.
 */
#ifndef VNDDMGR_H
#define VNDDMGR_H

#include <linux/netdevice.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/skbuff.h>
#include <linux/uio.h>
#include <linux/wait.h>

#include "vnddmgr_abi.h"

struct vndd_file;

/* netdev_priv() of every vndd interface. */
struct vndd_dev {
	struct net_device *dev;
	struct vndd_file __rcu *file; /* the attached file; written under RTNL */
	struct pid *attached_pid;     /* its opener's thread group; under RTNL */
	atomic64_t tx_dropped;        /* frames from the stack nobody took */
	atomic64_t rx_frame_errors;   /* malformed frames write() refused */
};

enum vndd_file_state {
	VNDD_FILE_IDLE,     /* never attached */
	VNDD_FILE_ATTACHED, /* moving frames */
	VNDD_FILE_ORPHANED, /* its interface was removed */
};

/* private_data of an open /dev/vnddmgr. */
struct vndd_file {
	struct vndd_dev __rcu *vdev; /* written under RTNL */
	int state;                   /* enum vndd_file_state; written under queue.lock */
	u32 flags;                   /* VNDD_ATTACH_*; VNET_HDR fixed at attach; READ_ONCE */
	struct sk_buff_head queue;   /* frames waiting for read() */
	wait_queue_head_t wait;
};

/* vnddmgr_netdev.c */
int vndd_link_register(void);
void vndd_link_unregister(void);
int vndd_create(struct net *net, const struct vndd_add *req);
struct vndd_dev *vndd_lookup(struct net *net, const char *name);
void vndd_attach(struct vndd_dev *vd, struct vndd_file *vf, u32 flags);
void vndd_detach(struct vndd_dev *vd);
void vndd_fill_info(struct vndd_dev *vd, struct vndd_info *info);
bool vndd_is_ours(const struct net_device *dev);
void vndd_count_rx(struct net_device *dev, unsigned int len);
void vndd_count_tx(struct net_device *dev, unsigned int packets, unsigned int len);
void vndd_count_frame_error(struct net_device *dev);

/* vnddmgr_file.c */
struct vndd_file *vndd_file_alloc(void);
void vndd_file_free(struct vndd_file *vf);
void vndd_file_set_attached(struct vndd_file *vf);
unsigned int vndd_file_orphan(struct vndd_file *vf);
int vndd_file_enqueue(struct vndd_file *vf, struct sk_buff *skb, unsigned int limit);
ssize_t vndd_file_read(struct vndd_file *vf, struct iov_iter *to, bool nonblock);
ssize_t vndd_file_write(struct vndd_file *vf, struct iov_iter *from);
__poll_t vndd_file_poll(struct vndd_file *vf, struct file *file, poll_table *wait);

/* vnddmgr_frame.c */
size_t vndd_frame_user_len(const struct vndd_file *vf, const struct sk_buff *skb);
int vndd_frame_to_user(const struct vndd_file *vf, const struct sk_buff *skb, struct iov_iter *to);
int vndd_frame_from_user(const struct vndd_file *vf, struct net_device *dev, struct iov_iter *from,
			 size_t len);

/* vnddmgr_ctl.c */
long vndd_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* VNDDMGR_H */
