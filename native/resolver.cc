// getaddrinfo(3) and getnameinfo(3) on the libuv threadpool: the only calls
// in this package that use it (both may block on DNS). Each resolves its
// promise with {status, errno, ...}; lib/resolver.ts turns a non-zero EAI_*
// status into a SocketError.
#include "addon.h"
#include "sockaddr.h"

#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <string>
#include <vector>

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

class GetaddrinfoWorker : public Napi::AsyncWorker {
 public:
  GetaddrinfoWorker(Napi::Env env, Napi::Promise::Deferred deferred, bool has_node, std::string node,
                    bool has_service, std::string service, addrinfo hints)
      : Napi::AsyncWorker(env, "posix-sockets:getaddrinfo"),
        deferred_(deferred),
        has_node_(has_node),
        node_(std::move(node)),
        has_service_(has_service),
        service_(std::move(service)),
        hints_(hints) {}

  void Execute() override {
    addrinfo* res = nullptr;
    status_ = getaddrinfo(has_node_ ? node_.c_str() : nullptr, has_service_ ? service_.c_str() : nullptr,
                          &hints_, &res);
    errno_ = status_ == EAI_SYSTEM ? errno : 0;
    if (status_ != 0) return;
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
      entries_.push_back(std::move(e));
    }
    freeaddrinfo(res);
  }

  void OnOK() override {
    Settle(deferred_, [this] { return Result(); });
  }

 private:
  Napi::Value Result() {
    Napi::Env env = Env();
    Napi::Object result = Napi::Object::New(env);
    result.Set("status", status_);
    result.Set("errno", errno_);
    Napi::Array list = Napi::Array::New(env, entries_.size());
    for (size_t i = 0; i < entries_.size(); i++) {
      const Entry& e = entries_[i];
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

  struct Entry {
    int flags, family, socktype, protocol;
    sockaddr_storage addr;
    socklen_t addrlen;
    bool has_canonname;
    std::string canonname;
  };
  Napi::Promise::Deferred deferred_;
  bool has_node_;
  std::string node_;
  bool has_service_;
  std::string service_;
  addrinfo hints_;
  int status_ = 0;
  int errno_ = 0;
  std::vector<Entry> entries_;
};


// getaddrinfo(node, service, flags, family, socktype, protocol)
//   -> Promise<{status, errno, list}>
static Napi::Value Getaddrinfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string node, service;
  bool has_node = ArgOptionalString(info, 0, "node", &node);
  bool has_service = ArgOptionalString(info, 1, "service", &service);
  addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_flags = ArgInt(info, 2, "flags");
  hints.ai_family = ArgInt(info, 3, "family");
  hints.ai_socktype = ArgInt(info, 4, "socktype");
  hints.ai_protocol = ArgInt(info, 5, "protocol");
  auto deferred = Napi::Promise::Deferred::New(env);
  (new GetaddrinfoWorker(env, deferred, has_node, node, has_service, service, hints))->Queue();
  return deferred.Promise();
}

class GetnameinfoWorker : public Napi::AsyncWorker {
 public:
  GetnameinfoWorker(Napi::Env env, Napi::Promise::Deferred deferred, sockaddr_storage ss, socklen_t len,
                    int flags)
      : Napi::AsyncWorker(env, "posix-sockets:getnameinfo"), deferred_(deferred), ss_(ss), len_(len), flags_(flags) {}

  void Execute() override {
    status_ = getnameinfo(reinterpret_cast<sockaddr*>(&ss_), len_, host_, sizeof host_, serv_, sizeof serv_, flags_);
    errno_ = status_ == EAI_SYSTEM ? errno : 0;
  }

  void OnOK() override {
    Settle(deferred_, [this] {
      Napi::Object result = Napi::Object::New(Env());
      result.Set("status", status_);
      result.Set("errno", errno_);
      if (status_ == 0) {
        result.Set("host", host_);
        result.Set("service", serv_);
      }
      return result;
    });
  }

 private:
  Napi::Promise::Deferred deferred_;
  sockaddr_storage ss_;
  socklen_t len_;
  int flags_;
  int status_ = 0;
  int errno_ = 0;
  char host_[NI_MAXHOST] = {0};
  char serv_[NI_MAXSERV] = {0};
};

// getnameinfo(addr, flags) -> Promise<{status, errno, host?, service?}>
static Napi::Value Getnameinfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  sockaddr_storage ss;
  socklen_t len = ArgSockaddr(info, 0, &ss);
  int flags = ArgInt(info, 1, "flags");
  auto deferred = Napi::Promise::Deferred::New(env);
  (new GetnameinfoWorker(env, deferred, ss, len, flags))->Queue();
  return deferred.Promise();
}

void InitResolver(Napi::Env env, Napi::Object exports) {
  exports.Set("getaddrinfo", Napi::Function::New(env, Getaddrinfo, "getaddrinfo"));
  exports.Set("getnameinfo", Napi::Function::New(env, Getnameinfo, "getnameinfo"));
}

}  // namespace ps
