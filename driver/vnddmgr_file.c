// SPDX-License-Identifier: GPL-2.0
/*
 * Frame I/O on a file attached to a vndd interface: the bounded queue the
 * transmit path fills, and the read/write/poll the daemon uses.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/slab.h>
#include <net/dst.h>

#include "vnddmgr.h"

struct vndd_file *vndd_file_alloc(void)
{
	struct vndd_file *vf = kzalloc(sizeof(*vf), GFP_KERNEL);

	if (!vf)
		return NULL;
	skb_queue_head_init(&vf->queue);
	init_waitqueue_head(&vf->wait);
	vf->state = VNDD_FILE_IDLE;
	return vf;
}

/* Called once the file is unlinked from its interface (or never was). */
void vndd_file_free(struct vndd_file *vf)
{
	/* A transmit that saw the old link may still be enqueueing. */
	if (READ_ONCE(vf->state) != VNDD_FILE_IDLE)
		synchronize_net();
	skb_queue_purge(&vf->queue);
	kfree(vf);
}

/* Transmit path, under RCU. Takes skb on success. */
int vndd_file_enqueue(struct vndd_file *vf, struct sk_buff *skb, unsigned int limit)
{
	if (skb_queue_len_lockless(&vf->queue) >= max(limit, 1U))
		return -ENOBUFS;
	/* Copy user-space fragments now; release socket memory and conntrack
	 * state so a slow reader cannot pin them. */
	if (skb_orphan_frags_rx(skb, GFP_ATOMIC))
		return -ENOMEM;
	skb_orphan(skb);
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb_queue_tail(&vf->queue, skb);
	wake_up_interruptible_poll(&vf->wait, EPOLLIN | EPOLLRDNORM);
	return 0;
}

static int vndd_state_error(int state)
{
	return state == VNDD_FILE_IDLE ? -EBADFD : -ENODEV;
}

/* The attached device with a reference held, or NULL. */
static struct net_device *vndd_file_get_dev(struct vndd_file *vf)
{
	struct net_device *dev = NULL;
	struct vndd_dev *vd;

	rcu_read_lock();
	vd = rcu_dereference(vf->vdev);
	if (vd) {
		dev = vd->dev;
		dev_hold(dev);
	}
	rcu_read_unlock();
	return dev;
}

static void vndd_count_tx_drop(struct vndd_file *vf)
{
	struct net_device *dev = vndd_file_get_dev(vf);

	if (dev) {
		atomic64_inc(&((struct vndd_dev *)netdev_priv(dev))->tx_dropped);
		dev_put(dev);
	}
}

static struct sk_buff *vndd_file_dequeue(struct vndd_file *vf, bool nonblock, int *err)
{
	struct sk_buff *skb;
	int state;

	for (;;) {
		state = READ_ONCE(vf->state);
		if (state != VNDD_FILE_ATTACHED) {
			*err = vndd_state_error(state);
			return NULL;
		}
		skb = skb_dequeue(&vf->queue);
		if (skb)
			return skb;
		if (nonblock) {
			*err = -EAGAIN;
			return NULL;
		}
		*err = wait_event_interruptible(vf->wait, !skb_queue_empty_lockless(&vf->queue) ||
								  READ_ONCE(vf->state) != VNDD_FILE_ATTACHED);
		if (*err)
			return NULL;
	}
}

ssize_t vndd_file_read(struct vndd_file *vf, struct iov_iter *to, bool nonblock)
{
	struct sk_buff *skb;
	ssize_t len;
	int err;

	skb = vndd_file_dequeue(vf, nonblock, &err);
	if (!skb)
		return err;
	len = skb->len;
	/* Never hand out part of a frame: drop it and say so. */
	if (len > iov_iter_count(to)) {
		vndd_count_tx_drop(vf);
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	err = skb_copy_datagram_iter(skb, 0, to, len);
	if (err) {
		vndd_count_tx_drop(vf);
		kfree_skb(skb);
		return err;
	}
	consume_skb(skb);
	return len;
}

static struct sk_buff *vndd_frame_from_user(struct iov_iter *from, size_t len, int *err)
{
	struct sk_buff *skb = alloc_skb(NET_IP_ALIGN + len, GFP_KERNEL);

	if (!skb) {
		*err = -ENOMEM;
		return NULL;
	}
	skb_reserve(skb, NET_IP_ALIGN);
	if (copy_from_iter(skb_put(skb, len), len, from) != len) {
		kfree_skb(skb);
		*err = -EFAULT;
		return NULL;
	}
	return skb;
}

ssize_t vndd_file_write(struct vndd_file *vf, struct iov_iter *from)
{
	size_t len = iov_iter_count(from);
	struct net_device *dev;
	struct sk_buff *skb;
	int state = READ_ONCE(vf->state);
	int err;

	if (state != VNDD_FILE_ATTACHED)
		return vndd_state_error(state);
	if (len < ETH_HLEN)
		return -EINVAL;
	if (len > VNDD_MAX_FRAME)
		return -EMSGSIZE;
	skb = vndd_frame_from_user(from, len, &err);
	if (!skb)
		return err;
	dev = vndd_file_get_dev(vf);
	if (!dev) {
		kfree_skb(skb);
		return -ENODEV;
	}
	if (len > dev->mtu + ETH_HLEN + VLAN_HLEN) {
		kfree_skb(skb);
		dev_put(dev);
		return -EMSGSIZE;
	}
	skb->protocol = eth_type_trans(skb, dev);
	/* A refused frame is counted by the core (rx_dropped). */
	if (netif_rx(skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(dev, len);
	dev_put(dev);
	return len;
}

__poll_t vndd_file_poll(struct vndd_file *vf, struct file *file, poll_table *wait)
{
	__poll_t mask;
	int state;

	poll_wait(file, &vf->wait, wait);
	state = READ_ONCE(vf->state);
	if (state == VNDD_FILE_IDLE)
		return EPOLLERR;
	if (state == VNDD_FILE_ORPHANED)
		return EPOLLERR | EPOLLHUP;
	mask = EPOLLOUT | EPOLLWRNORM;
	if (!skb_queue_empty_lockless(&vf->queue))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}
