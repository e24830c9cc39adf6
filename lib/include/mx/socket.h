/* SPDX-License-Identifier: MIT */
/*
 * <mx/socket.h>: mx::socket, the owner of one end of a socket. write()
 * puts bytes into the other end's buffer, read() takes them from this
 * end's; options are those of mx_socket_write and mx_socket_read
 * (MX_SOCKET_CONTROL, and the shutdown options with len 0), and actual,
 * which may be nullptr, counts bytes. C++ only.
 *
 *	mx::socket a, b;
 *	mx::socket::create(MX_SOCKET_STREAM, &a, &b);
 *	a.write(0, "hello", 5, &n);
 *	b.read(0, buf, sizeof(buf), &n);
 */
#ifndef MX_SOCKET_H_
#define MX_SOCKET_H_

#ifndef __cplusplus
#error "<mx/socket.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <stddef.h>
#include <stdint.h>

#include <mx/handle.h>
#include <mx/object.h>

namespace mx {

class socket : public object<socket>,
		public object_type<MX_OBJ_TYPE_SOCKET> {
public:
	constexpr socket() noexcept = default;

	explicit socket(mx_handle_t value) noexcept : object(value) {}

	explicit socket(handle&& h) noexcept : object(h.release()) {}

	/* No other kind of wrapper becomes one (through mx::handle). */
	template <typename U> explicit socket(object<U>&&) = delete;

	socket(socket&& other) noexcept : object(other.release()) {}

	socket& operator=(socket&& other) noexcept {
		reset(other.release());
		return *this;
	}

	/* Both hold the new ends, or MX_HANDLE_INVALID on failure. */
	static mx_status_t create(uint32_t options, socket* endpoint0,
				  socket* endpoint1) {
		mx_handle_t h0 = MX_HANDLE_INVALID, h1 = MX_HANDLE_INVALID;
		mx_status_t status = mx_socket_create(options, &h0, &h1);

		endpoint0->reset(h0);
		endpoint1->reset(h1);
		return status;
	}

	mx_status_t write(uint32_t options, const void* buffer, size_t len,
			  size_t* actual) const {
		return mx_socket_write(get(), options, buffer, len, actual);
	}

	mx_status_t read(uint32_t options, void* buffer, size_t len,
			 size_t* actual) const {
		return mx_socket_read(get(), options, buffer, len, actual);
	}
};

using unowned_socket = const unowned<socket>;

} /* namespace mx */

#endif /* MX_SOCKET_H_ */
