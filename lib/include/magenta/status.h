/* SPDX-License-Identifier: MIT */
/*
 * <magenta/status.h>: names of status values.
 */
#ifndef MAGENTA_STATUS_H_
#define MAGENTA_STATUS_H_

#include <magenta/types.h>

__BEGIN_CDECLS

/*
 * The name of a status value from <magenta/errors.h>, as a string constant:
 * mx_status_get_string(MX_ERR_TIMED_OUT) is "MX_ERR_TIMED_OUT". Any other
 * value gives "(UNKNOWN)". _mx_status_get_string is the same function
 * (Magenta exported both names).
 */
const char* mx_status_get_string(mx_status_t status);
const char* _mx_status_get_string(mx_status_t status);

__END_CDECLS

#endif /* MAGENTA_STATUS_H_ */
