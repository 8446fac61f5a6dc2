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

/* Under RTNL, before the transmit path can see the file. */
void vndd_file_set_attached(struct vndd_file *vf)
{
	unsigned long flags;

	spin_lock_irqsave(&vf->queue.lock, flags);
	WRITE_ONCE(vf->state, VNDD_FILE_ATTACHED);
	spin_unlock_irqrestore(&vf->queue.lock, flags);
}

/*
 * Under RTNL, once unlinked from its interface: nothing is queued after
 * this (the state changes under the queue's lock, which enqueue holds),
 * and what was queued is freed now rather than at close. Wakes readers and
 * pollers. Returns the number of frames dropped.
 */
unsigned int vndd_file_orphan(struct vndd_file *vf)
{
	struct sk_buff_head purged;
	unsigned long flags;
	unsigned int n;

	__skb_queue_head_init(&purged);
	spin_lock_irqsave(&vf->queue.lock, flags);
	WRITE_ONCE(vf->state, VNDD_FILE_ORPHANED);
	skb_queue_splice_init(&vf->queue, &purged);
	spin_unlock_irqrestore(&vf->queue.lock, flags);
	n = skb_queue_len(&purged);
	__skb_queue_purge(&purged);
	wake_up_interruptible_poll(&vf->wait, EPOLLIN | EPOLLERR | EPOLLHUP);
	return n;
}

/* Transmit path, under RCU. Takes skb on success. */
int vndd_file_enqueue(struct vndd_file *vf, struct sk_buff *skb, unsigned int limit)
{
	unsigned long flags;
	int err = 0;

	if (skb_queue_len_lockless(&vf->queue) >= max(limit, 1U))
		return -ENOBUFS;
	/* A file without virtio_net_hdrs takes whole, checksummed frames;
	 * only a feature change racing with the queue gets here. */
	if (!(vf->flags & VNDD_ATTACH_VNET_HDR)) {
		if (skb_is_gso(skb))
			return -EINVAL;
		if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
			return -EINVAL;
	}
	/* Copy user-space fragments now; release socket memory and conntrack
	 * state so a slow reader cannot pin them. */
	if (skb_orphan_frags_rx(skb, GFP_ATOMIC))
		return -ENOMEM;
	skb_orphan(skb);
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	spin_lock_irqsave(&vf->queue.lock, flags);
	if (vf->state != VNDD_FILE_ATTACHED)
		err = -ENOLINK; /* detached since the caller looked */
	else if (skb_queue_len(&vf->queue) >= max(limit, 1U))
		err = -ENOBUFS;
	else
		__skb_queue_tail(&vf->queue, skb);
	spin_unlock_irqrestore(&vf->queue.lock, flags);
	if (!err)
		wake_up_interruptible_poll(&vf->wait, EPOLLIN | EPOLLRDNORM);
	return err;
}

/* Puts back a frame read() could not hand out; dropped if detached since. */
static void vndd_file_requeue(struct vndd_file *vf, struct sk_buff *skb)
{
	unsigned long flags;
	bool attached;

	spin_lock_irqsave(&vf->queue.lock, flags);
	attached = vf->state == VNDD_FILE_ATTACHED;
	if (attached)
		__skb_queue_head(&vf->queue, skb);
	spin_unlock_irqrestore(&vf->queue.lock, flags);
	if (!attached)
		kfree_skb(skb);
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

/* Frames a read() handed out: they count in tx_packets now (not when
 * queued), so a frame dropped at read counts once, in tx_dropped. */
static void vndd_count_read(struct vndd_file *vf, unsigned int packets, unsigned int bytes)
{
	struct net_device *dev;

	if (!packets)
		return;
	dev = vndd_file_get_dev(vf);
	if (!dev)
		return; /* detached meanwhile: its counters are going away */
	local_bh_disable();
	vndd_count_tx(dev, packets, bytes);
	local_bh_enable();
	dev_put(dev);
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

static void vndd_drop_read(struct vndd_file *vf, struct sk_buff *skb)
{
	vndd_count_tx_drop(vf);
	kfree_skb(skb);
}

/* One record of a batch: padding after the previous one, its struct
 * vndd_frame, the frame. -EMSGSIZE when it does not fit `to`. */
static int vndd_put_record(struct vndd_file *vf, struct sk_buff *skb, struct iov_iter *to, size_t *done)
{
	static const u8 zeros[VNDD_BATCH_ALIGN];
	size_t pad = ALIGN(*done, VNDD_BATCH_ALIGN) - *done;
	size_t len = vndd_frame_user_len(vf, skb);
	struct vndd_frame rec = { .len = len };
	int err;

	if (pad + sizeof(rec) + len > iov_iter_count(to))
		return -EMSGSIZE;
	if (copy_to_iter(zeros, pad, to) != pad || copy_to_iter(&rec, sizeof(rec), to) != sizeof(rec))
		return -EFAULT;
	err = vndd_frame_to_user(vf, skb, to);
	if (!err)
		*done += pad + sizeof(rec) + len;
	return err;
}

static ssize_t vndd_read_batch(struct vndd_file *vf, struct sk_buff *skb, struct iov_iter *to)
{
	unsigned int n, bytes = 0;
	size_t done = 0;
	int err;

	for (n = 0; skb && n < VNDD_BATCH_MAX; n++) {
		err = vndd_put_record(vf, skb, to, &done);
		if (err == -EMSGSIZE && n > 0)
			break; /* the next read's first frame */
		if (err) {
			vndd_drop_read(vf, skb);
			/* A frame was already filled but not its successor: only
			 * a fault gets here, and the caller sees what was copied. */
			if (!n)
				return err;
			skb = NULL;
			break;
		}
		bytes += skb->len;
		consume_skb(skb);
		skb = skb_dequeue(&vf->queue);
	}
	if (skb)
		vndd_file_requeue(vf, skb);
	vndd_count_read(vf, n, bytes);
	return done;
}

ssize_t vndd_file_read(struct vndd_file *vf, struct iov_iter *to, bool nonblock)
{
	struct sk_buff *skb;
	size_t len;
	int err;

	/* A zero-length read takes nothing, as for tun. */
	if (!iov_iter_count(to)) {
		err = READ_ONCE(vf->state);
		return err == VNDD_FILE_ATTACHED ? 0 : vndd_state_error(err);
	}
	skb = vndd_file_dequeue(vf, nonblock, &err);
	if (!skb)
		return err;
	if (READ_ONCE(vf->flags) & VNDD_ATTACH_BATCH_READ)
		return vndd_read_batch(vf, skb, to);
	/* Never hand out part of a frame: drop it and say so. */
	len = vndd_frame_user_len(vf, skb);
	err = len > iov_iter_count(to) ? -EMSGSIZE : vndd_frame_to_user(vf, skb, to);
	if (err) {
		vndd_drop_read(vf, skb);
		return err;
	}
	vndd_count_read(vf, 1, skb->len);
	consume_skb(skb);
	return len;
}

/* Takes the records of a batched write until the buffer ends or one is bad. */
static ssize_t vndd_write_batch(struct vndd_file *vf, struct net_device *dev, struct iov_iter *from)
{
	size_t total = iov_iter_count(from), done = 0, pad;
	struct vndd_frame rec;
	int n, err = 0;

	for (n = 0; n < VNDD_BATCH_MAX && done < total; n++) {
		pad = ALIGN(done, VNDD_BATCH_ALIGN) - done;
		if (pad >= total - done)
			return total; /* padding after the last record */
		iov_iter_advance(from, pad);
		done += pad;
		if (total - done < sizeof(rec)) {
			err = -EINVAL;
			break;
		}
		if (copy_from_iter(&rec, sizeof(rec), from) != sizeof(rec)) {
			err = -EFAULT;
			break;
		}
		if (rec.flags || rec.len > total - done - sizeof(rec)) {
			err = -EINVAL;
			break;
		}
		err = vndd_frame_from_user(vf, dev, from, rec.len);
		if (err)
			break;
		done += sizeof(rec) + rec.len;
	}
	return n ? done : err;
}

/* An error write() returns is counted once, when returned: a batch that
 * stops at a bad record reports it with the next write(). */
static void vndd_count_write_error(struct net_device *dev, ssize_t err)
{
	if (err == -EINVAL || err == -EMSGSIZE)
		vndd_count_frame_error(dev);
	else if (err == -ENETDOWN)
		dev_core_stats_rx_dropped_inc(dev);
}

ssize_t vndd_file_write(struct vndd_file *vf, struct iov_iter *from)
{
	size_t len = iov_iter_count(from);
	struct net_device *dev;
	int state = READ_ONCE(vf->state);
	ssize_t ret;

	if (state != VNDD_FILE_ATTACHED)
		return vndd_state_error(state);
	dev = vndd_file_get_dev(vf);
	if (!dev)
		return -ENODEV;
	if (READ_ONCE(vf->flags) & VNDD_ATTACH_BATCH_WRITE) {
		ret = vndd_write_batch(vf, dev, from);
	} else {
		ret = vndd_frame_from_user(vf, dev, from, len);
		if (!ret)
			ret = len;
	}
	if (ret < 0)
		vndd_count_write_error(dev, ret);
	dev_put(dev);
	return ret;
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
