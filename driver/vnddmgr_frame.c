// SPDX-License-Identifier: GPL-2.0
/*
 * One frame between user space and an skb, in the file's framing: plain,
 * or preceded by a virtio_net_hdr (VNDD_ATTACH_VNET_HDR). The batch loops
 * in vnddmgr_file.c call these once per record.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include <linux/virtio_net.h>

#include "vnddmgr.h"

static unsigned int vndd_hdr_size(const struct vndd_file *vf)
{
	return (vf->flags & VNDD_ATTACH_VNET_HDR) ? VNDD_VNET_HDR_SIZE : 0;
}

/* Bytes the frame takes in user space: its header, if any, and its data. */
size_t vndd_frame_user_len(const struct vndd_file *vf, const struct sk_buff *skb)
{
	return vndd_hdr_size(vf) + skb->len;
}

/* Copies the header (if any) and the frame out. Does not free skb. */
int vndd_frame_to_user(const struct vndd_file *vf, const struct sk_buff *skb, struct iov_iter *to)
{
	struct virtio_net_hdr hdr;

	if (vf->flags & VNDD_ATTACH_VNET_HDR) {
		/* Only TCP super-frames are offered (dev->features), but a
		 * feature change may race with frames already queued. */
		if (virtio_net_hdr_from_skb(skb, &hdr, true, false, 0))
			return -EINVAL;
		if (copy_to_iter(&hdr, sizeof(hdr), to) != sizeof(hdr))
			return -EFAULT;
	}
	return skb_copy_datagram_iter(skb, 0, to, skb->len);
}

/* A virtio_net_hdr we accept: known flags, hdr_len inside the frame; a
 * checksum starting after the Ethernet header; a super-frame only for
 * TCP, with a partial checksum and a segment size.
 * virtio_net_hdr_to_skb checks the checksum offsets. */
static int vndd_check_vnet_hdr(const struct virtio_net_hdr *hdr, size_t frame_len)
{
	if (hdr->flags & ~(VIRTIO_NET_HDR_F_NEEDS_CSUM | VIRTIO_NET_HDR_F_DATA_VALID))
		return -EINVAL;
	if (__virtio16_to_cpu(true, hdr->hdr_len) > frame_len)
		return -EINVAL;
	/* A checksum starting inside the Ethernet header would be written there. */
	if ((hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) && __virtio16_to_cpu(true, hdr->csum_start) < ETH_HLEN)
		return -EINVAL;
	if (hdr->gso_type == VIRTIO_NET_HDR_GSO_NONE)
		return 0;
	switch (hdr->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
	case VIRTIO_NET_HDR_GSO_TCPV6:
		break;
	default:
		return -EINVAL; /* UFO and unknown types */
	}
	if (!(hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || !hdr->gso_size)
		return -EINVAL;
	return 0;
}

/* Room in front of a written frame for what the stack may prepend when
 * it forwards or encapsulates it, and the IP header's alignment. */
#define VNDD_HEADROOM (NET_SKB_PAD + NET_IP_ALIGN)
/* Linear bytes of a large frame when its header asks for no more. */
#define VNDD_GOODCOPY 256

/*
 * The bytes worth having linear: a small frame whole; of a larger one the
 * headers the stack parses first (hdr_len, and the checksum field when
 * NEEDS_CSUM says the csum fields mean something). Both come from user
 * space: the linear part never exceeds one page with its headroom, as for
 * tun; the stack pulls more from the fragments when it needs to.
 */
static size_t vndd_linear_len(const struct virtio_net_hdr *hdr, size_t len)
{
	const size_t cap = SKB_MAX_HEAD(VNDD_HEADROOM);
	size_t want = VNDD_GOODCOPY;

	if (len <= cap)
		return len;
	if (hdr) {
		want = max_t(size_t, want, __virtio16_to_cpu(true, hdr->hdr_len));
		if (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
			want = max_t(size_t, want, __virtio16_to_cpu(true, hdr->csum_start) +
							   __virtio16_to_cpu(true, hdr->csum_offset) + 2);
	}
	return min(want, cap);
}

static struct sk_buff *vndd_alloc_frame(struct iov_iter *from, size_t len, size_t linear, int *err)
{
	struct sk_buff *skb;

	skb = alloc_skb_with_frags(VNDD_HEADROOM + linear, len - linear, PAGE_ALLOC_COSTLY_ORDER, err,
				   GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, VNDD_HEADROOM);
	skb_put(skb, linear);
	skb->data_len = len - linear;
	skb->len += len - linear;
	if (skb_copy_datagram_from_iter(skb, 0, from, len)) {
		kfree_skb(skb);
		*err = -EFAULT;
		return NULL;
	}
	*err = 0; /* alloc_skb_with_frags leaves -ENOBUFS there on success */
	return skb;
}

/*
 * Hands a frame to the stack in the writer's context, as tun does: with BH
 * off, as the receive path would run from a NAPI poll, without a trip
 * through the backlog; the per-CPU counter update stays on one CPU.
 */
static void vndd_receive(struct net_device *dev, struct sk_buff *skb, unsigned int len)
{
	local_bh_disable();
	/* A refused frame is counted by the core (rx_dropped). */
	if (netif_receive_skb(skb) == NET_RX_SUCCESS)
		vndd_count_rx(dev, len);
	local_bh_enable();
}

/*
 * Reads one frame of `len` user bytes (header included) from `from` and
 * hands it to the stack of `dev`. Returns 0 when the stack took or dropped
 * it, -ENETDOWN when the interface is down, or an error for a frame that
 * breaks the ABI (-EINVAL, -EMSGSIZE; -EFAULT, -ENOMEM).
 */
int vndd_frame_from_user(const struct vndd_file *vf, struct net_device *dev, struct iov_iter *from,
			 size_t len)
{
	size_t hlen = vndd_hdr_size(vf), frame_len, mtu_limit;
	struct virtio_net_hdr hdr = {};
	struct sk_buff *skb;
	int err = 0;

	if (!netif_running(dev))
		return -ENETDOWN;
	if (len < hlen + ETH_HLEN)
		return -EINVAL;
	frame_len = len - hlen;
	if (hlen && copy_from_iter(&hdr, sizeof(hdr), from) != sizeof(hdr))
		return -EFAULT;
	if (hlen && vndd_check_vnet_hdr(&hdr, frame_len))
		return -EINVAL;
	mtu_limit = READ_ONCE(dev->mtu) + ETH_HLEN + VLAN_HLEN;
	if (frame_len > (hdr.gso_type != VIRTIO_NET_HDR_GSO_NONE ? VNDD_MAX_GSO_FRAME : mtu_limit))
		return -EMSGSIZE;
	skb = vndd_alloc_frame(from, frame_len, vndd_linear_len(hlen ? &hdr : NULL, frame_len), &err);
	if (!skb)
		return err;
	skb->dev = dev;
	if (hlen && virtio_net_hdr_to_skb(skb, &hdr, true))
		err = -EINVAL;
	/* A frame that fits one segment is left a plain frame, whatever
	 * gso_type said: then it must fit the MTU like any other. */
	else if (!skb_is_gso(skb) && frame_len > mtu_limit)
		err = -EMSGSIZE;
	if (err) {
		kfree_skb(skb);
		return err;
	}
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	skb_probe_transport_header(skb);
	vndd_receive(dev, skb, frame_len);
	return 0;
}
