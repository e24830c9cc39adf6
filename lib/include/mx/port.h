/* SPDX-License-Identifier: MIT */
/*
 * <mx/port.h>: mx::port, the owner of a port handle. Packets are
 * mx_port_packet_t (<magenta/syscalls/port.h>, included here); size is 0,
 * as in the C calls. Any wrapper's wait_async() queues its packets on a
 * port. A port has no signals: signal() does not compile for it, and a
 * wait on it fails with MX_ERR_NOT_SUPPORTED. C++ only.
 *
 *	mx::port port;
 *	mx::port::create(0, &port);
 *	ev.wait_async(port, key, MX_EVENT_SIGNALED, MX_WAIT_ASYNC_ONCE);
 *	port.wait(MX_TIME_INFINITE, &packet, 0);
 */
#ifndef MX_PORT_H_
#define MX_PORT_H_

#ifndef __cplusplus
#error "<mx/port.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <stddef.h>
#include <stdint.h>

#include <magenta/syscalls/port.h>
#include <mx/handle.h>
#include <mx/object.h>

namespace mx {

class port : public object<port>,
		public object_type<MX_OBJ_TYPE_PORT> {
public:
	constexpr port() noexcept = default;

	explicit port(mx_handle_t value) noexcept : object(value) {}

	explicit port(handle&& h) noexcept : object(h.release()) {}

	/* No other kind of wrapper becomes one (through mx::handle). */
	template <typename U> explicit port(object<U>&&) = delete;

	port(port&& other) noexcept : object(other.release()) {}

	port& operator=(port&& other) noexcept {
		reset(other.release());
		return *this;
	}

	/* *result holds the new port, or MX_HANDLE_INVALID on failure. */
	static mx_status_t create(uint32_t options, port* result) {
		mx_handle_t h = MX_HANDLE_INVALID;
		mx_status_t status = mx_port_create(options, &h);

		result->reset(h);
		return status;
	}

	mx_status_t queue(const void* packet, size_t size) const {
		return mx_port_queue(get(), packet, size);
	}

	mx_status_t wait(mx_time_t deadline, void* packet, size_t size) const {
		return mx_port_wait(get(), deadline, packet, size);
	}

	/* End source's async waits with key here, and drop their packets. */
	mx_status_t cancel(mx_handle_t source, uint64_t key) const {
		return mx_port_cancel(get(), source, key);
	}

	template <typename U>
	mx_status_t cancel(const object<U>& source, uint64_t key) const {
		return mx_port_cancel(get(), source.get(), key);
	}
};

using unowned_port = const unowned<port>;

} /* namespace mx */

#endif /* MX_PORT_H_ */
