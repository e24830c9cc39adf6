/* SPDX-License-Identifier: MIT */
/*
 * <mx/event.h>: mx::event, the owner of an event handle. C++ only.
 *
 *	mx::event ev;
 *	mx::event::create(0, &ev);
 *	ev.signal(0, MX_EVENT_SIGNALED);
 *	ev.wait_one(MX_EVENT_SIGNALED, MX_TIME_INFINITE, &pending);
 */
#ifndef MX_EVENT_H_
#define MX_EVENT_H_

#ifndef __cplusplus
#error "<mx/event.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <stdint.h>

#include <mx/handle.h>
#include <mx/object.h>

namespace mx {

class event : public object<event>,
		public object_type<MX_OBJ_TYPE_EVENT> {
public:
	constexpr event() noexcept = default;

	explicit event(mx_handle_t value) noexcept : object(value) {}

	explicit event(handle&& h) noexcept : object(h.release()) {}

	/* No other kind of wrapper becomes one (through mx::handle). */
	template <typename U> explicit event(object<U>&&) = delete;

	event(event&& other) noexcept : object(other.release()) {}

	event& operator=(event&& other) noexcept {
		reset(other.release());
		return *this;
	}

	/* *result holds the new event, or MX_HANDLE_INVALID on failure. */
	static mx_status_t create(uint32_t options, event* result) {
		mx_handle_t h = MX_HANDLE_INVALID;
		mx_status_t status = mx_event_create(options, &h);

		result->reset(h);
		return status;
	}
};

using unowned_event = const unowned<event>;

} /* namespace mx */

#endif /* MX_EVENT_H_ */
