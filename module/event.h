/* SPDX-License-Identifier: GPL-2.0 */
/* Events (event.c). */
#ifndef _MXC_EVENT_H
#define _MXC_EVENT_H

#include "object.h"

int mxc_event_create(struct mxc_handle **hp);

#endif /* _MXC_EVENT_H */
