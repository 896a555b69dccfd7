// getaddrinfo(3) and getnameinfo(3), and the obsolete gethostbyname(3) and
// gethostbyaddr(3), on the libuv threadpool: the only calls in this package
// that use it (all may block on DNS). Each resolves its promise with
// {status, errno, ...}; lib/resolver.ts turns a non-zero status (EAI_* for
// the first two, h_errno for the others) into a SocketError.
#include "addon.h"
#include "sockaddr.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <string>
#include <vector>

// musl's netdb.h has no NETDB_INTERNAL ("see errno"); glibc's value.
#ifndef NETDB_INTERNAL
#define NETDB_INTERNAL (-1)
#endif

namespace ps {

// Resolves `deferred` with what `make` builds. A lookup can finish while its
// env is being torn down (a worker terminated mid-lookup): then no JS can run,
// every N-API call fails, and there is nobody left to tell, so the failure is
// dropped instead of escaping into the threadpool's completion and aborting.
template <typename F>
static void Settle(Napi::Promise::Deferred& deferred, F make) {
  try {
    deferred.Resolve(make());
  } catch (const Napi::Error&) {
  }
}

// Every lookup here has one shape: a Job whose Run() makes the C call on a
// threadpool thread (touching no JS value: it reads only what was copied out
// of the arguments before queueing), and whose Result(env) builds the answer
// on the JS thread. Lookup<Job> carries a Job through the pool and resolves
// the promise with that answer; Start queues one.
template <typename Job>
class Lookup : public Napi::AsyncWorker {
 public:
  Lookup(Napi::Env env, const char* resource, Napi::Promise::Deferred deferred, Job job)
      : Napi::AsyncWorker(env, resource), deferred_(deferred), job_(std::move(job)) {}

  void Execute() override { job_.Run(); }

  void OnOK() override {
    Settle(deferred_, [this] { return job_.Result(Env()); });
  }

 private:
  Napi::Promise::Deferred deferred_;
  Job job_;
};

template <typename Job>
static Napi::Value Start(Napi::Env env, const char* resource, Job job) {
  auto deferred = Napi::Promise::Deferred::New(env);
  (new Lookup<Job>(env, resource, deferred, std::move(job)))->Queue();
  return deferred.Promise();
}

struct GetaddrinfoJob {
  bool has_node;
  std::string node;
  bool has_service;
  std::string service;
  addrinfo hints;

  struct Entry {
    int flags, family, socktype, protocol;
    sockaddr_storage addr;
    socklen_t addrlen;
    bool has_canonname;
    std::string canonname;
  };
  int status = 0;
  int errno_ = 0;
  std::vector<Entry> entries;

  void Run() {
    addrinfo* res = nullptr;
    status = getaddrinfo(has_node ? node.c_str() : nullptr, has_service ? service.c_str() : nullptr, &hints, &res);
    errno_ = status == EAI_SYSTEM ? errno : 0;
    if (status != 0) return;
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
      Entry e;
      e.flags = ai->ai_flags;
      e.family = ai->ai_family;
      e.socktype = ai->ai_socktype;
      e.protocol = ai->ai_protocol;
      e.addrlen = ai->ai_addrlen <= sizeof e.addr ? ai->ai_addrlen : sizeof e.addr;
      memset(&e.addr, 0, sizeof e.addr);
      if (ai->ai_addr != nullptr) memcpy(&e.addr, ai->ai_addr, e.addrlen);
      e.has_canonname = ai->ai_canonname != nullptr;
      if (e.has_canonname) e.canonname = ai->ai_canonname;
      entries.push_back(std::move(e));
    }
    freeaddrinfo(res);
  }

  Napi::Value Result(Napi::Env env) {
    Napi::Object result = Napi::Object::New(env);
    result.Set("status", status);
    result.Set("errno", errno_);
    Napi::Array list = Napi::Array::New(env, entries.size());
    for (size_t i = 0; i < entries.size(); i++) {
      const Entry& e = entries[i];
      Napi::Object o = Napi::Object::New(env);
      o.Set("flags", e.flags);
      o.Set("family", e.family);
      o.Set("socktype", e.socktype);
      o.Set("protocol", e.protocol);
      Napi::Object address = Napi::Object::New(env);
      FromSockaddr(env, address, &e.addr, e.addrlen);
      o.Set("address", address);
      if (e.has_canonname) o.Set("canonname", e.canonname);
      list.Set(i, o);
    }
    result.Set("list", list);
    return result;
  }
};

// getaddrinfo(node, service, flags, family, socktype, protocol)
//   -> Promise<{status, errno, list}>
static Napi::Value Getaddrinfo(const Napi::CallbackInfo& info) {
  GetaddrinfoJob job;
  job.has_node = ArgOptionalString(info, 0, "node", &job.node);
  job.has_service = ArgOptionalString(info, 1, "service", &job.service);
  memset(&job.hints, 0, sizeof job.hints);
  job.hints.ai_flags = ArgInt(info, 2, "flags");
  job.hints.ai_family = ArgInt(info, 3, "family");
  job.hints.ai_socktype = ArgInt(info, 4, "socktype");
  job.hints.ai_protocol = ArgInt(info, 5, "protocol");
  return Start(info.Env(), "posix-sockets:getaddrinfo", std::move(job));
}

struct GetnameinfoJob {
  sockaddr_storage ss;
  socklen_t len;
  int flags;
  int status = 0;
  int errno_ = 0;
  char host[NI_MAXHOST] = {0};
  char serv[NI_MAXSERV] = {0};

  void Run() {
    status = getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof host, serv, sizeof serv, flags);
    errno_ = status == EAI_SYSTEM ? errno : 0;
  }

  Napi::Value Result(Napi::Env env) {
    Napi::Object result = Napi::Object::New(env);
    result.Set("status", status);
    result.Set("errno", errno_);
    if (status == 0) {
      result.Set("host", host);
      result.Set("service", serv);
    }
    return result;
  }
};

// getnameinfo(addr, flags) -> Promise<{status, errno, host?, service?}>
static Napi::Value Getnameinfo(const Napi::CallbackInfo& info) {
  GetnameinfoJob job;
  job.len = ArgSockaddr(info, 0, &job.ss);
  job.flags = ArgInt(info, 1, "flags");
  return Start(info.Env(), "posix-sockets:getnameinfo", std::move(job));
}

// gethostbyname and gethostbyaddr: the obsolete lookups getaddrinfo and
// getnameinfo replaced. They report failure through h_errno (HOST_NOT_FOUND,
// TRY_AGAIN, NO_RECOVERY, NO_DATA; NETDB_INTERNAL: see errno), not errno or
// EAI_*, and the classic forms return static storage, so they are not safe
// on a threadpool. Each platform's thread-safe form is used instead:
// - Linux (glibc): gethostbyname2_r / gethostbyaddr_r, which fill a buffer of
//   the caller's (grown on ERANGE) and return h_errno through a pointer.
// - macOS: no _r forms; getipnodebyname / getipnodebyaddr (RFC 2553) are
//   thread safe, allocate their answer (freehostent) and return the h_errno
//   code through a pointer. With flags 0 they answer only the family asked
//   for, as gethostbyname2 does. (A mutex around gethostbyname2 would also
//   serialize every lookup behind a slow DNS answer.)
struct HostentJob {
  bool by_addr = false;
  std::string name;                 // gethostbyname
  unsigned char addr[16] = {0};     // gethostbyaddr: the address's bytes
  socklen_t addrlen = 0;
  int family = AF_INET;

  int herrno = 0;  // 0: found
  int errno_ = 0;  // with NETDB_INTERNAL
  std::string h_name;
  std::vector<std::string> aliases;
  int addrtype = 0;
  std::vector<std::string> addresses;

  void Copy(const hostent* h) {
    h_name = h->h_name != nullptr ? h->h_name : "";
    for (char** a = h->h_aliases; a != nullptr && *a != nullptr; a++) aliases.emplace_back(*a);
    addrtype = h->h_addrtype;
    size_t need = addrtype == AF_INET ? sizeof(in_addr) : addrtype == AF_INET6 ? sizeof(in6_addr) : 0;
    if (need == 0 || static_cast<size_t>(h->h_length) != need) return;
    for (char** a = h->h_addr_list; a != nullptr && *a != nullptr; a++) {
      char text[INET6_ADDRSTRLEN];
      if (inet_ntop(addrtype, *a, text, sizeof text) != nullptr) addresses.emplace_back(text);
    }
  }

#ifdef __linux__
  void Run() {
    static const size_t kMax = 1 << 24;  // bounds the growth: never loop forever on ERANGE
    std::vector<char> buf(1024);
    for (;;) {
      hostent he;
      hostent* r = nullptr;
      int h = 0;
      int rc = by_addr ? gethostbyaddr_r(addr, addrlen, family, &he, buf.data(), buf.size(), &r, &h)
                       : gethostbyname2_r(name.c_str(), family, &he, buf.data(), buf.size(), &r, &h);
      if (r != nullptr) return Copy(r);
      // Buffer too small: glibc sets h to NETDB_INTERNAL, musl leaves it.
      if (rc == ERANGE && (h == NETDB_INTERNAL || h == 0) && buf.size() < kMax) {
        buf.resize(buf.size() * 2);
        continue;
      }
      // glibc: not found is 0 with h_errno set; a failure of its own is
      // NETDB_INTERNAL with the error in the return value (or errno).
      herrno = h != 0 ? h : NETDB_INTERNAL;
      if (herrno == NETDB_INTERNAL) errno_ = rc != 0 ? rc : errno;
      return;
    }
  }
#else
  void Run() {
    int h = 0;
    hostent* r = by_addr ? getipnodebyaddr(addr, addrlen, family, &h) : getipnodebyname(name.c_str(), family, 0, &h);
    if (r != nullptr) {
      Copy(r);
      freehostent(r);
      return;
    }
    herrno = h != 0 ? h : NETDB_INTERNAL;
    if (herrno == NETDB_INTERNAL) errno_ = errno;
  }
#endif

  Napi::Value Result(Napi::Env env) {
    Napi::Object result = Napi::Object::New(env);
    result.Set("status", herrno);
    result.Set("errno", errno_);
    if (herrno != 0) {
      result.Set("message", hstrerror(herrno));
      return result;
    }
    result.Set("name", h_name);
    Napi::Array a = Napi::Array::New(env, aliases.size());
    for (size_t i = 0; i < aliases.size(); i++) a.Set(i, aliases[i]);
    result.Set("aliases", a);
    result.Set("addrtype", addrtype);
    Napi::Array list = Napi::Array::New(env, addresses.size());
    for (size_t i = 0; i < addresses.size(); i++) list.Set(i, addresses[i]);
    result.Set("addresses", list);
    return result;
  }
};

// gethostbyname(name, family) -> Promise<{status, errno, message?, name?,
// aliases?, addrtype?, addresses?}>: status is the h_errno code, 0 when found.
static Napi::Value Gethostbyname(const Napi::CallbackInfo& info) {
  HostentJob job;
  job.name = ArgString(info, 0, "name");
  // C would stop at an embedded NUL and look up a different name.
  if (job.name.size() != strlen(job.name.c_str())) ThrowType(info.Env(), "name contains a NUL byte");
  job.family = ArgInt(info, 1, "family");
  return Start(info.Env(), "posix-sockets:gethostbyname", std::move(job));
}

// gethostbyaddr(bytes, family) -> as gethostbyname. bytes: the address in
// network order, 4 bytes for AF_INET, 16 for AF_INET6.
static Napi::Value Gethostbyaddr(const Napi::CallbackInfo& info) {
  HostentJob job;
  job.by_addr = true;
  job.family = ArgInt(info, 1, "family");  // every JS value is read before the buffer's pointer is taken
  Bytes b = ArgBytes(info, 0, "address");
  size_t need = job.family == AF_INET ? sizeof(in_addr) : job.family == AF_INET6 ? sizeof(in6_addr) : 0;
  if (need == 0) ThrowRange(info.Env(), "family must be AF_INET or AF_INET6");
  if (b.length != need) ThrowRange(info.Env(), "address must be %zu bytes for this family, got %zu", need, b.length);
  memcpy(job.addr, b.data, need);
  job.addrlen = static_cast<socklen_t>(need);
  return Start(info.Env(), "posix-sockets:gethostbyaddr", std::move(job));
}

void InitResolver(Napi::Env env, Napi::Object exports) {
  exports.Set("getaddrinfo", Napi::Function::New(env, Getaddrinfo, "getaddrinfo"));
  exports.Set("getnameinfo", Napi::Function::New(env, Getnameinfo, "getnameinfo"));
  exports.Set("gethostbyname", Napi::Function::New(env, Gethostbyname, "gethostbyname"));
  exports.Set("gethostbyaddr", Napi::Function::New(env, Gethostbyaddr, "gethostbyaddr"));
}

}  // namespace ps
