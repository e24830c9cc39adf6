/* SPDX-License-Identifier: GPL-2.0 */
/* channel_call and call_finish (call.c). */
#ifndef _MXC_CALL_H
#define _MXC_CALL_H

#include "table.h"

int mxc_channel_call(struct mxc_table *t, struct mxchan_channel_call *a,
		     struct mxchan_channel_call __user *ua);
int mxc_call_finish(struct mxc_table *t, struct mxchan_channel_call *a,
		    struct mxchan_channel_call __user *ua);
int mxc_call_sent_alloc(struct mxc_table *t);
bool mxc_call_sent_note(struct mxc_table *t, struct mxc_handle **hs,
			unsigned int n);
void mxc_call_sent_end(struct mxc_table *t);
int mxc_calls_init(struct mxc_table *t);
void mxc_calls_destroy(struct mxc_table *t);

#endif /* _MXC_CALL_H */
