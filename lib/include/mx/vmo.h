/* SPDX-License-Identifier: MIT */
/*
 * <mx/vmo.h>: mx::vmo, the owner of a handle to a VMO. read() and write()
 * move bytes at an offset, *actual (required) counting them; clone()
 * makes a copy-on-write clone into another mx::vmo; mx::vmar::map()
 * (<mx/vmar.h>) maps one. The name is a property (get_property and
 * set_property with MX_PROP_NAME, from mx::object). C++ only.
 *
 *	mx::vmo v;
 *	mx::vmo::create(4096, 0, &v);
 *	v.write("hello", 0, 5, &n);
 *	v.read(buf, 0, sizeof(buf), &n);
 */
#ifndef MX_VMO_H_
#define MX_VMO_H_

#ifndef __cplusplus
#error "<mx/vmo.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <stddef.h>
#include <stdint.h>

#include <mx/handle.h>
#include <mx/object.h>

namespace mx {

class vmo : public object<vmo>, public object_type<MX_OBJ_TYPE_VMO> {
public:
	constexpr vmo() noexcept = default;

	explicit vmo(mx_handle_t value) noexcept : object(value) {}

	explicit vmo(handle&& h) noexcept : object(h.release()) {}

	/* No other kind of wrapper becomes one (through mx::handle). */
	template <typename U> explicit vmo(object<U>&&) = delete;

	vmo(vmo&& other) noexcept : object(other.release()) {}

	vmo& operator=(vmo&& other) noexcept {
		reset(other.release());
		return *this;
	}

	/* result holds the new VMO, or MX_HANDLE_INVALID on failure. */
	static mx_status_t create(uint64_t size, uint32_t options,
				  vmo* result) {
		mx_handle_t h = MX_HANDLE_INVALID;
		mx_status_t status = mx_vmo_create(size, options, &h);

		result->reset(h);
		return status;
	}

	mx_status_t read(void* data, uint64_t offset, size_t len,
			 size_t* actual) const {
		return mx_vmo_read(get(), data, offset, len, actual);
	}

	mx_status_t write(const void* data, uint64_t offset, size_t len,
			  size_t* actual) const {
		return mx_vmo_write(get(), data, offset, len, actual);
	}

	mx_status_t get_size(uint64_t* size) const {
		return mx_vmo_get_size(get(), size);
	}

	mx_status_t set_size(uint64_t size) const {
		return mx_vmo_set_size(get(), size);
	}

	/*
	 * result holds the clone, or MX_HANDLE_INVALID on failure; a clone
	 * into this object itself leaves it as it was when the call fails.
	 */
	mx_status_t clone(uint32_t options, uint64_t offset, uint64_t size,
			  vmo* result) const {
		mx_handle_t h = MX_HANDLE_INVALID;
		mx_status_t status = mx_vmo_clone(get(), options, offset, size,
						  &h);

		if (status == MX_OK || result != this)
			result->reset(h);
		return status;
	}

	mx_status_t op_range(uint32_t op, uint64_t offset, uint64_t size,
			     void* buffer, size_t buffer_size) const {
		return mx_vmo_op_range(get(), op, offset, size, buffer,
				       buffer_size);
	}
};

using unowned_vmo = const unowned<vmo>;

} /* namespace mx */

#endif /* MX_VMO_H_ */
