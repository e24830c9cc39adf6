/* SPDX-License-Identifier: MIT */
/*
 * <mx/object.h>: mx::object<T>, the owner of one handle, as in Magenta's
 * C++ library (system/ulib/mx). C++11 or later; header-only, over libmx's
 * C calls.
 *
 * An object holds one handle value, or MX_HANDLE_INVALID (0). It closes
 * the handle when it is destroyed, reset or assigned over, and never
 * otherwise; it cannot be copied, only moved, and a moved-from object
 * holds MX_HANDLE_INVALID. release() gives the value up without closing
 * it. T names the kind of object (mx::channel, mx::event, ...; void for
 * mx::handle, which may hold any), and <mx/object_traits.h> says which
 * calls it has.
 *
 * Every call returns libmx's status unchanged. Calls with an out-object
 * (duplicate, replace, the create functions) reset it: to the new handle
 * on success, to MX_HANDLE_INVALID on failure (closing what it held
 * either way), as Magenta's did; but duplicate() or replace() into the
 * object itself leaves it as it was when the call fails.
 *
 * Each typed wrapper names its kind of object as T::TYPE, a static
 * constexpr mx_obj_type_t as in Magenta (mx::channel::TYPE is
 * MX_OBJ_TYPE_CHANNEL, ...), the value mx_info_handle_basic_t.type
 * reports. It comes from the class template object_type, whose member may
 * be defined in this header, so binding it to a reference (std::max, a
 * const parameter) links in C++11 and C++14 too.
 *
 * mx::unowned<T> lends a value it does not own (see the end of the file).
 */
#ifndef MX_OBJECT_H_
#define MX_OBJECT_H_

#ifndef __cplusplus
#error "<mx/object.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <stddef.h>
#include <stdint.h>

#include <type_traits>

#include <magenta/syscalls.h>
#include <magenta/types.h>
#include <mx/object_traits.h>

namespace mx {

template <typename T> class object;

/* T::TYPE; a template so that C++11 and C++14 get its definition here. */
template <mx_obj_type_t Type, typename Unused = void> struct object_type {
	static constexpr mx_obj_type_t TYPE = Type;
};

#if __cplusplus < 201703L
template <mx_obj_type_t Type, typename Unused>
constexpr mx_obj_type_t object_type<Type, Unused>::TYPE;
#endif

namespace internal {

/* Is W an mx::object<U> for some U, or derived from one? */
template <typename W> class is_object {
	template <typename U> static char test(const volatile object<U>*);
	static long test(...);

public:
	static const bool value =
		sizeof(test(static_cast<W*>(nullptr))) == sizeof(char);
};

} /* namespace internal */

template <typename T> class object {
public:
	constexpr object() noexcept : value_(MX_HANDLE_INVALID) {}

	/* Takes ownership of value. */
	explicit object(mx_handle_t value) noexcept : value_(value) {}

	object(object&& other) noexcept : value_(other.release()) {}

	/* Any object converts to mx::handle (object<void>), never back. */
	template <typename U, typename = typename std::enable_if<
		std::is_void<T>::value && !std::is_void<U>::value>::type>
	object(object<U>&& other) noexcept : value_(other.release()) {}

	~object() { close(); }

	object& operator=(object&& other) noexcept {
		reset(other.release());
		return *this;
	}

	template <typename U>
	typename std::enable_if<std::is_void<T>::value &&
				!std::is_void<U>::value, object&>::type
	operator=(object<U>&& other) noexcept {
		reset(other.release());
		return *this;
	}

	object(const object&) = delete;
	object& operator=(const object&) = delete;

	/*
	 * Close the handle held (if any) and hold value instead. Resetting
	 * to the value already held keeps it.
	 */
	void reset(mx_handle_t value = MX_HANDLE_INVALID) noexcept {
		if (value != value_)
			close();
		value_ = value;
	}

	void swap(object& other) noexcept {
		mx_handle_t tmp = value_;

		value_ = other.value_;
		other.value_ = tmp;
	}

	mx_handle_t get() const noexcept { return value_; }

	bool is_valid() const noexcept { return value_ != MX_HANDLE_INVALID; }
	explicit operator bool() const noexcept { return is_valid(); }

	/* Give the value up; this object then holds MX_HANDLE_INVALID. */
	__WARN_UNUSED_RESULT mx_handle_t release() noexcept {
		mx_handle_t value = value_;

		value_ = MX_HANDLE_INVALID;
		return value;
	}

	/*
	 * Close the handle held and return where the value lives, for a C
	 * call that writes a new handle there.
	 */
	mx_handle_t* reset_and_get_address() noexcept {
		reset();
		return &value_;
	}

	/* A second handle to the object, with rights (or SAME_RIGHTS). */
	mx_status_t duplicate(mx_rights_t rights, object* result) const {
		static_assert(object_traits<T>::supports_duplication,
			      "this kind of object cannot be duplicated");
		mx_handle_t h = MX_HANDLE_INVALID;
		mx_status_t status = mx_handle_duplicate(value_, rights, &h);

		if (status == MX_OK || result != this)
			result->reset(h);
		return status;
	}

	/*
	 * This handle, closed, for a new one with rights. On success this
	 * object holds MX_HANDLE_INVALID (unless it is result); on failure it
	 * keeps its handle.
	 */
	mx_status_t replace(mx_rights_t rights, object* result) {
		mx_handle_t h = MX_HANDLE_INVALID;
		mx_status_t status = mx_handle_replace(value_, rights, &h);

		if (status == MX_OK)
			value_ = MX_HANDLE_INVALID;	/* already closed */
		if (status == MX_OK || result != this)
			result->reset(h);
		return status;
	}

	mx_status_t wait_one(mx_signals_t signals, mx_time_t deadline,
			     mx_signals_t* pending) const {
		return mx_object_wait_one(value_, signals, deadline, pending);
	}

	/* Queue a packet with key on port when one of signals is set. */
	mx_status_t wait_async(const object<port>& p, uint64_t key,
			       mx_signals_t signals, uint32_t options) const {
		return mx_object_wait_async(value_, p.get(), key, signals,
					    options);
	}

	static mx_status_t wait_many(mx_wait_item_t* items, uint32_t count,
				     mx_time_t deadline) {
		return mx_object_wait_many(items, count, deadline);
	}

	mx_status_t signal(uint32_t clear_mask, uint32_t set_mask) const {
		static_assert(object_traits<T>::supports_user_signal,
			      "this kind of object has no signals to set");
		return mx_object_signal(value_, clear_mask, set_mask);
	}

	mx_status_t signal_peer(uint32_t clear_mask, uint32_t set_mask) const {
		static_assert(object_traits<T>::supports_user_signal,
			      "this kind of object has no signals to set");
		static_assert(object_traits<T>::has_peer_handle,
			      "this kind of object has no peer");
		return mx_object_signal_peer(value_, clear_mask, set_mask);
	}

	mx_status_t get_info(uint32_t topic, void* buffer, size_t buffer_size,
			     size_t* actual_count, size_t* avail_count) const {
		return mx_object_get_info(value_, topic, buffer, buffer_size,
					  actual_count, avail_count);
	}

	/* MX_PROP_NAME, of a VMO: the only property any object has here. */
	mx_status_t get_property(uint32_t property, void* value,
				 size_t size) const {
		return mx_object_get_property(value_, property, value, size);
	}

	mx_status_t set_property(uint32_t property, const void* value,
				 size_t size) const {
		return mx_object_set_property(value_, property, value, size);
	}

private:
	void close() noexcept {
		if (value_ != MX_HANDLE_INVALID) {
			mx_handle_close(value_);
			value_ = MX_HANDLE_INVALID;
		}
	}

	mx_handle_t value_;
};

/* Objects compare by the value they hold. */
template <typename T>
bool operator==(const object<T>& a, const object<T>& b) {
	return a.get() == b.get();
}

template <typename T>
bool operator!=(const object<T>& a, const object<T>& b) {
	return !(a == b);
}

template <typename T> bool operator==(mx_handle_t a, const object<T>& b) {
	return a == b.get();
}

template <typename T> bool operator!=(mx_handle_t a, const object<T>& b) {
	return !(a == b);
}

template <typename T> bool operator==(const object<T>& a, mx_handle_t b) {
	return a.get() == b;
}

template <typename T> bool operator!=(const object<T>& a, mx_handle_t b) {
	return !(a == b);
}

/*
 * A value owned elsewhere, lent as a const T&: a T is kept inside, never
 * closed, and handed out only as const (operator*, operator->, and an
 * implicit conversion to const T&), so nothing reached through an unowned
 * can close the handle (reset, assignment) or take it over (release, or a
 * move into an owning wrapper); none of those compiles. Made by wrap(),
 * for a call that takes a wrapper when the caller has a plain value:
 *
 *	void ping(const mx::channel& ch);
 *	ping(mx::unowned_channel::wrap(value));
 *	mx::unowned_channel::wrap(value)->write(0, "x", 1, nullptr, 0);
 *
 * An unowned can be moved (the moved-from one then lends
 * MX_HANDLE_INVALID) but not assigned. The owner must outlive it: it
 * does not keep the handle open, it only refrains from closing it.
 */
template <typename T> class unowned final {
	static_assert(internal::is_object<T>::value,
		      "mx::unowned<T> needs a wrapper type (mx::channel, ...)");

public:
	unowned(unowned&& other) noexcept : value_(other.value_.release()) {}

	~unowned() {
		mx_handle_t value = value_.release();

		(void)value;
	}

	unowned(const unowned&) = delete;
	unowned& operator=(const unowned&) = delete;
	unowned& operator=(unowned&&) = delete;

	static unowned wrap(mx_handle_t value) { return unowned(value); }

	const T& operator*() const noexcept { return value_; }
	const T* operator->() const noexcept { return &value_; }
	operator const T&() const noexcept { return value_; }

private:
	explicit unowned(mx_handle_t value) noexcept : value_(value) {}

	T value_;
};

} /* namespace mx */

#endif /* MX_OBJECT_H_ */
