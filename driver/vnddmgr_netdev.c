// SPDX-License-Identifier: GPL-2.0
/*
 * vndd network interfaces: Ethernet devices whose transmit path queues
 * frames for the attached file and whose receive path is that file's
 * write(). Carrier is up only while a file is attached.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "vnddmgr.h"
#include "vnddmgr_compat.h"

/* What a file attached with VNDD_ATTACH_VNET_HDR takes: TCP super-frames
 * and partial checksums. Not UDP_L4: 6.1's virtio_net_hdr helpers lack it. */
#define VNDD_OFFLOADS (NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_TSO_ECN)

static struct rtnl_link_ops vndd_link_ops;

static int vndd_dev_init(struct net_device *dev)
{
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
}

/* Runs on every way out: the REMOVE ioctl, `ip link del`, the namespace
 * going away and module unload all end in unregister_netdevice. */
static void vndd_dev_uninit(struct net_device *dev)
{
	vndd_detach(netdev_priv(dev));
}

/* The per-CPU stats outlive uninit: a write() may still hold the device. */
static void vndd_dev_destruct(struct net_device *dev)
{
	free_percpu(dev->tstats);
}

/* Queues the frame for the attached file. It counts in tx_packets once
 * read() hands it out, in tx_dropped if it never is. */
static netdev_tx_t vndd_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vndd_dev *vd = netdev_priv(dev);
	struct vndd_file *vf;
	int err = -ENOLINK;

	rcu_read_lock();
	vf = rcu_dereference(vd->file);
	if (vf)
		err = vndd_file_enqueue(vf, skb, READ_ONCE(dev->tx_queue_len));
	rcu_read_unlock();
	if (err) {
		atomic64_inc(&vd->tx_dropped);
		kfree_skb(skb);
	}
	return NETDEV_TX_OK;
}

/*
 * The per-CPU counters are updated from read() and write(), in process
 * context: the callers disable BH around these, as tun does, so that the
 * update stays on one CPU and is not interleaved with another on it.
 * noinline: tests/vm probes the context they run in.
 */
noinline void vndd_count_rx(struct net_device *dev, unsigned int len)
{
	dev_sw_netstats_rx_add(dev, len);
}

noinline void vndd_count_tx(struct net_device *dev, unsigned int packets, unsigned int len)
{
	dev_sw_netstats_tx_add(dev, packets, len);
}

void vndd_count_frame_error(struct net_device *dev)
{
	atomic64_inc(&((struct vndd_dev *)netdev_priv(dev))->rx_frame_errors);
}

static void vndd_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *stats)
{
	struct vndd_dev *vd = netdev_priv(dev);

	dev_fetch_sw_netstats(stats, dev->tstats);
	/* The core adds its own drop counts: frames the stack refused, and
	 * writes to a down interface (rx_dropped). */
	stats->tx_dropped = atomic64_read(&vd->tx_dropped);
	stats->rx_frame_errors = atomic64_read(&vd->rx_frame_errors);
	stats->rx_errors = stats->rx_frame_errors;
}

/* Offloads only while a file that takes virtio_net_hdrs is attached. */
static netdev_features_t vndd_fix_features(struct net_device *dev, netdev_features_t features)
{
	struct vndd_file *vf = rtnl_dereference(((struct vndd_dev *)netdev_priv(dev))->file);

	if (!vf || !(vf->flags & VNDD_ATTACH_VNET_HDR))
		features &= ~VNDD_OFFLOADS;
	return features;
}

static const struct net_device_ops vndd_netdev_ops = {
	.ndo_fix_features = vndd_fix_features,
	.ndo_init = vndd_dev_init,
	.ndo_uninit = vndd_dev_uninit,
	.ndo_start_xmit = vndd_start_xmit,
	.ndo_get_stats64 = vndd_get_stats64,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void vndd_setup(struct net_device *dev)
{
	struct vndd_dev *vd = netdev_priv(dev);

	ether_setup(dev);
	/* The transmit path queues the skb it is given: one skb sent several
	 * times (pktgen's clone_skb and burst) would be queued twice. */
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	vd->dev = dev;
	dev->netdev_ops = &vndd_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vndd_dev_destruct;
	dev->min_mtu = VNDD_MIN_MTU;
	dev->max_mtu = VNDD_MAX_MTU;
	/* Lockless transmit: the queue has its own lock. Namespace-local: an
	 * interface stays where it was created, where its daemon looks for it. */
	vndd_set_lltx(dev);
	vndd_set_netns_local(dev);
	/* Wanted from the start; vndd_fix_features masks them while no
	 * file takes virtio_net_hdrs. */
	dev->hw_features |= VNDD_OFFLOADS;
	dev->features |= VNDD_OFFLOADS;
}

/* Creating through rtnetlink would bypass the control device's checks. */
static int vndd_validate(struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack, "vndd interfaces are created through /dev/" VNDD_DEVICE_NAME);
	return -EOPNOTSUPP;
}

static struct rtnl_link_ops vndd_link_ops = {
	.kind = VNDD_LINK_KIND,
	.priv_size = sizeof(struct vndd_dev),
	.setup = vndd_setup,
	.validate = vndd_validate,
};

int vndd_link_register(void)
{
	return rtnl_link_register(&vndd_link_ops);
}

/* Deletes every vndd interface in every namespace. */
void vndd_link_unregister(void)
{
	rtnl_link_unregister(&vndd_link_ops);
}

bool vndd_is_ours(const struct net_device *dev)
{
	return dev->netdev_ops == &vndd_netdev_ops;
}

/* The caller has validated req. Takes RTNL. */
int vndd_create(struct net *net, const struct vndd_add *req)
{
	struct net_device *dev;
	int err;

	dev = alloc_netdev(sizeof(struct vndd_dev), req->name, NET_NAME_USER, vndd_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, net);
	dev->rtnl_link_ops = &vndd_link_ops;
	dev->mtu = req->mtu;
	if (req->flags & VNDD_ADD_MAC)
		eth_hw_addr_set(dev, req->mac);
	else
		eth_hw_addr_random(dev);
	if (req->flags & VNDD_ADD_NOARP)
		dev->flags |= IFF_NOARP;
	netif_carrier_off(dev);

	rtnl_lock();
	err = register_netdevice(dev);
	rtnl_unlock();
	if (err)
		free_netdev(dev);
	return err;
}

/* Under RTNL. */
struct vndd_dev *vndd_lookup(struct net *net, const char *name)
{
	struct net_device *dev = __dev_get_by_name(net, name);

	return dev && vndd_is_ours(dev) ? netdev_priv(dev) : NULL;
}

/* Under RTNL; the caller checked that neither side is attached. */
void vndd_attach(struct vndd_dev *vd, struct vndd_file *vf, u32 flags)
{
	vd->attached_pid = get_pid(task_tgid(current));
	WRITE_ONCE(vf->flags, flags);
	/* The file is ready before the transmit path can see it. */
	rcu_assign_pointer(vf->vdev, vd);
	vndd_file_set_attached(vf);
	rcu_assign_pointer(vd->file, vf);
	netif_carrier_on(vd->dev);
	if (flags & VNDD_ATTACH_VNET_HDR)
		netdev_update_features(vd->dev);
}

/*
 * Under RTNL. Unlinks the attached file, if any, drops the frames it had
 * not read (counted in tx_dropped: they point at this device, which may be
 * about to be freed) and wakes its readers and pollers, which then see
 * ENODEV / EPOLLHUP. The packet path may still see the old link until a
 * grace period passes, but queues nothing more; the file's release waits
 * for that grace period.
 */
void vndd_detach(struct vndd_dev *vd)
{
	struct vndd_file *vf = rtnl_dereference(vd->file);

	if (!vf)
		return;
	RCU_INIT_POINTER(vd->file, NULL);
	RCU_INIT_POINTER(vf->vdev, NULL);
	atomic64_add(vndd_file_orphan(vf), &vd->tx_dropped);
	put_pid(vd->attached_pid);
	vd->attached_pid = NULL;
	netif_carrier_off(vd->dev);
	if ((vf->flags & VNDD_ATTACH_VNET_HDR) && vd->dev->reg_state == NETREG_REGISTERED)
		netdev_update_features(vd->dev);
}

/* Under RTNL. */
void vndd_fill_info(struct vndd_dev *vd, struct vndd_info *info)
{
	struct net_device *dev = vd->dev;

	memset(info, 0, sizeof(*info));
	strscpy(info->name, dev->name, sizeof(info->name));
	memcpy(info->mac, dev->dev_addr, VNDD_MAC_SIZE);
	info->ifindex = dev->ifindex;
	info->mtu = dev->mtu;
	if (dev->flags & IFF_NOARP)
		info->flags |= VNDD_INFO_NOARP;
	if (dev->flags & IFF_UP)
		info->flags |= VNDD_INFO_UP;
	if (rtnl_dereference(vd->file)) {
		info->flags |= VNDD_INFO_ATTACHED;
		info->attached_pid = pid_vnr(vd->attached_pid);
	}
}
