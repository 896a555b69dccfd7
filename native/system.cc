// Calls about the system rather than a socket: gethostname, strerror,
// gai_strerror, if_nametoindex, if_indextoname.
#include "addon.h"

#include <net/if.h>
#include <netdb.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <string>

namespace ps {

// gethostname() -> string or -errno.
static Napi::Value Gethostname(const Napi::CallbackInfo& info) {
  char name[256];  // POSIX HOST_NAME_MAX is at most 255 here; macOS has no HOST_NAME_MAX
  if (gethostname(name, sizeof name) == -1) return Napi::Number::New(info.Env(), -errno);
  name[sizeof name - 1] = '\0';
  return Napi::String::New(info.Env(), name);
}

// glibc with _GNU_SOURCE gives the GNU strerror_r (returns char*); macOS and
// musl give the XSI one (returns int and fills buf). Overloads pick the right
// reading of the result either way.
[[maybe_unused]] static const char* StrerrorResult(int r, const char* buf) { return r == 0 ? buf : nullptr; }
[[maybe_unused]] static const char* StrerrorResult(const char* r, const char*) { return r; }

// strerror(errno) -> the C library's message, thread-safe.
static Napi::Value Strerror(const Napi::CallbackInfo& info) {
  int err = ArgInt(info, 0, "errno");
  char buf[256] = {0};
  const char* msg = StrerrorResult(strerror_r(err, buf, sizeof buf), buf);
  if (msg == nullptr || msg[0] == '\0') {
    snprintf(buf, sizeof buf, "Unknown error %d", err);
    msg = buf;
  }
  return Napi::String::New(info.Env(), msg);
}

// gai_strerror(code) -> the resolver's message for an EAI_* code.
static Napi::Value GaiStrerror(const Napi::CallbackInfo& info) {
  int code = ArgInt(info, 0, "code");
  return Napi::String::New(info.Env(), gai_strerror(code));
}

// if_nametoindex(name) -> index, 0 when there is no such interface.
static Napi::Value IfNametoindex(const Napi::CallbackInfo& info) {
  std::string name = ArgString(info, 0, "name");
  if (name.size() != strlen(name.c_str())) return Napi::Number::New(info.Env(), 0);
  return Napi::Number::New(info.Env(), if_nametoindex(name.c_str()));
}

// if_indextoname(index) -> name or -errno (ENXIO when there is none).
static Napi::Value IfIndextoname(const Napi::CallbackInfo& info) {
  uint32_t index = ArgUint32(info, 0, "index");
  char name[IF_NAMESIZE];
  if (if_indextoname(index, name) == nullptr) return Napi::Number::New(info.Env(), -errno);
  return Napi::String::New(info.Env(), name);
}

void InitSystem(Napi::Env env, Napi::Object exports) {
  exports.Set("gethostname", Napi::Function::New(env, Gethostname, "gethostname"));
  exports.Set("strerror", Napi::Function::New(env, Strerror, "strerror"));
  exports.Set("gai_strerror", Napi::Function::New(env, GaiStrerror, "gai_strerror"));
  exports.Set("if_nametoindex", Napi::Function::New(env, IfNametoindex, "if_nametoindex"));
  exports.Set("if_indextoname", Napi::Function::New(env, IfIndextoname, "if_indextoname"));
}

}  // namespace ps
