/* SPDX-License-Identifier: GPL-2.0 */
/* What the module shows of itself: debugfs and fdinfo (debugfs.c). */
#ifndef _MXC_DEBUGFS_H
#define _MXC_DEBUGFS_H

#include "table.h"

struct seq_file;

void mxc_debugfs_init(void);
void mxc_debugfs_exit(void);
void mxc_table_opened(struct mxc_table *t);
void mxc_table_closed(struct mxc_table *t);
void mxc_show_fdinfo(struct seq_file *m, struct mxc_table *t);

#endif /* _MXC_DEBUGFS_H */
