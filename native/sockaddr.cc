// JS Sockaddr objects <-> struct sockaddr_storage, with every length check,
// plus inet_pton/inet_ntop and the raw-bytes views (sockaddrToBytes,
// sockaddrFromBytes) that show a learner exactly what the kernel is handed.
#include "sockaddr.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/un.h>
#ifdef __linux__
// Netlink, packet and vsock addresses: Linux only (macOS defines AF_VSOCK
// but ships no header for its sockaddr_vm, so its addresses stay raw bytes).
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/vm_sockets.h>
#endif

#include <cstdlib>
#include <cstring>
#include <string>

// The BSDs (macOS included) put a length byte before the family in every
// sockaddr; Linux has no such field.
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || \
    defined(__NetBSD__) || defined(__DragonFly__)
#define PS_HAVE_SA_LEN 1
#endif

namespace ps {

static const size_t kSunPathMax = sizeof(((sockaddr_un*)nullptr)->sun_path);
static const size_t kSunPathOffset = offsetof(sockaddr_un, sun_path);

static Napi::Value Prop(Napi::Env env, Napi::Object obj, const char* key) {
  napi_value v;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok) throw Napi::Error::New(env);
  return Napi::Value(env, v);
}

static int64_t IntProp(Napi::Env env, Napi::Object obj, const char* key, double min, double max,
                       bool optional) {
  Napi::Value v = Prop(env, obj, key);
  if (v.IsUndefined() && optional) return 0;
  if (!v.IsNumber()) ThrowType(env, "address.%s must be a number", key);
  double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || static_cast<double>(static_cast<int64_t>(d)) != d)
    ThrowRange(env, "address.%s must be an integer from %.0f to %.0f, got %g", key, min, max, d);
  return static_cast<int64_t>(d);
}

static std::string StringProp(Napi::Env env, Napi::Object obj, const char* key) {
  Napi::Value v = Prop(env, obj, key);
  if (!v.IsString()) ThrowType(env, "address.%s must be a string", key);
  return v.As<Napi::String>().Utf8Value();
}

// "fe80::1%lo" -> scope id of "lo"; "fe80::1%2" -> 2.
static uint32_t ParseScope(Napi::Env env, const std::string& scope) {
  if (scope.empty()) ThrowType(env, "address has an empty scope after '%%'");
  char* end;
  unsigned long n = strtoul(scope.c_str(), &end, 10);
  if (*end == '\0' && scope[0] >= '0' && scope[0] <= '9') {
    if (n > UINT32_MAX) ThrowRange(env, "scope id %s is out of range", scope.c_str());
    return static_cast<uint32_t>(n);
  }
  unsigned idx = if_nametoindex(scope.c_str());
  if (idx == 0) ThrowRange(env, "no network interface named '%s'", scope.c_str());
  return idx;
}

// The bytes of a whole sockaddr, as sockaddrToBytes made them (a caller may
// encode an address once and pass the bytes to every sendto).
static socklen_t RawSockaddr(Napi::Env env, Napi::Value value, sockaddr_storage* ss) {
  const size_t family_end = offsetof(sockaddr, sa_family) + sizeof(sa_family_t);
  napi_typedarray_type type;
  size_t len = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, value, &type, &len, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array || data == nullptr || len < family_end || len > sizeof *ss)
    ThrowRange(env, "a raw sockaddr must be a Uint8Array of %zu to %zu bytes", family_end, sizeof *ss);
  memset(ss, 0, sizeof *ss);
  memcpy(ss, data, len);
  return static_cast<socklen_t>(len);
}

socklen_t ToSockaddr(Napi::Env env, Napi::Value value, sockaddr_storage* ss) {
  if (value.IsTypedArray()) return RawSockaddr(env, value, ss);
  if (!value.IsObject()) ThrowType(env, "address must be an object like {family, address, port}");
  Napi::Object obj = value.As<Napi::Object>();
  memset(ss, 0, sizeof *ss);  // sin_zero and every pad byte are zero
  int family = static_cast<int>(IntProp(env, obj, "family", 0, 65535, false));

  if (family == AF_INET) {
    auto* sin = reinterpret_cast<sockaddr_in*>(ss);
    std::string text = StringProp(env, obj, "address");
    if (text.size() != strlen(text.c_str()) || inet_pton(AF_INET, text.c_str(), &sin->sin_addr) != 1)
      ThrowType(env, "address.address '%s' is not an IPv4 address", text.c_str());
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(IntProp(env, obj, "port", 0, 65535, false)));
#ifdef PS_HAVE_SA_LEN
    sin->sin_len = sizeof *sin;
#endif
    return sizeof *sin;
  }

  if (family == AF_INET6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(ss);
    std::string text = StringProp(env, obj, "address");
    uint32_t scope = static_cast<uint32_t>(IntProp(env, obj, "scopeId", 0, 4294967295.0, true));
    size_t pct = text.find('%');
    if (pct != std::string::npos) {
      uint32_t named = ParseScope(env, text.substr(pct + 1));
      if (scope != 0 && scope != named)
        ThrowRange(env, "address.scopeId %u disagrees with the scope in '%s'", scope, text.c_str());
      scope = named;
      text.resize(pct);
    }
    if (text.size() != strlen(text.c_str()) || inet_pton(AF_INET6, text.c_str(), &sin6->sin6_addr) != 1)
      ThrowType(env, "address.address '%s' is not an IPv6 address", text.c_str());
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(static_cast<uint16_t>(IntProp(env, obj, "port", 0, 65535, false)));
    sin6->sin6_flowinfo =
        htonl(static_cast<uint32_t>(IntProp(env, obj, "flowinfo", 0, 4294967295.0, true)));
    sin6->sin6_scope_id = scope;
#ifdef PS_HAVE_SA_LEN
    sin6->sin6_len = sizeof *sin6;
#endif
    return sizeof *sin6;
  }

  if (family == AF_UNSPEC && Prop(env, obj, "bytes").IsUndefined()) {
    // connect(2) to AF_UNSPEC dissolves an association: a zeroed sockaddr.
    auto* sa = reinterpret_cast<sockaddr*>(ss);
    sa->sa_family = AF_UNSPEC;
#ifdef PS_HAVE_SA_LEN
    sa->sa_len = sizeof(sockaddr);
#endif
    return sizeof(sockaddr);
  }

  if (family == AF_UNIX) {
    auto* sun = reinterpret_cast<sockaddr_un*>(ss);
    Napi::Value p = Prop(env, obj, "path");
    std::string path;
    if (p.IsString()) {
      path = p.As<Napi::String>().Utf8Value();
    } else if (p.IsTypedArray() || p.IsBuffer()) {
      auto ta = p.As<Napi::Uint8Array>();
      if (ta.TypedArrayType() != napi_uint8_array && ta.TypedArrayType() != napi_uint8_clamped_array)
        ThrowType(env, "address.path must be a string or a Buffer");
      // BytesOf: a detached buffer is a TypeError, not an empty (autobinding) path.
      Bytes b = BytesOf(env, p, "address.path");
      path.assign(reinterpret_cast<const char*>(b.data), b.length);
    } else {
      ThrowType(env, "address.path must be a string or a Buffer");
    }
    sun->sun_family = AF_UNIX;
    socklen_t len;
    if (path.empty()) {
      // Unnamed: only the family. bind() with it autobinds to an abstract name on Linux.
      len = kSunPathOffset;
    } else if (path[0] == '\0') {
      // Linux abstract name: kept at its exact length, no terminator; the
      // leading NUL counts toward sun_path. Other platforms reject it in bind/connect.
      if (path.size() > kSunPathMax)
        ThrowRange(env, "abstract unix name is %zu bytes; sun_path holds %zu", path.size(), kSunPathMax);
      memcpy(sun->sun_path, path.data(), path.size());
      len = kSunPathOffset + path.size();
    } else {
      if (memchr(path.data(), '\0', path.size()) != nullptr)
        ThrowType(env, "address.path contains a NUL byte (only an abstract name may start with one)");
      // Keep room for the terminating NUL: portable, and what getsockname reports back.
      if (path.size() > kSunPathMax - 1)
        ThrowRange(env, "unix socket path is %zu bytes; the limit here is %zu (sun_path is %zu)",
                   path.size(), kSunPathMax - 1, kSunPathMax);
      memcpy(sun->sun_path, path.data(), path.size());
      len = kSunPathOffset + path.size() + 1;
    }
#ifdef PS_HAVE_SA_LEN
    sun->sun_len = static_cast<uint8_t>(len);
#endif
    return len;
  }

#ifdef __linux__
  if (family == AF_NETLINK) {
    auto* nl = reinterpret_cast<sockaddr_nl*>(ss);
    nl->nl_family = AF_NETLINK;
    nl->nl_pid = static_cast<uint32_t>(IntProp(env, obj, "pid", 0, 4294967295.0, false));
    nl->nl_groups = static_cast<uint32_t>(IntProp(env, obj, "groups", 0, 4294967295.0, false));
    return sizeof *nl;
  }

  if (family == AF_PACKET) {
    auto* ll = reinterpret_cast<sockaddr_ll*>(ss);
    ll->sll_family = AF_PACKET;
    // protocol is an EtherType in host order, as ETH_P_* are; the struct holds it in network order.
    ll->sll_protocol = htons(static_cast<uint16_t>(IntProp(env, obj, "protocol", 0, 65535, false)));
    ll->sll_ifindex = static_cast<int>(IntProp(env, obj, "ifindex", 0, 2147483647.0, false));
    ll->sll_hatype = static_cast<unsigned short>(IntProp(env, obj, "hatype", 0, 65535, true));
    ll->sll_pkttype = static_cast<unsigned char>(IntProp(env, obj, "pkttype", 0, 255, true));
    // The last value read: its bytes are copied before anything else can run.
    Napi::Value a = Prop(env, obj, "addr");
    if (!a.IsUndefined()) {
      if (!a.IsTypedArray() || (a.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array &&
                                a.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_clamped_array))
        ThrowType(env, "address.addr must be a Buffer or Uint8Array");
      Bytes b = BytesOf(env, a, "address.addr");  // a detached one is a TypeError
      if (b.length > sizeof ll->sll_addr)
        ThrowRange(env, "address.addr is %zu bytes; sll_addr holds %zu", b.length, sizeof ll->sll_addr);
      if (b.length > 0) memcpy(ll->sll_addr, b.data, b.length);
      ll->sll_halen = static_cast<unsigned char>(b.length);
    }
    // The whole struct, whatever sll_halen: bind(2) refuses anything shorter.
    return sizeof *ll;
  }

  if (family == AF_VSOCK) {
    auto* vm = reinterpret_cast<sockaddr_vm*>(ss);
    vm->svm_family = AF_VSOCK;
    vm->svm_cid = static_cast<unsigned int>(IntProp(env, obj, "cid", 0, 4294967295.0, false));
    vm->svm_port = static_cast<unsigned int>(IntProp(env, obj, "port", 0, 4294967295.0, false));
#ifdef VMADDR_FLAG_TO_HOST  // svm_flags: Linux 5.11's headers and later
    vm->svm_flags = static_cast<uint8_t>(IntProp(env, obj, "flags", 0, 255, true));
#endif
    return sizeof *vm;
  }
#endif

  // Any other family: the caller supplies the bytes after nothing but the family.
  Napi::Value raw = Prop(env, obj, "bytes");
  if (!raw.IsTypedArray()) ThrowRange(env, "family %d needs address.bytes (the whole sockaddr)", family);
  auto ta = raw.As<Napi::Uint8Array>();
  if (ta.ByteLength() > sizeof *ss || ta.ByteLength() < offsetof(sockaddr, sa_family) + sizeof(sa_family_t))
    ThrowRange(env, "address.bytes must be %zu to %zu bytes", offsetof(sockaddr, sa_family) + sizeof(sa_family_t),
               sizeof *ss);
  memcpy(ss, ta.Data(), ta.ByteLength());
  reinterpret_cast<sockaddr*>(ss)->sa_family = static_cast<sa_family_t>(family);
  return static_cast<socklen_t>(ta.ByteLength());
}

static bool ValidUtf8(const unsigned char* s, size_t n) {
  static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i <= extra) return false;
    for (size_t k = 1; k <= extra; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

// A unix path comes back as a string when its bytes are valid UTF-8 (so it
// round-trips exactly), otherwise as a Buffer.
static Napi::Value PathValue(Napi::Env env, const char* p, size_t n) {
  if (ValidUtf8(reinterpret_cast<const unsigned char*>(p), n)) return Napi::String::New(env, p, n);
  return Napi::Buffer<char>::Copy(env, p, n);
}

void FromSockaddr(Napi::Env env, Napi::Object out, const sockaddr_storage* ss, socklen_t len) {
  const size_t family_end = offsetof(sockaddr, sa_family) + sizeof(sa_family_t);
  if (len < family_end) {
    // No address at all (recvfrom on a stream socket reports length 0).
    out.Set("family", Napi::Number::New(env, AF_UNSPEC));
    return;
  }
  int family = ss->ss_family;
  out.Set("family", Napi::Number::New(env, family));
  char text[INET6_ADDRSTRLEN];

  if (family == AF_INET && len >= sizeof(sockaddr_in)) {
    auto* sin = reinterpret_cast<const sockaddr_in*>(ss);
    inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
    out.Set("address", Napi::String::New(env, text));
    out.Set("port", Napi::Number::New(env, ntohs(sin->sin_port)));
    return;
  }
  if (family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    auto* sin6 = reinterpret_cast<const sockaddr_in6*>(ss);
    inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text);
    out.Set("address", Napi::String::New(env, text));
    out.Set("port", Napi::Number::New(env, ntohs(sin6->sin6_port)));
    out.Set("flowinfo", Napi::Number::New(env, ntohl(sin6->sin6_flowinfo)));
    out.Set("scopeId", Napi::Number::New(env, sin6->sin6_scope_id));
    return;
  }
  if (family == AF_UNIX) {
    auto* sun = reinterpret_cast<const sockaddr_un*>(ss);
    size_t n = len > kSunPathOffset ? len - kSunPathOffset : 0;
    if (n > kSunPathMax) n = kSunPathMax;
    if (n > 0 && sun->sun_path[0] != '\0') n = strnlen(sun->sun_path, n);  // a path: up to its NUL
    // n == 0: unnamed; sun_path[0] == NUL: Linux abstract name, exactly n bytes.
    out.Set("path", PathValue(env, sun->sun_path, n));
    return;
  }
#ifdef __linux__
  if (family == AF_NETLINK && len >= sizeof(sockaddr_nl)) {
    auto* nl = reinterpret_cast<const sockaddr_nl*>(ss);
    out.Set("pid", Napi::Number::New(env, nl->nl_pid));
    out.Set("groups", Napi::Number::New(env, nl->nl_groups));
    return;
  }
  if (family == AF_PACKET && len >= offsetof(sockaddr_ll, sll_addr)) {
    // The kernel hands back only as much of sll_addr as sll_halen says
    // (getsockname on lo: 12 + 6 bytes), so the struct may be cut short.
    auto* ll = reinterpret_cast<const sockaddr_ll*>(ss);
    size_t n = len - offsetof(sockaddr_ll, sll_addr);
    if (n > ll->sll_halen) n = ll->sll_halen;
    if (n > sizeof ll->sll_addr) n = sizeof ll->sll_addr;
    out.Set("protocol", Napi::Number::New(env, ntohs(ll->sll_protocol)));
    out.Set("ifindex", Napi::Number::New(env, ll->sll_ifindex));
    out.Set("hatype", Napi::Number::New(env, ll->sll_hatype));
    out.Set("pkttype", Napi::Number::New(env, ll->sll_pkttype));
    out.Set("addr", Napi::Buffer<uint8_t>::Copy(env, ll->sll_addr, n));
    return;
  }
  if (family == AF_VSOCK && len >= sizeof(sockaddr_vm)) {
    auto* vm = reinterpret_cast<const sockaddr_vm*>(ss);
    out.Set("cid", Napi::Number::New(env, vm->svm_cid));
    out.Set("port", Napi::Number::New(env, vm->svm_port));
#ifdef VMADDR_FLAG_TO_HOST  // svm_flags: Linux 5.11's headers and later
    out.Set("flags", Napi::Number::New(env, vm->svm_flags));
#endif
    return;
  }
#endif
  out.Set("bytes", Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t*>(ss), len));
}

Bytes ArgNameBuffer(const Napi::CallbackInfo& info, size_t i) {
  Bytes b = ArgBytes(info, i, "name");
  if (b.length < kNameBufferSize) ThrowRange(info.Env(), "name must hold %zu bytes", kNameBufferSize);
  return b;
}

void ToNameBuffer(Bytes out, const sockaddr_storage* ss, socklen_t len) {
  uint32_t n = len > sizeof(sockaddr_storage) ? sizeof(sockaddr_storage) : len;
  memcpy(out.data, ss, n);
  memcpy(out.data + sizeof(sockaddr_storage), &n, sizeof n);
}

// sockaddrToBytes(addr) -> Buffer of exactly the length the kernel is given.
static Napi::Value SockaddrToBytes(const Napi::CallbackInfo& info) {
  sockaddr_storage ss;
  socklen_t len = ArgSockaddr(info, 0, &ss);
  return Napi::Buffer<uint8_t>::Copy(info.Env(), reinterpret_cast<uint8_t*>(&ss), len);
}

// sockaddrFromBytes(bytes, out): decodes what the kernel would hand back.
static Napi::Value SockaddrFromBytes(const Napi::CallbackInfo& info) {
  Bytes b = ArgBytes(info, 0, "bytes");
  Napi::Object out = ArgObject(info, 1, "out");
  if (b.length > sizeof(sockaddr_storage))
    ThrowRange(info.Env(), "a sockaddr is at most %zu bytes, got %zu", sizeof(sockaddr_storage), b.length);
  sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  if (b.length > 0) memcpy(&ss, b.data, b.length);  // b.data may be null for an empty buffer
  FromSockaddr(info.Env(), out, &ss, static_cast<socklen_t>(b.length));
  return info.Env().Undefined();
}

// inet_pton(family, text) -> Buffer, 0 when text is not an address of that
// family (C's return value 0), or -errno (EAFNOSUPPORT).
static Napi::Value InetPton(const Napi::CallbackInfo& info) {
  int family = ArgInt(info, 0, "family");
  std::string text = ArgString(info, 1, "text");
  unsigned char buf[sizeof(in6_addr)];
  int r = inet_pton(family, text.c_str(), buf);
  if (r == -1) return Napi::Number::New(info.Env(), -errno);
  // An embedded NUL would make C see a shorter string: that text is not an address.
  if (r == 0 || text.size() != strlen(text.c_str())) return Napi::Number::New(info.Env(), 0);
  size_t n = family == AF_INET ? sizeof(in_addr) : sizeof(in6_addr);
  return Napi::Buffer<unsigned char>::Copy(info.Env(), buf, n);
}

// inet_ntop(family, bytes) -> string or -errno.
static Napi::Value InetNtop(const Napi::CallbackInfo& info) {
  int family = ArgInt(info, 0, "family");
  Bytes b = ArgBytes(info, 1, "bytes");
  size_t need = family == AF_INET ? sizeof(in_addr) : family == AF_INET6 ? sizeof(in6_addr) : 0;
  if (need != 0 && b.length != need)
    ThrowRange(info.Env(), "bytes must be %zu bytes for this family, got %zu", need, b.length);
  unsigned char copy[sizeof(in6_addr)] = {0};
  if (need > 0) memcpy(copy, b.data, need);  // b.data may be null for an empty buffer
  char text[INET6_ADDRSTRLEN];
  if (inet_ntop(family, copy, text, sizeof text) == nullptr) return Napi::Number::New(info.Env(), -errno);
  return Napi::String::New(info.Env(), text);
}

void InitSockaddr(Napi::Env env, Napi::Object exports) {
  exports.Set("NAME_BUFFER_SIZE", Napi::Number::New(env, static_cast<double>(kNameBufferSize)));
  exports.Set("sockaddrToBytes", Napi::Function::New(env, SockaddrToBytes, "sockaddrToBytes"));
  exports.Set("sockaddrFromBytes", Napi::Function::New(env, SockaddrFromBytes, "sockaddrFromBytes"));
  exports.Set("inet_pton", Napi::Function::New(env, InetPton, "inet_pton"));
  exports.Set("inet_ntop", Napi::Function::New(env, InetNtop, "inet_ntop"));
  exports.Set("SUN_PATH_SIZE", Napi::Number::New(env, kSunPathMax));
  exports.Set("SOCKADDR_STORAGE_SIZE", Napi::Number::New(env, sizeof(sockaddr_storage)));
  // The shortest encoded sockaddr: up to the end of its family field.
  exports.Set("SOCKADDR_FAMILY_END", Napi::Number::New(env, offsetof(sockaddr, sa_family) + sizeof(sa_family_t)));
}

}  // namespace ps
