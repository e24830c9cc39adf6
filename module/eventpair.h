/* SPDX-License-Identifier: GPL-2.0 */
/* Event pairs (eventpair.c). */
#ifndef _MXC_EVENTPAIR_H
#define _MXC_EVENTPAIR_H

#include "object.h"

int mxc_eventpair_create(struct mxc_handle **h0, struct mxc_handle **h1);

#endif /* _MXC_EVENTPAIR_H */
