// SPDX-License-Identifier: GPL-2.0
/*
 * Object cookies, as Magenta kept them: the first object_set_cookie on
 * an object that can keep one claims it for its scope (an object, known
 * by its koid); the same scope may change it and read it back, any other
 * is ACCESS_DENIED. An event pair side whose peer closed loses its cookie
 * for every scope: its jar is given the kernel's koid, which no handle
 * can name.
 *
 * Locking: a jar is guarded by its object's wq.lock, as the signals are.
 */

#include "cookie.h"

/* Magenta's MX_KOID_KERNEL: never an object's koid (those start at 1024). */
#define MXC_KOID_KERNEL		1

static struct mxc_cookie_jar *mxc_cookie_jar(struct mxc_object *obj)
{
	return obj->ops->cookie_jar ? obj->ops->cookie_jar(obj) : NULL;
}

int mxc_cookie_set(struct mxc_object *obj, u64 scope, u64 cookie)
{
	struct mxc_cookie_jar *jar = mxc_cookie_jar(obj);
	int ret = 0;

	if (!jar)
		return -EOPNOTSUPP;
	spin_lock(&obj->wq.lock);
	if (!jar->scope)
		jar->scope = scope;
	if (jar->scope == scope)
		jar->cookie = cookie;
	else
		ret = -EACCES;
	spin_unlock(&obj->wq.lock);
	return ret;
}

int mxc_cookie_get(struct mxc_object *obj, u64 scope, u64 *cookie)
{
	struct mxc_cookie_jar *jar = mxc_cookie_jar(obj);
	int ret = -EACCES;

	if (!jar)
		return -EOPNOTSUPP;
	spin_lock(&obj->wq.lock);
	if (jar->scope && jar->scope == scope) {
		*cookie = jar->cookie;
		ret = 0;
	}
	spin_unlock(&obj->wq.lock);
	return ret;
}

/* No scope can set or get @obj's cookie from now on. */
void mxc_cookie_invalidate(struct mxc_object *obj)
{
	struct mxc_cookie_jar *jar = mxc_cookie_jar(obj);

	if (!jar)
		return;
	spin_lock(&obj->wq.lock);
	jar->scope = MXC_KOID_KERNEL;
	spin_unlock(&obj->wq.lock);
}
