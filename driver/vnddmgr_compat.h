/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels vnddmgr builds for: Debian 12's 6.1
 * and 6.12, and later ones.
 */
#ifndef VNDDMGR_COMPAT_H
#define VNDDMGR_COMPAT_H

#include <linux/netdevice.h>

/* Lockless transmit (the file's queue has its own lock): a feature bit
 * until 6.11, a field of the device since 6.12. */
static inline void vndd_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

/* The interface stays in the namespace it was created in: a feature bit
 * until 6.11, dev->netns_local in 6.12.0, dev->netns_immutable since 6.13
 * and in later 6.12 stable kernels. A field cannot be tested by the
 * preprocessor: Kbuild looks for it in the headers. */
static inline void vndd_set_netns_local(struct net_device *dev)
{
#if defined(NETIF_F_NETNS_LOCAL)
	dev->features |= NETIF_F_NETNS_LOCAL;
#elif defined(VNDD_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#else
	dev->netns_local = true;
#endif
}

#endif /* VNDDMGR_COMPAT_H */
