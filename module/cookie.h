/* SPDX-License-Identifier: GPL-2.0 */
/* Object cookies (cookie.c). */
#ifndef _MXC_COOKIE_H
#define _MXC_COOKIE_H

#include "object.h"

/*
 * A cookie and the koid of the scope it was set for (0: none yet), kept
 * in the objects that have one (events, event pair sides, VMOs), which
 * name it with their ops' cookie_jar(). The object's wq.lock guards it.
 */
struct mxc_cookie_jar {
	u64 scope;
	u64 cookie;
};

int mxc_cookie_set(struct mxc_object *obj, u64 scope, u64 cookie);
int mxc_cookie_get(struct mxc_object *obj, u64 scope, u64 *cookie);
void mxc_cookie_invalidate(struct mxc_object *obj);

#endif /* _MXC_COOKIE_H */
