/* SPDX-License-Identifier: MIT */
/*
 * <magenta/syscalls/object.h>: topics and records of mx_object_get_info,
 * and the object types and properties those records report.
 */
#ifndef MAGENTA_SYSCALLS_OBJECT_H_
#define MAGENTA_SYSCALLS_OBJECT_H_

#include <magenta/types.h>

__BEGIN_CDECLS

/*
 * Topics of mx_object_get_info. The process, thread, job, resource and
 * kernel statistics topics (Magenta's 3 to 6 and 8 to 18) are added when
 * libmx can answer them.
 */
typedef enum {
	MX_INFO_NONE			= 0,
	MX_INFO_HANDLE_VALID		= 1,	/* no record; MX_OK if the handle is valid */
	MX_INFO_HANDLE_BASIC		= 2,	/* mx_info_handle_basic_t[1] */
	MX_INFO_VMAR			= 7	/* mx_info_vmar_t[1] */
} mx_object_info_topic_t;

/*
 * Kind of kernel object, as reported in mx_info_handle_basic_t.type.
 * Magenta's full list; the values are part of the ABI. Of these libmx
 * creates channels, events, event pairs, ports, FIFOs, sockets, VMOs and
 * timers, and hands out a root VMAR.
 */
typedef enum {
	MX_OBJ_TYPE_NONE		= 0,
	MX_OBJ_TYPE_PROCESS		= 1,
	MX_OBJ_TYPE_THREAD		= 2,
	MX_OBJ_TYPE_VMO			= 3,
	MX_OBJ_TYPE_CHANNEL		= 4,
	MX_OBJ_TYPE_EVENT		= 5,
	MX_OBJ_TYPE_PORT		= 6,
	MX_OBJ_TYPE_INTERRUPT		= 9,
	MX_OBJ_TYPE_PCI_DEVICE		= 11,
	MX_OBJ_TYPE_LOG			= 12,
	MX_OBJ_TYPE_SOCKET		= 14,
	MX_OBJ_TYPE_RESOURCE		= 15,
	MX_OBJ_TYPE_EVENT_PAIR		= 16,
	MX_OBJ_TYPE_JOB			= 17,
	MX_OBJ_TYPE_VMAR		= 18,
	MX_OBJ_TYPE_FIFO		= 19,
	MX_OBJ_TYPE_GUEST		= 20,
	MX_OBJ_TYPE_VCPU		= 21,
	MX_OBJ_TYPE_TIMER		= 22,
	MX_OBJ_TYPE_IOMMU		= 23,
	MX_OBJ_TYPE_BTI			= 24,
	MX_OBJ_TYPE_LAST		/* one past the highest type */
} mx_obj_type_t;

/* Properties, as reported in mx_info_handle_basic_t.props. */
typedef enum {
	MX_OBJ_PROP_NONE		= 0,
	MX_OBJ_PROP_WAITABLE		= 1	/* the object can be waited on */
} mx_obj_props_t;

/* The record of MX_INFO_HANDLE_BASIC. */
typedef struct mx_info_handle_basic {
	/* The object's koid. */
	mx_koid_t koid;
	/*
	 * The handle's rights, which never change. Two handles with the same
	 * koid and rights are interchangeable.
	 */
	mx_rights_t rights;
	/* An mx_obj_type_t. */
	uint32_t type;
	/*
	 * The koid of the object's peer or parent (for a channel end, the
	 * other end), or 0 if it has none.
	 */
	mx_koid_t related_koid;
	/* MX_OBJ_PROP_WAITABLE if the object can be waited on, else 0. */
	uint32_t props;
} mx_info_handle_basic_t;

/*
 * Pin Magenta's layout: the kernel copies this record out as is. The
 * offsets hold everywhere; the size is 32 where uint64_t is 8-aligned
 * (x86-64, arm64, every LP64 target).
 */
#if defined(__cplusplus) && __cplusplus >= 201103L
static_assert(offsetof(mx_info_handle_basic_t, koid) == 0, "koid");
static_assert(offsetof(mx_info_handle_basic_t, rights) == 8, "rights");
static_assert(offsetof(mx_info_handle_basic_t, type) == 12, "type");
static_assert(offsetof(mx_info_handle_basic_t, related_koid) == 16,
	      "related_koid");
static_assert(offsetof(mx_info_handle_basic_t, props) == 24, "props");
#if defined(__LP64__) || defined(_LP64)
static_assert(sizeof(mx_info_handle_basic_t) == 32,
	      "mx_info_handle_basic_t size");
#endif
#elif !defined(__cplusplus) && defined(__STDC_VERSION__) && \
	__STDC_VERSION__ >= 201112L
_Static_assert(offsetof(mx_info_handle_basic_t, koid) == 0, "koid");
_Static_assert(offsetof(mx_info_handle_basic_t, rights) == 8, "rights");
_Static_assert(offsetof(mx_info_handle_basic_t, type) == 12, "type");
_Static_assert(offsetof(mx_info_handle_basic_t, related_koid) == 16,
	       "related_koid");
_Static_assert(offsetof(mx_info_handle_basic_t, props) == 24, "props");
#if defined(__LP64__) || defined(_LP64)
_Static_assert(sizeof(mx_info_handle_basic_t) == 32,
	       "mx_info_handle_basic_t size");
#endif
#endif

/*
 * The record of MX_INFO_VMAR: the range of addresses a VMAR maps into. For
 * the root VMAR, the caller's whole address space as mx_vmar_map() can
 * use it (what MX_VM_FLAG_SPECIFIC's vmar_offset counts from).
 */
typedef struct mx_info_vmar {
	/* Base address of the region. */
	uintptr_t base;
	/* Length of the region, in bytes. */
	size_t len;
} mx_info_vmar_t;

/*
 * Properties of mx_object_get_property and mx_object_set_property. Of
 * Magenta's only the name exists here (its others are about processes,
 * threads and jobs), and only VMOs have one: the other objects lack
 * MX_RIGHT_GET_PROPERTY and MX_RIGHT_SET_PROPERTY.
 */
/* Argument is a char[MX_MAX_NAME_LEN]. */
#define MX_PROP_NAME			3u

__END_CDECLS

#endif /* MAGENTA_SYSCALLS_OBJECT_H_ */
