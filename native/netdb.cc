// The network databases and the interface list: getservbyname/getservbyport,
// getprotobyname/getprotobynumber, inet_aton/inet_addr/inet_ntoa,
// if_nameindex and getifaddrs. Library calls, not system calls (the C library
// reads /etc/services and /etc/protocols, or asks the kernel over netlink or
// ioctl), each made once per native function like every other call here. All
// run on the JS thread: they read local files or the kernel and do not wait
// on the network (the host lookups, which may, are in resolver.cc).
//
// Each returns its answer, null where C returns NULL for "no such entry", or
// -errno where C reports a failure.
#include "addon.h"
#include "sockaddr.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#ifdef __linux__
#include <netpacket/packet.h>  // sockaddr_ll: getifaddrs' AF_PACKET entries (Linux)
#endif

#include <cstring>
#include <string>
#include <vector>

namespace ps {

// A name for C: a string C would read to its end. An embedded NUL would make
// C look up a shorter, different name, so it is a TypeError, as for
// getaddrinfo (lib/ says so first).
static std::string ArgName(const Napi::CallbackInfo& info, size_t i, const char* name) {
  std::string s = ArgString(info, i, name);
  if (s.size() != strlen(s.c_str())) ThrowType(info.Env(), "%s contains a NUL byte", name);
  return s;
}

static Napi::Array Strings(Napi::Env env, char** list) {
  Napi::Array out = Napi::Array::New(env);
  for (uint32_t i = 0; list != nullptr && list[i] != nullptr; i++) out.Set(i, Napi::String::New(env, list[i]));
  return out;
}

static Napi::Value FromServent(Napi::Env env, const servent* s) {
  if (s == nullptr) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", Napi::String::New(env, s->s_name));
  o.Set("aliases", Strings(env, s->s_aliases));
  // s_port is in network byte order, in an int.
  o.Set("port", Napi::Number::New(env, ntohs(static_cast<uint16_t>(s->s_port))));
  o.Set("proto", Napi::String::New(env, s->s_proto));
  return o;
}

static Napi::Value FromProtoent(Napi::Env env, const protoent* p) {
  if (p == nullptr) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", Napi::String::New(env, p->p_name));
  o.Set("aliases", Strings(env, p->p_aliases));
  o.Set("proto", Napi::Number::New(env, p->p_proto));
  return o;
}

#ifdef __linux__
// The glibc _r forms fill a caller's buffer and answer ERANGE when it is too
// small: grow it and ask again, up to a bound so a database entry that never
// fits cannot make this loop forever. Not found is 0 (or ENOENT) with a NULL
// result; anything else is a failure.
static const size_t kDbBufferStart = 1024;
static const size_t kDbBufferMax = 1 << 24;

template <typename Entry, typename F>
static Napi::Value LookupR(Napi::Env env, Napi::Value (*convert)(Napi::Env, const Entry*), F call) {
  std::vector<char> buf(kDbBufferStart);
  for (;;) {
    Entry entry;
    Entry* result = nullptr;
    int rc = call(&entry, buf.data(), buf.size(), &result);
    if (rc == ERANGE && buf.size() < kDbBufferMax) {
      buf.resize(buf.size() * 2);
      continue;
    }
    if (rc == 0 || rc == ENOENT) return convert(env, result);
    return Napi::Number::New(env, -rc);
  }
}
#endif

// getservbyname(name, proto | null) -> {name, aliases, port, proto} | null | -errno.
// The port comes back in host order.
static Napi::Value Getservbyname(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ArgName(info, 0, "name");
  std::string proto;
  bool has_proto = ArgOptionalString(info, 1, "proto", &proto);
  const char* p = has_proto ? proto.c_str() : nullptr;
#ifdef __linux__
  return LookupR<servent>(env, FromServent, [&](servent* e, char* b, size_t n, servent** r) {
    return getservbyname_r(name.c_str(), p, e, b, n, r);
  });
#else
  // macOS has no getservbyname_r. The plain call returns static storage, but
  // every caller of it in this addon is on the JS thread (never the
  // threadpool), and its answer is copied out before returning.
  return FromServent(env, getservbyname(name.c_str(), p));
#endif
}

// getservbyport(port, proto | null) -> as getservbyname. `port` is in host
// order here; C takes it in network order (htons), which this does.
static Napi::Value Getservbyport(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t port = ArgUint32(info, 0, "port");
  if (port > 0xffff) ThrowRange(env, "port must be from 0 to 65535");
  std::string proto;
  bool has_proto = ArgOptionalString(info, 1, "proto", &proto);
  const char* p = has_proto ? proto.c_str() : nullptr;
  int nport = htons(static_cast<uint16_t>(port));
#ifdef __linux__
  return LookupR<servent>(env, FromServent, [&](servent* e, char* b, size_t n, servent** r) {
    return getservbyport_r(nport, p, e, b, n, r);
  });
#else
  // macOS: no _r form; JS thread only (see Getservbyname).
  return FromServent(env, getservbyport(nport, p));
#endif
}

// getprotobyname(name) -> {name, aliases, proto} | null | -errno.
static Napi::Value Getprotobyname(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = ArgName(info, 0, "name");
#ifdef __GLIBC__
  return LookupR<protoent>(env, FromProtoent, [&](protoent* e, char* b, size_t n, protoent** r) {
    return getprotobyname_r(name.c_str(), e, b, n, r);
  });
#else
  // macOS and musl: no _r form; JS thread only (see Getservbyname).
  return FromProtoent(env, getprotobyname(name.c_str()));
#endif
}

// getprotobynumber(proto) -> as getprotobyname.
static Napi::Value Getprotobynumber(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int proto = ArgInt(info, 0, "proto");
#ifdef __GLIBC__
  return LookupR<protoent>(env, FromProtoent, [&](protoent* e, char* b, size_t n, protoent** r) {
    return getprotobynumber_r(proto, e, b, n, r);
  });
#else
  // macOS and musl: no _r form; JS thread only (see Getservbyname).
  return FromProtoent(env, getprotobynumber(proto));
#endif
}

// inet_aton(text) -> the 4 bytes of the address in network order, or null
// where C returns 0. Text with an embedded NUL is not an address (C would
// read only up to it), as for inet_pton.
static Napi::Value InetAton(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string text = ArgString(info, 0, "text");
  in_addr a;
  if (text.size() != strlen(text.c_str()) || inet_aton(text.c_str(), &a) == 0) return env.Null();
  return Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t*>(&a.s_addr), sizeof a.s_addr);
}

// inet_addr(text) -> the in_addr_t C returns: the network-order bytes read
// as this machine's uint32 (so 0x0100007f for 127.0.0.1 on little-endian),
// INADDR_NONE when the text is not an address (and for 255.255.255.255).
static Napi::Value InetAddr(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string text = ArgString(info, 0, "text");
  if (text.size() != strlen(text.c_str())) return Napi::Number::New(env, static_cast<double>(INADDR_NONE));
  return Napi::Number::New(env, static_cast<double>(static_cast<uint32_t>(inet_addr(text.c_str()))));
}

// inet_ntoa(addr) -> dotted text. `addr` is 4 bytes in network order, or a
// number: the in_addr_t as C holds it (what inet_addr returns).
static Napi::Value InetNtoa(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  in_addr a;
  if (info[0].IsNumber()) {
    a.s_addr = ArgUint32(info, 0, "addr");
  } else {
    Bytes b = ArgBytes(info, 0, "addr");
    if (b.length != sizeof a.s_addr) ThrowRange(env, "addr must be 4 bytes, got %zu", b.length);
    memcpy(&a.s_addr, b.data, sizeof a.s_addr);
  }
  // inet_ntoa returns a buffer of its own (static on macOS, per thread on
  // glibc): only the JS thread calls it, and the text is copied at once.
  return Napi::String::New(env, inet_ntoa(a));
}

// if_nameindex() -> [{index, name}...] or -errno.
static Napi::Value IfNameindex(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct if_nameindex* list = if_nameindex();
  if (list == nullptr) return Napi::Number::New(env, -errno);
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  try {
    // The list ends with an entry whose index is 0 and name NULL.
    for (struct if_nameindex* p = list; p->if_name != nullptr; p++) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("index", Napi::Number::New(env, p->if_index));
      o.Set("name", Napi::String::New(env, p->if_name));
      out.Set(n++, o);
    }
  } catch (...) {
    if_freenameindex(list);
    throw;
  }
  if_freenameindex(list);
  return out;
}

// How many bytes of `sa` there are. The BSDs store it in sa_len; Linux does
// not, so it follows from the family (an unknown one: a bare sockaddr).
static socklen_t SockaddrLength(const sockaddr* sa) {
#ifdef __APPLE__
  return sa->sa_len;
#else
  switch (sa->sa_family) {
    case AF_INET:
      return sizeof(sockaddr_in);
    case AF_INET6:
      return sizeof(sockaddr_in6);
#ifdef __linux__
    case AF_PACKET:
      return sizeof(sockaddr_ll);
#endif
    default:
      return sizeof(sockaddr);
  }
#endif
}

// Sets `key` on `o` to the decoded address when there is one. `family`, when
// not 0, is the family to read it as: macOS hands out netmasks with a short
// sa_len and sa_family 0 (only the mask's significant bytes), which would
// otherwise come back as raw bytes; those are zero-extended to the family's
// full struct.
static void SetSockaddr(Napi::Env env, Napi::Object o, const char* key, const sockaddr* sa, int family) {
  if (sa == nullptr) return;
  sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t len = SockaddrLength(sa);
  if (len > sizeof ss) len = sizeof ss;
  memcpy(&ss, sa, len);
  if (family != 0 && ss.ss_family != family) {
    ss.ss_family = static_cast<sa_family_t>(family);
    len = family == AF_INET ? sizeof(sockaddr_in) : family == AF_INET6 ? sizeof(sockaddr_in6) : len;
  }
#ifdef __APPLE__
  if (family == AF_INET && len < sizeof(sockaddr_in)) len = sizeof(sockaddr_in);
  if (family == AF_INET6 && len < sizeof(sockaddr_in6)) len = sizeof(sockaddr_in6);
#endif
  Napi::Object out = Napi::Object::New(env);
  FromSockaddr(env, out, &ss, len);
  o.Set(key, out);
}

// getifaddrs() -> [{name, flags, address?, netmask?, broadcast?, destination?}...]
// or -errno. ifa_broadaddr and ifa_dstaddr share storage in C (a union on
// Linux, one field on macOS): it is `broadcast` when IFF_BROADCAST is set and
// `destination` (the peer's address) when IFF_POINTOPOINT is.
static Napi::Value Getifaddrs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) == -1) return Napi::Number::New(env, -errno);
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  try {
    for (ifaddrs* p = list; p != nullptr; p = p->ifa_next) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("name", Napi::String::New(env, p->ifa_name != nullptr ? p->ifa_name : ""));
      o.Set("flags", Napi::Number::New(env, p->ifa_flags));
      int family = p->ifa_addr != nullptr ? p->ifa_addr->sa_family : 0;
      bool inet = family == AF_INET || family == AF_INET6;
      SetSockaddr(env, o, "address", p->ifa_addr, 0);
      SetSockaddr(env, o, "netmask", p->ifa_netmask, inet ? family : 0);
      if (p->ifa_flags & IFF_BROADCAST) SetSockaddr(env, o, "broadcast", p->ifa_broadaddr, inet ? family : 0);
      if (p->ifa_flags & IFF_POINTOPOINT) SetSockaddr(env, o, "destination", p->ifa_dstaddr, inet ? family : 0);
      out.Set(n++, o);
    }
  } catch (...) {
    freeifaddrs(list);
    throw;
  }
  freeifaddrs(list);
  return out;
}

void InitNetdb(Napi::Env env, Napi::Object exports) {
  exports.Set("getservbyname", Napi::Function::New(env, Getservbyname, "getservbyname"));
  exports.Set("getservbyport", Napi::Function::New(env, Getservbyport, "getservbyport"));
  exports.Set("getprotobyname", Napi::Function::New(env, Getprotobyname, "getprotobyname"));
  exports.Set("getprotobynumber", Napi::Function::New(env, Getprotobynumber, "getprotobynumber"));
  exports.Set("inet_aton", Napi::Function::New(env, InetAton, "inet_aton"));
  exports.Set("inet_addr", Napi::Function::New(env, InetAddr, "inet_addr"));
  exports.Set("inet_ntoa", Napi::Function::New(env, InetNtoa, "inet_ntoa"));
  exports.Set("if_nameindex", Napi::Function::New(env, IfNameindex, "if_nameindex"));
  exports.Set("getifaddrs", Napi::Function::New(env, Getifaddrs, "getifaddrs"));
}

}  // namespace ps
