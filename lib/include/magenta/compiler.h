/* SPDX-License-Identifier: MIT */
/*
 * <magenta/compiler.h>: the attribute and linkage macros Magenta's public
 * headers and Magenta-era code rely on.
 *
 * Every macro is defined only if nothing defined it before, so this header
 * can be included before or after the C library's (glibc's <sys/cdefs.h>
 * spells its own macros differently: __BEGIN_DECLS, __nonnull, __wur...).
 * Attribute names are written in their __reserved__ form so that a user
 * macro called, say, "unused" or "packed" cannot break them.
 *
 * __NONNULL takes a parenthesised list, as in Magenta: __NONNULL((2, 3)).
 */
#ifndef MAGENTA_COMPILER_H_
#define MAGENTA_COMPILER_H_

#ifndef __ASSEMBLY__

#if defined(__GNUC__) || defined(__clang__)

#ifndef __UNUSED
#define __UNUSED		__attribute__((__unused__))
#endif
#ifndef __USED
#define __USED			__attribute__((__used__))
#endif
#ifndef __PACKED
#define __PACKED		__attribute__((__packed__))
#endif
#ifndef __ALIGNED
#define __ALIGNED(x)		__attribute__((__aligned__(x)))
#endif
#ifndef __PRINTFLIKE
#define __PRINTFLIKE(fmt, va)	__attribute__((__format__(__printf__, fmt, va)))
#endif
#ifndef __SCANFLIKE
#define __SCANFLIKE(fmt, va)	__attribute__((__format__(__scanf__, fmt, va)))
#endif
#ifndef __SECTION
#define __SECTION(x)		__attribute__((__section__(x)))
#endif
#ifndef __PURE
#define __PURE			__attribute__((__pure__))
#endif
#ifndef __CONST
#define __CONST			__attribute__((__const__))
#endif
#ifndef __NO_RETURN
#define __NO_RETURN		__attribute__((__noreturn__))
#endif
#ifndef __MALLOC
#define __MALLOC		__attribute__((__malloc__))
#endif
#ifndef __WEAK
#define __WEAK			__attribute__((__weak__))
#endif
#ifndef __NO_INLINE
#define __NO_INLINE		__attribute__((__noinline__))
#endif
#ifndef __ALWAYS_INLINE
#define __ALWAYS_INLINE		__attribute__((__always_inline__))
#endif
#ifndef __NONNULL
#define __NONNULL(x)		__attribute__((__nonnull__ x))
#endif
#ifndef __WARN_UNUSED_RESULT
#define __WARN_UNUSED_RESULT	__attribute__((__warn_unused_result__))
#endif
#ifndef __UNREACHABLE
#define __UNREACHABLE		__builtin_unreachable()
#endif
#ifndef __WEAK_ALIAS
#define __WEAK_ALIAS(x)		__attribute__((__weak__, __alias__(x)))
#endif
#ifndef __ALIAS
#define __ALIAS(x)		__attribute__((__alias__(x)))
#endif
#ifndef __EXPORT
#define __EXPORT		__attribute__((__visibility__("default")))
#endif
#ifndef __LOCAL
#define __LOCAL			__attribute__((__visibility__("hidden")))
#endif
#ifndef __THREAD
#define __THREAD		__thread
#endif
#ifndef __offsetof
#define __offsetof(type, field)	__builtin_offsetof(type, field)
#endif

/*
 * A leaf function never calls back into its caller's translation unit.
 * Magenta put it on every syscall declaration; like Magenta, it is left
 * out under clang.
 */
#ifndef __LEAF_FN
#if defined(__clang__)
#define __LEAF_FN
#else
#define __LEAF_FN		__attribute__((__leaf__))
#endif
#endif

#ifndef likely
#define likely(x)		__builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x)		__builtin_expect(!!(x), 0)
#endif

#else /* neither GCC nor clang: the attributes are dropped */

#ifndef __UNUSED
#define __UNUSED
#endif
#ifndef __USED
#define __USED
#endif
#ifndef __PACKED
#define __PACKED
#endif
#ifndef __ALIGNED
#define __ALIGNED(x)
#endif
#ifndef __PRINTFLIKE
#define __PRINTFLIKE(fmt, va)
#endif
#ifndef __SCANFLIKE
#define __SCANFLIKE(fmt, va)
#endif
#ifndef __SECTION
#define __SECTION(x)
#endif
#ifndef __PURE
#define __PURE
#endif
#ifndef __CONST
#define __CONST
#endif
#ifndef __NO_RETURN
#define __NO_RETURN
#endif
#ifndef __MALLOC
#define __MALLOC
#endif
#ifndef __WEAK
#define __WEAK
#endif
#ifndef __NO_INLINE
#define __NO_INLINE
#endif
#ifndef __ALWAYS_INLINE
#define __ALWAYS_INLINE
#endif
#ifndef __NONNULL
#define __NONNULL(x)
#endif
#ifndef __WARN_UNUSED_RESULT
#define __WARN_UNUSED_RESULT
#endif
#ifndef __UNREACHABLE
#define __UNREACHABLE
#endif
#ifndef __WEAK_ALIAS
#define __WEAK_ALIAS(x)
#endif
#ifndef __ALIAS
#define __ALIAS(x)
#endif
#ifndef __EXPORT
#define __EXPORT
#endif
#ifndef __LOCAL
#define __LOCAL
#endif
#ifndef __THREAD
#define __THREAD
#endif
#ifndef __LEAF_FN
#define __LEAF_FN
#endif
#ifndef likely
#define likely(x)		(x)
#endif
#ifndef unlikely
#define unlikely(x)		(x)
#endif

#endif /* __GNUC__ || __clang__ */
#endif /* !__ASSEMBLY__ */

/* Number of elements of an array (not a pointer). */
#ifndef countof
#define countof(a)		(sizeof(a) / sizeof((a)[0]))
#endif

/* constexpr in C++, nothing in C, for inline functions shared by both. */
#ifndef __CONSTEXPR
#ifdef __cplusplus
#define __CONSTEXPR		constexpr
#else
#define __CONSTEXPR
#endif
#endif

/* C linkage for the declarations between them when compiled as C++. */
#ifdef __cplusplus
#ifndef __BEGIN_CDECLS
#define __BEGIN_CDECLS		extern "C" {
#endif
#ifndef __END_CDECLS
#define __END_CDECLS		}
#endif
#else
#ifndef __BEGIN_CDECLS
#define __BEGIN_CDECLS
#endif
#ifndef __END_CDECLS
#define __END_CDECLS
#endif
#endif

#endif /* MAGENTA_COMPILER_H_ */
