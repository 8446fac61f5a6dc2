// SPDX-License-Identifier: GPL-2.0
/*
 * vnddmgr: virtual Ethernet interfaces driven by a user-space daemon
 * through /dev/vnddmgr. Module load/unload and the file operations.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/virtio_net.h>

#include "vnddmgr.h"

static int vndd_open(struct inode *inode, struct file *file)
{
	struct vndd_file *vf = vndd_file_alloc();

	if (!vf)
		return -ENOMEM;
	file->private_data = vf;
	return stream_open(inode, file);
}

static int vndd_release(struct inode *inode, struct file *file)
{
	struct vndd_file *vf = file->private_data;
	struct vndd_dev *vd;

	rtnl_lock();
	vd = rtnl_dereference(vf->vdev);
	if (vd)
		vndd_detach(vd);
	rtnl_unlock();
	vndd_file_free(vf);
	return 0;
}

static ssize_t vndd_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *file = iocb->ki_filp;
	bool nonblock = (file->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT);

	return vndd_file_read(file->private_data, to, nonblock);
}

static ssize_t vndd_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return vndd_file_write(iocb->ki_filp->private_data, from);
}

static __poll_t vndd_poll(struct file *file, poll_table *wait)
{
	return vndd_file_poll(file->private_data, file, wait);
}

static const struct file_operations vndd_fops = {
	.owner = THIS_MODULE,
	.open = vndd_open,
	.release = vndd_release,
	.read_iter = vndd_read_iter,
	.write_iter = vndd_write_iter,
	.poll = vndd_poll,
	.unlocked_ioctl = vndd_ioctl,
	.compat_ioctl = compat_ptr_ioctl, /* the ABI is the same on 32 and 64 bit */
	/* No .llseek: stream_open() makes lseek() fail with ESPIPE (6.12
	 * removed no_llseek, which said the same). */
};

static struct miscdevice vndd_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = VNDD_DEVICE_NAME,
	.fops = &vndd_fops,
	.mode = 0600,
};

static void vndd_abi_checks(void)
{
	BUILD_BUG_ON(sizeof(struct vndd_version) != VNDD_VERSION_SIZE);
	BUILD_BUG_ON(sizeof(struct vndd_add) != VNDD_ADD_SIZE);
	BUILD_BUG_ON(sizeof(struct vndd_ref) != VNDD_REF_SIZE);
	BUILD_BUG_ON(sizeof(struct vndd_info) != VNDD_INFO_SIZE);
	BUILD_BUG_ON(sizeof(struct vndd_list) != VNDD_LIST_SIZE);
	BUILD_BUG_ON(VNDD_NAME_SIZE != IFNAMSIZ);
	BUILD_BUG_ON(sizeof(struct vndd_frame) != VNDD_FRAME_SIZE);
	BUILD_BUG_ON(sizeof(struct vndd_flags) != VNDD_FLAGS_SIZE);
	BUILD_BUG_ON(sizeof(struct virtio_net_hdr) != VNDD_VNET_HDR_SIZE);
	BUILD_BUG_ON(VNDD_MAC_SIZE != ETH_ALEN);
}

static int __init vndd_init(void)
{
	int err;

	vndd_abi_checks();
	err = vndd_link_register();
	if (err)
		return err;
	err = misc_register(&vndd_misc);
	if (err) {
		vndd_link_unregister();
		return err;
	}
	pr_info("vnddmgr: ABI %u.%u, /dev/%s ready\n", VNDD_ABI_MAJOR, VNDD_ABI_MINOR, VNDD_DEVICE_NAME);
	return 0;
}

/* No file can be open here (each holds a module reference), so no
 * interface is attached; unregistering the link type deletes them all. */
static void __exit vndd_exit(void)
{
	misc_deregister(&vndd_misc);
	vndd_link_unregister();
}

module_init(vndd_init);
module_exit(vndd_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TVPN virtual Ethernet interfaces driven through /dev/vnddmgr");
MODULE_AUTHOR("TVPN");
