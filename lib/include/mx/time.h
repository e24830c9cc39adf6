/* SPDX-License-Identifier: MIT */
/*
 * <mx/time.h>: Magenta's clock calls in namespace mx. Deadlines are
 * absolute MX_CLOCK_MONOTONIC nanoseconds, as in the C calls. C++ only.
 */
#ifndef MX_TIME_H_
#define MX_TIME_H_

#ifndef __cplusplus
#error "<mx/time.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <stdint.h>

#include <magenta/syscalls.h>

namespace mx {

namespace time {

inline mx_time_t get(uint32_t clock_id) {
	return mx_time_get(clock_id);
}

} /* namespace time */

/* Sleep until deadline (a deadline in the past returns at once). */
inline mx_status_t nanosleep(mx_time_t deadline) {
	return mx_nanosleep(deadline);
}

/* Now (MX_CLOCK_MONOTONIC) plus nanoseconds. */
inline mx_time_t deadline_after(mx_duration_t nanoseconds) {
	return mx_deadline_after(nanoseconds);
}

} /* namespace mx */

#endif /* MX_TIME_H_ */
