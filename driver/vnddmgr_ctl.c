// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/vnddmgr ioctls. Every argument is copied in whole, checked
 * byte by byte (names, flags, reserved fields, MAC, MTU), then acted on in
 * the caller's network namespace. Creating, removing and attaching need
 * CAP_NET_ADMIN over that namespace.
 */
#include <linux/capability.h>
#include <linux/etherdevice.h>
#include <linux/nsproxy.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>

#include "vnddmgr.h"

static struct net *vndd_caller_net(void)
{
	return current->nsproxy->net_ns;
}

static bool vndd_may_admin(struct net *net)
{
	return ns_capable(net->user_ns, CAP_NET_ADMIN);
}

static bool vndd_zeroed(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

/* A NUL-terminated, zero-filled interface name the kernel accepts as-is. */
static bool vndd_name_ok(const char name[VNDD_NAME_SIZE])
{
	size_t len = strnlen(name, VNDD_NAME_SIZE);
	size_t i;

	if (len == 0 || len == VNDD_NAME_SIZE)
		return false;
	if (!vndd_zeroed(name + len, VNDD_NAME_SIZE - len))
		return false;
	/* Control bytes would make the name unprintable in every tool;
	 * '%' would make the kernel pick a name other than the one asked for. */
	for (i = 0; i < len; i++)
		if ((u8)name[i] < 0x20 || name[i] == 0x7f || name[i] == '%')
			return false;
	return dev_valid_name(name);
}

static int vndd_ioc_getver(void __user *arg)
{
	struct vndd_version ver = {
		.major = VNDD_ABI_MAJOR,
		.minor = VNDD_ABI_MINOR,
		.features = VNDD_FEAT_FRAME_RW | VNDD_FEAT_VNET_HDR | VNDD_FEAT_BATCH,
		.max_frame = VNDD_MAX_FRAME,
	};

	return copy_to_user(arg, &ver, sizeof(ver)) ? -EFAULT : 0;
}

static int vndd_check_add(const struct vndd_add *req)
{
	if (!vndd_name_ok(req->name) || (req->flags & ~VNDD_ADD_FLAGS))
		return -EINVAL;
	if (!vndd_zeroed(req->reserved, sizeof(req->reserved)))
		return -EINVAL;
	if (req->mtu < VNDD_MIN_MTU || req->mtu > VNDD_MAX_MTU)
		return -EINVAL;
	if (req->flags & VNDD_ADD_MAC) {
		if (!is_valid_ether_addr(req->mac))
			return -EADDRNOTAVAIL;
	} else if (!vndd_zeroed(req->mac, sizeof(req->mac))) {
		return -EINVAL;
	}
	return 0;
}

static int vndd_ioc_add(void __user *arg)
{
	struct net *net = vndd_caller_net();
	struct vndd_add req;
	int err;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	err = vndd_check_add(&req);
	if (err)
		return err;
	if (!vndd_may_admin(net))
		return -EPERM;
	return vndd_create(net, &req);
}

static int vndd_copy_ref(struct vndd_ref *req, void __user *arg, u32 known_flags)
{
	if (copy_from_user(req, arg, sizeof(*req)))
		return -EFAULT;
	if (!vndd_name_ok(req->name) || (req->flags & ~known_flags))
		return -EINVAL;
	if (!vndd_zeroed(req->reserved, sizeof(req->reserved)))
		return -EINVAL;
	return vndd_may_admin(vndd_caller_net()) ? 0 : -EPERM;
}

static int vndd_ioc_remove(void __user *arg)
{
	struct vndd_dev *vd;
	struct vndd_ref req;
	int err;

	err = vndd_copy_ref(&req, arg, VNDD_REMOVE_FLAGS);
	if (err)
		return err;
	rtnl_lock();
	vd = vndd_lookup(vndd_caller_net(), req.name);
	if (!vd)
		err = -ENODEV;
	else if (rtnl_dereference(vd->file) && !(req.flags & VNDD_REMOVE_FORCE))
		err = -EBUSY;
	else
		unregister_netdevice(vd->dev); /* uninit detaches the file */
	rtnl_unlock();
	return err;
}

static int vndd_ioc_attach(struct vndd_file *vf, void __user *arg)
{
	struct vndd_dev *vd;
	struct vndd_ref req;
	int err;

	err = vndd_copy_ref(&req, arg, VNDD_ATTACH_FLAGS);
	if (err)
		return err;
	rtnl_lock();
	vd = vndd_lookup(vndd_caller_net(), req.name);
	if (READ_ONCE(vf->state) != VNDD_FILE_IDLE)
		err = -EISCONN; /* one interface per open file, once */
	else if (!vd)
		err = -ENODEV;
	else if (rtnl_dereference(vd->file))
		err = -EBUSY;
	else
		vndd_attach(vd, vf, req.flags);
	rtnl_unlock();
	return err;
}

/* Batching on or off for an attached file; VNET_HDR stays as attached. */
static int vndd_ioc_setflags(struct vndd_file *vf, void __user *arg)
{
	struct vndd_flags req;
	int state, err = 0;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if ((req.flags & ~VNDD_ATTACH_FLAGS) || !vndd_zeroed(req.reserved, sizeof(req.reserved)))
		return -EINVAL;
	/* RTNL orders this against attach and detach, which also set flags. */
	rtnl_lock();
	state = READ_ONCE(vf->state);
	if (state != VNDD_FILE_ATTACHED)
		err = state == VNDD_FILE_IDLE ? -EBADFD : -ENODEV;
	else if ((req.flags ^ vf->flags) & VNDD_ATTACH_VNET_HDR)
		err = -EINVAL;
	else
		WRITE_ONCE(vf->flags, req.flags);
	rtnl_unlock();
	return err;
}

/* Keeps list->entries sorted by ifindex, at most VNDD_LIST_BATCH of the smallest. */
static void vndd_list_insert(struct vndd_list *list, struct vndd_dev *vd)
{
	u32 ifindex = vd->dev->ifindex;
	u32 i = list->count;

	if (i == VNDD_LIST_BATCH) {
		list->more = 1;
		if (ifindex > list->entries[i - 1].ifindex)
			return;
		i--;
	} else {
		list->count++;
	}
	for (; i > 0 && list->entries[i - 1].ifindex > ifindex; i--)
		list->entries[i] = list->entries[i - 1];
	vndd_fill_info(vd, &list->entries[i]);
}

static int vndd_ioc_list(void __user *arg)
{
	struct net *net = vndd_caller_net();
	struct net_device *dev;
	struct vndd_list *list;
	u32 after;
	int err = 0;

	list = kzalloc(sizeof(*list), GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	if (copy_from_user(list, arg, sizeof(*list))) {
		err = -EFAULT;
		goto out;
	}
	if (list->reserved) {
		err = -EINVAL;
		goto out;
	}
	after = list->after_ifindex;
	memset(list, 0, sizeof(*list));
	rtnl_lock();
	for_each_netdev(net, dev)
		if (vndd_is_ours(dev) && (u32)dev->ifindex > after)
			vndd_list_insert(list, netdev_priv(dev));
	rtnl_unlock();
	list->after_ifindex = after;
	if (copy_to_user(arg, list, sizeof(*list)))
		err = -EFAULT;
out:
	kfree(list);
	return err;
}

long vndd_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VNDD_IOC_GETVER:
		return vndd_ioc_getver(uarg);
	case VNDD_IOC_ADD:
		return vndd_ioc_add(uarg);
	case VNDD_IOC_REMOVE:
		return vndd_ioc_remove(uarg);
	case VNDD_IOC_SETFLAGS:
		return vndd_ioc_setflags(file->private_data, uarg);
	case VNDD_IOC_ATTACH:
		return vndd_ioc_attach(file->private_data, uarg);
	case VNDD_IOC_LIST:
		return vndd_ioc_list(uarg);
	default:
		return -ENOTTY;
	}
}
