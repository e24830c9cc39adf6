/* SPDX-License-Identifier: MIT */
/*
 * <mx/fifo.h>: mx::fifo, the owner of one end of a FIFO. write() puts
 * whole elements into the other end's ring, read() takes them from this
 * end's; len is in bytes, *actual_entries counts elements. C++ only.
 *
 *	mx::fifo a, b;
 *	mx::fifo::create(8, sizeof(uint64_t), 0, &a, &b);
 *	a.write(&req, sizeof(req), &n);
 *	b.read(&got, sizeof(got), &n);
 */
#ifndef MX_FIFO_H_
#define MX_FIFO_H_

#ifndef __cplusplus
#error "<mx/fifo.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <stddef.h>
#include <stdint.h>

#include <mx/handle.h>
#include <mx/object.h>

namespace mx {

class fifo : public object<fifo>, public object_type<MX_OBJ_TYPE_FIFO> {
public:
	constexpr fifo() noexcept = default;

	explicit fifo(mx_handle_t value) noexcept : object(value) {}

	explicit fifo(handle&& h) noexcept : object(h.release()) {}

	/* No other kind of wrapper becomes one (through mx::handle). */
	template <typename U> explicit fifo(object<U>&&) = delete;

	fifo(fifo&& other) noexcept : object(other.release()) {}

	fifo& operator=(fifo&& other) noexcept {
		reset(other.release());
		return *this;
	}

	/* Both hold the new ends, or MX_HANDLE_INVALID on failure. */
	static mx_status_t create(uint32_t elem_count, uint32_t elem_size,
				  uint32_t options, fifo* out0, fifo* out1) {
		mx_handle_t h0 = MX_HANDLE_INVALID, h1 = MX_HANDLE_INVALID;
		mx_status_t status = mx_fifo_create(elem_count, elem_size,
						    options, &h0, &h1);

		out0->reset(h0);
		out1->reset(h1);
		return status;
	}

	mx_status_t write(const void* buffer, size_t len,
			  uint32_t* actual_entries) const {
		return mx_fifo_write(get(), buffer, len, actual_entries);
	}

	mx_status_t read(void* buffer, size_t len,
			 uint32_t* actual_entries) const {
		return mx_fifo_read(get(), buffer, len, actual_entries);
	}
};

using unowned_fifo = const unowned<fifo>;

} /* namespace mx */

#endif /* MX_FIFO_H_ */
