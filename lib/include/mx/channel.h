/* SPDX-License-Identifier: MIT */
/*
 * <mx/channel.h>: mx::channel, the owner of one end of a channel.
 * C++ only.
 *
 * read() and write() take their arguments in the order of Magenta's C++
 * library, which differs from the C calls': bytes and their counts first,
 * then handles and theirs.
 *
 * Each has two forms for the handles of a message:
 *  - plain values (mx_handle_t*), as in Magenta: write() leaves sent
 *    values to the caller's bookkeeping, and read() returns values the
 *    caller then owns;
 *  - wrappers (mx::handle*, mx::event*, ... any mx::object): write()
 *    releases each wrapper sent only when the write succeeds, so after
 *    a failure every wrapper still owns its handle; read() resets the
 *    first *actual_handles wrappers to the handles received (closing what
 *    they held), and only on success.
 *
 *	mx::channel a, b;
 *	mx::event ev;
 *	mx::channel::create(0, &a, &b);
 *	mx::event::create(0, &ev);
 *	a.write(0, "ev", 2, &ev, 1);		// ev is empty now
 *	mx::handle got;
 *	b.read(0, buf, sizeof(buf), &nb, &got, 1, &nh);
 */
#ifndef MX_CHANNEL_H_
#define MX_CHANNEL_H_

#ifndef __cplusplus
#error "<mx/channel.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <stdint.h>

#include <type_traits>

#include <mx/handle.h>
#include <mx/object.h>

namespace mx {

class channel : public object<channel>,
		public object_type<MX_OBJ_TYPE_CHANNEL> {
public:
	constexpr channel() noexcept = default;

	explicit channel(mx_handle_t value) noexcept : object(value) {}

	explicit channel(handle&& h) noexcept : object(h.release()) {}

	/* No other kind of wrapper becomes one (through mx::handle). */
	template <typename U> explicit channel(object<U>&&) = delete;

	channel(channel&& other) noexcept : object(other.release()) {}

	channel& operator=(channel&& other) noexcept {
		reset(other.release());
		return *this;
	}

	/* Both hold the new ends, or MX_HANDLE_INVALID on failure. */
	static mx_status_t create(uint32_t flags, channel* endpoint0,
				  channel* endpoint1) {
		mx_handle_t h0 = MX_HANDLE_INVALID, h1 = MX_HANDLE_INVALID;
		mx_status_t status = mx_channel_create(flags, &h0, &h1);

		endpoint0->reset(h0);
		endpoint1->reset(h1);
		return status;
	}

	mx_status_t read(uint32_t flags, void* bytes, uint32_t num_bytes,
			 uint32_t* actual_bytes, mx_handle_t* handles,
			 uint32_t num_handles, uint32_t* actual_handles) const {
		return mx_channel_read(get(), flags, bytes, handles, num_bytes,
				       num_handles, actual_bytes,
				       actual_handles);
	}

	/* The handles arrive in wrappers (a message has at most 64). */
	template <typename W>
	typename std::enable_if<internal::is_object<W>::value,
				mx_status_t>::type
	read(uint32_t flags, void* bytes, uint32_t num_bytes,
	     uint32_t* actual_bytes, W* handles, uint32_t num_handles,
	     uint32_t* actual_handles) const {
		mx_handle_t values[MX_CHANNEL_MAX_MSG_HANDLES];
		uint32_t room = num_handles < MX_CHANNEL_MAX_MSG_HANDLES ?
				num_handles : MX_CHANNEL_MAX_MSG_HANDLES;
		uint32_t got = 0;
		mx_status_t status;

		status = mx_channel_read(get(), flags, bytes,
					 handles ? values : nullptr, num_bytes,
					 handles ? room : num_handles,
					 actual_bytes, &got);
		if (status == MX_OK)
			for (uint32_t i = 0; i < got; i++)
				handles[i].reset(values[i]);
		if ((status == MX_OK || status == MX_ERR_BUFFER_TOO_SMALL) &&
		    actual_handles)
			*actual_handles = got;
		return status;
	}

	mx_status_t write(uint32_t flags, const void* bytes, uint32_t num_bytes,
			  const mx_handle_t* handles,
			  uint32_t num_handles) const {
		return mx_channel_write(get(), flags, bytes, num_bytes, handles,
					num_handles);
	}

	/* The wrappers sent are released on success only. */
	template <typename W>
	typename std::enable_if<internal::is_object<W>::value,
				mx_status_t>::type
	write(uint32_t flags, const void* bytes, uint32_t num_bytes,
	      W* handles, uint32_t num_handles) const {
		mx_handle_t values[MX_CHANNEL_MAX_MSG_HANDLES] = {};
		const mx_handle_t* sent = nullptr;
		mx_status_t status;

		/* too many: the kernel refuses before it reads the array */
		if (handles && num_handles <= MX_CHANNEL_MAX_MSG_HANDLES) {
			for (uint32_t i = 0; i < num_handles; i++)
				values[i] = handles[i].get();
			sent = values;
		}
		status = mx_channel_write(get(), flags, bytes, num_bytes, sent,
					  num_handles);
		if (status == MX_OK) {
			for (uint32_t i = 0; i < num_handles; i++) {
				mx_handle_t gone = handles[i].release();

				(void)gone;
			}
		}
		return status;
	}

	/*
	 * Write a request, wait (until deadline) for the reply with the same
	 * first 4 bytes, and read it; see mx_channel_call for which handles
	 * are gone after which status.
	 */
	mx_status_t call(uint32_t flags, mx_time_t deadline,
			 const mx_channel_call_args_t* args,
			 uint32_t* actual_bytes, uint32_t* actual_handles,
			 mx_status_t* read_status) const {
		return mx_channel_call(get(), flags, deadline, args,
				       actual_bytes, actual_handles,
				       read_status);
	}
};

using unowned_channel = const unowned<channel>;

} /* namespace mx */

#endif /* MX_CHANNEL_H_ */
