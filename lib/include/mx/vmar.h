/* SPDX-License-Identifier: MIT */
/*
 * <mx/vmar.h>: mx::vmar, the owner of a handle to a VMAR. map() maps a
 * VMO's pages and stores the address in *ptr; unmap() and protect() act
 * on what is mapped. root_self() lends the root VMAR of the caller's
 * table, which stands for the process's own address space, as an
 * mx::unowned_vmar (no wrapper closes it). C++ only.
 *
 *	uintptr_t addr;
 *	mx::vmar::root_self()->map(0, v, 0, 4096,
 *			MX_VM_FLAG_PERM_READ | MX_VM_FLAG_PERM_WRITE, &addr);
 *	mx::vmar::root_self()->unmap(addr, 4096);
 *
 * The destructor closes the handle only; as in Magenta, it does not
 * unmap anything, and a mapping outlives every handle.
 */
#ifndef MX_VMAR_H_
#define MX_VMAR_H_

#ifndef __cplusplus
#error "<mx/vmar.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <stddef.h>
#include <stdint.h>

#include <magenta/process.h>
#include <mx/handle.h>
#include <mx/object.h>
#include <mx/vmo.h>

namespace mx {

class vmar : public object<vmar>, public object_type<MX_OBJ_TYPE_VMAR> {
public:
	constexpr vmar() noexcept = default;

	explicit vmar(mx_handle_t value) noexcept : object(value) {}

	explicit vmar(handle&& h) noexcept : object(h.release()) {}

	/* No other kind of wrapper becomes one (through mx::handle). */
	template <typename U> explicit vmar(object<U>&&) = delete;

	vmar(vmar&& other) noexcept : object(other.release()) {}

	vmar& operator=(vmar&& other) noexcept {
		reset(other.release());
		return *this;
	}

	mx_status_t map(size_t vmar_offset, const vmo& vmo_handle,
			uint64_t vmo_offset, size_t len, uint32_t flags,
			uintptr_t* ptr) const {
		return mx_vmar_map(get(), vmar_offset, vmo_handle.get(),
				   vmo_offset, len, flags, ptr);
	}

	mx_status_t unmap(uintptr_t address, size_t len) const {
		return mx_vmar_unmap(get(), address, len);
	}

	mx_status_t protect(uintptr_t address, size_t len,
			    uint32_t prot) const {
		return mx_vmar_protect(get(), address, len, prot);
	}

	/*
	 * The root VMAR, lent: mx_vmar_root_self()'s value (asked of the
	 * kernel on each call), or MX_HANDLE_INVALID if there is none.
	 */
	static unowned<vmar> root_self();
};

using unowned_vmar = const unowned<vmar>;

/* Defined once vmar is complete, which unowned<vmar> needs. */
inline unowned<vmar> vmar::root_self() {
	return unowned<vmar>::wrap(mx_vmar_root_self());
}

} /* namespace mx */

#endif /* MX_VMAR_H_ */
