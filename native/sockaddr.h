// JS Sockaddr objects <-> struct sockaddr_storage. Every layout detail of the
// address structs (sin_len/sun_len on the BSDs, sun_path's size, abstract
// unix names on Linux) lives in sockaddr.cc and nowhere else.
#pragma once

#include "addon.h"

#include <sys/socket.h>

namespace ps {

// Encodes `value` ({family, address, port, ...}, or the raw bytes of a whole
// sockaddr) into `ss` and returns the length to pass to the kernel. Throws
// TypeError/RangeError for anything malformed, so no address is ever
// silently truncated.
socklen_t ToSockaddr(Napi::Env env, Napi::Value value, sockaddr_storage* ss);

// Sets family and the family's fields on `out`, an object made by lib/ (so it
// belongs to the caller's realm). A family this file does not know comes back
// as {family, bytes}.
void FromSockaddr(Napi::Env env, Napi::Object out, const sockaddr_storage* ss, socklen_t len);

// A call's sender as bytes for lib/ to decode (lib/sockaddr.ts decodeName):
// the sockaddr in out[0, len) and len as a host-order uint32 right after
// sockaddr_storage's size. Much cheaper than building the object here: V8
// adds properties set from C++ one map transition at a time, and glibc's
// inet_ntop formats with sprintf.
static const size_t kNameBufferSize = sizeof(sockaddr_storage) + sizeof(uint32_t);
// Throws RangeError unless the argument is a buffer of kNameBufferSize bytes.
Bytes ArgNameBuffer(const Napi::CallbackInfo& info, size_t i);
void ToNameBuffer(Bytes out, const sockaddr_storage* ss, socklen_t len);

}  // namespace ps
