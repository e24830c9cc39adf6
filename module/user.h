/* SPDX-License-Identifier: GPL-2.0 */
/* Per-user budgets (user.c). */
#ifndef _MXC_USER_H
#define _MXC_USER_H

#include <linux/types.h>

struct mxc_share;
struct mxc_user;
struct seq_file;

struct mxc_user *mxc_user_current(void);
bool mxc_user_is_current(const struct mxc_user *u);
void mxc_user_hold(struct mxc_user *u);
bool mxc_user_tryget(struct mxc_user *u);
void mxc_user_put(struct mxc_user *u);
int mxc_user_charge_handles(struct mxc_user *u, unsigned int n);
void mxc_user_uncharge_handles(struct mxc_user *u, unsigned int n);
int mxc_user_move_handles(struct mxc_user *from, struct mxc_user *to,
			  unsigned int n);
int mxc_user_charge_waits(struct mxc_user *u);
void mxc_user_uncharge_waits(struct mxc_user *u);
int mxc_user_charge_socket_page(struct mxc_user *u);
void mxc_user_uncharge_socket_pages(struct mxc_user *u, unsigned int n);
int mxc_user_charge_vmo_pages(struct mxc_user *u, u64 n);
void mxc_user_uncharge_vmo_pages(struct mxc_user *u, u64 n);
struct mxc_share *mxc_share_get(struct mxc_user *to, struct mxc_user *from);
struct mxc_share *mxc_share_lookup(struct mxc_user *to,
				   struct mxc_user *from);
void mxc_share_put(struct mxc_share *s);
struct mxc_user *mxc_share_to(const struct mxc_share *s);
int mxc_user_charge_message(struct mxc_user *to, struct mxc_share *s,
			    unsigned int handles, unsigned int bytes);
void mxc_user_uncharge_message(struct mxc_user *to, struct mxc_share *s,
			       unsigned int handles, unsigned int bytes);
void mxc_user_show(struct seq_file *m);
bool mxc_user_none_left(void);

#endif /* _MXC_USER_H */
