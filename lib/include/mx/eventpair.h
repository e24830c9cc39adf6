/* SPDX-License-Identifier: MIT */
/*
 * <mx/eventpair.h>: mx::eventpair, the owner of one side of an event
 * pair. signal_peer() sets and clears the other side's signals; when a
 * side's last handle closes, the other side gets MX_EPAIR_PEER_CLOSED.
 * C++ only.
 */
#ifndef MX_EVENTPAIR_H_
#define MX_EVENTPAIR_H_

#ifndef __cplusplus
#error "<mx/eventpair.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <stdint.h>

#include <mx/handle.h>
#include <mx/object.h>

namespace mx {

class eventpair : public object<eventpair>,
		public object_type<MX_OBJ_TYPE_EVENT_PAIR> {
public:
	constexpr eventpair() noexcept = default;

	explicit eventpair(mx_handle_t value) noexcept : object(value) {}

	explicit eventpair(handle&& h) noexcept : object(h.release()) {}

	/* No other kind of wrapper becomes one (through mx::handle). */
	template <typename U> explicit eventpair(object<U>&&) = delete;

	eventpair(eventpair&& other) noexcept : object(other.release()) {}

	eventpair& operator=(eventpair&& other) noexcept {
		reset(other.release());
		return *this;
	}

	/* Both hold the new sides, or MX_HANDLE_INVALID on failure. */
	static mx_status_t create(uint32_t options, eventpair* endpoint0,
				  eventpair* endpoint1) {
		mx_handle_t h0 = MX_HANDLE_INVALID, h1 = MX_HANDLE_INVALID;
		mx_status_t status = mx_eventpair_create(options, &h0, &h1);

		endpoint0->reset(h0);
		endpoint1->reset(h1);
		return status;
	}
};

using unowned_eventpair = const unowned<eventpair>;

} /* namespace mx */

#endif /* MX_EVENTPAIR_H_ */
