/* SPDX-License-Identifier: MIT */
/*
 * <mx/handle.h>: mx::handle, the owner of a handle to an object of any
 * kind. Every typed wrapper (mx::channel, mx::event, ...) converts to it
 * by move; a typed wrapper is made from it with its explicit
 * constructor, e.g. mx::event ev(std::move(h)), which does not check the
 * object's type. C++ only.
 */
#ifndef MX_HANDLE_H_
#define MX_HANDLE_H_

#ifndef __cplusplus
#error "<mx/handle.h> is a C++ header (C code uses <magenta/syscalls.h>)"
#endif

#include <mx/object.h>

namespace mx {

using handle = object<void>;
using unowned_handle = const unowned<handle>;

} /* namespace mx */

#endif /* MX_HANDLE_H_ */
