/* SPDX-License-Identifier: MIT */
/*
 * <mx/object_traits.h>: what each kind of object allows, so that a call
 * it never accepts is a compile-time error in mx::object<T> rather than a
 * status at run time. C++ only.
 *
 *   supports_duplication   duplicate() compiles (the handle may still lack
 *                          MX_RIGHT_DUPLICATE: a status then);
 *   supports_user_signal   signal() compiles;
 *   has_peer_handle        signal_peer() compiles.
 *
 * The default (events, and mx::handle, whose object is unknown) allows
 * duplicate and signal; channels are never duplicable (their rights lack
 * MX_RIGHT_DUPLICATE, as in Magenta); channels, event pairs, FIFOs and
 * sockets have a peer; ports and VMARs have no signals at all (a VMO has
 * the user signals, and no peer).
 */
#ifndef MX_OBJECT_TRAITS_H_
#define MX_OBJECT_TRAITS_H_

#ifndef __cplusplus
#error "<mx/object_traits.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

namespace mx {

class channel;
class eventpair;
class fifo;
class port;
class socket;
class vmar;
class vmo;

template <typename T> struct object_traits {
	static const bool supports_duplication = true;
	static const bool supports_user_signal = true;
	static const bool has_peer_handle = false;
};

template <> struct object_traits<channel> {
	static const bool supports_duplication = false;
	static const bool supports_user_signal = true;
	static const bool has_peer_handle = true;
};

template <> struct object_traits<eventpair> {
	static const bool supports_duplication = true;
	static const bool supports_user_signal = true;
	static const bool has_peer_handle = true;
};

template <> struct object_traits<fifo> {
	static const bool supports_duplication = true;
	static const bool supports_user_signal = true;
	static const bool has_peer_handle = true;
};

template <> struct object_traits<port> {
	static const bool supports_duplication = true;
	static const bool supports_user_signal = false;
	static const bool has_peer_handle = false;
};

template <> struct object_traits<socket> {
	static const bool supports_duplication = true;
	static const bool supports_user_signal = true;
	static const bool has_peer_handle = true;
};

template <> struct object_traits<vmo> {
	static const bool supports_duplication = true;
	static const bool supports_user_signal = true;
	static const bool has_peer_handle = false;
};

template <> struct object_traits<vmar> {
	static const bool supports_duplication = true;
	static const bool supports_user_signal = false;
	static const bool has_peer_handle = false;
};

} /* namespace mx */

#endif /* MX_OBJECT_TRAITS_H_ */
