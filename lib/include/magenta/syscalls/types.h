/* SPDX-License-Identifier: MIT */
/*
 * <magenta/syscalls/types.h>: forward declarations of structures that
 * <magenta/syscalls.h> names in prototypes before defining them.
 *
 * Magenta forward-declared its PCI and resource structures here. None of
 * the calls libmx declares needs one yet, so this header only pulls in the
 * basic types; forward typedefs join it with the calls that need them.
 */
#ifndef MAGENTA_SYSCALLS_TYPES_H_
#define MAGENTA_SYSCALLS_TYPES_H_

#include <magenta/types.h>

#endif /* MAGENTA_SYSCALLS_TYPES_H_ */
