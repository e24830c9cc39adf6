/* SPDX-License-Identifier: GPL-2.0 */
/* Timers (timer.c). */
#ifndef _MXC_TIMER_H
#define _MXC_TIMER_H

#include "object.h"

bool mxc_timer_options_ok(u32 options);
int mxc_timer_create(u32 options, struct mxc_handle **hp);
void mxc_timer_set(struct mxc_object *obj, u64 deadline, u64 slack);
void mxc_timer_cancel(struct mxc_object *obj);

#endif /* _MXC_TIMER_H */
